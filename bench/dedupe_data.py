"""Synthetic person records with known duplicates and realistic corruption.

    python -m bench.dedupe_data 100000 persons_100k.csv

Each entity gets 1 record, or 2-5 with probability `dup_rate`; duplicates are corrupted with
typos, nicknames, swapped first/last names, missing values, reformatted phones and dates,
abbreviated streets, changed case, a move (new address, city, state, ZIP and often phone) and
a new e-mail address. Hard non-matches too: 10% of entities share their home with a second
entity (same last name, address, ZIP and phone; another first name, birth date and e-mail),
and some of those are twins (same birth date as well). The `entity_id` column is the truth.
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

FIRST = [
    "james",
    "mary",
    "john",
    "patricia",
    "robert",
    "jennifer",
    "michael",
    "linda",
    "william",
    "elizabeth",
    "david",
    "barbara",
    "richard",
    "susan",
    "joseph",
    "jessica",
    "thomas",
    "sarah",
    "charles",
    "karen",
    "christopher",
    "nancy",
    "daniel",
    "lisa",
    "matthew",
    "betty",
    "anthony",
    "margaret",
    "mark",
    "sandra",
    "donald",
    "ashley",
    "steven",
    "kimberly",
    "paul",
    "emily",
    "andrew",
    "donna",
    "joshua",
    "michelle",
    "kenneth",
    "dorothy",
    "kevin",
    "carol",
    "brian",
    "amanda",
    "george",
    "melissa",
    "edward",
    "deborah",
    "ronald",
    "stephanie",
    "timothy",
    "rebecca",
    "jason",
    "sharon",
    "jeffrey",
    "laura",
    "ryan",
    "cynthia",
    "jacob",
    "kathleen",
    "gary",
    "amy",
    "nicholas",
    "shirley",
    "eric",
    "angela",
    "jonathan",
    "helen",
    "stephen",
    "anna",
    "larry",
    "brenda",
    "justin",
    "pamela",
    "scott",
    "nicole",
    "brandon",
    "emma",
    "benjamin",
    "samantha",
    "samuel",
    "katherine",
    "gregory",
    "christine",
    "frank",
    "debra",
    "alexander",
    "rachel",
    "raymond",
    "catherine",
    "patrick",
    "carolyn",
    "jack",
    "janet",
    "dennis",
    "ruth",
    "jerry",
    "maria",
    "tyler",
    "heather",
    "aaron",
    "diane",
    "jose",
    "virginia",
    "adam",
    "julie",
    "henry",
    "joyce",
    "nathan",
    "victoria",
    "douglas",
    "olivia",
    "zachary",
    "kelly",
    "peter",
    "christina",
    "kyle",
    "lauren",
    "walter",
    "joan",
    "ethan",
    "evelyn",
    "jeremy",
    "judith",
    "harold",
    "megan",
    "keith",
    "cheryl",
    "christian",
    "andrea",
    "roger",
    "hannah",
    "noah",
    "martha",
    "gerald",
    "jacqueline",
    "carl",
    "frances",
    "terry",
    "gloria",
    "sean",
    "ann",
    "austin",
    "teresa",
    "arthur",
    "kathryn",
    "lawrence",
    "sara",
    "jesse",
    "janice",
    "dylan",
    "jean",
    "bryan",
    "alice",
    "joe",
    "madison",
    "jordan",
    "doris",
    "billy",
    "abigail",
    "bruce",
    "julia",
    "albert",
    "judy",
    "willie",
    "grace",
    "gabriel",
    "denise",
    "logan",
    "amber",
    "alan",
    "marilyn",
    "juan",
    "beverly",
    "wayne",
    "danielle",
    "roy",
    "theresa",
    "ralph",
    "sophia",
    "randy",
    "marie",
    "eugene",
    "diana",
    "vincent",
    "brittany",
    "russell",
    "natalie",
    "elijah",
    "isabella",
    "louis",
    "charlotte",
    "bobby",
    "rose",
    "philip",
    "alexis",
    "johnny",
    "kayla",
]
LAST_STEMS = [
    "smith",
    "johnson",
    "williams",
    "brown",
    "jones",
    "garcia",
    "miller",
    "davis",
    "rodriguez",
    "martinez",
    "hernandez",
    "lopez",
    "gonzalez",
    "wilson",
    "anderson",
    "thomas",
    "taylor",
    "moore",
    "jackson",
    "martin",
    "lee",
    "perez",
    "thompson",
    "white",
    "harris",
    "sanchez",
    "clark",
    "ramirez",
    "lewis",
    "robinson",
    "walker",
    "young",
    "allen",
    "king",
    "wright",
    "scott",
    "torres",
    "nguyen",
    "hill",
    "flores",
    "green",
    "adams",
    "nelson",
    "baker",
    "hall",
    "rivera",
    "campbell",
    "mitchell",
    "carter",
    "roberts",
    "gomez",
    "phillips",
    "evans",
    "turner",
    "diaz",
    "parker",
    "cruz",
    "edwards",
    "collins",
    "reyes",
    "stewart",
    "morris",
    "morales",
    "murphy",
    "cook",
    "rogers",
    "gutierrez",
    "ortiz",
    "morgan",
    "cooper",
    "peterson",
    "bailey",
    "reed",
    "kelly",
    "howard",
    "ramos",
    "kim",
    "cox",
    "ward",
    "richardson",
    "watson",
    "brooks",
    "chavez",
    "wood",
    "james",
    "bennett",
    "gray",
    "mendoza",
    "ruiz",
    "hughes",
    "price",
    "alvarez",
    "castillo",
    "sanders",
    "patel",
    "myers",
    "long",
    "ross",
    "foster",
    "jimenez",
]
SUFFIXES = ("", "", "", "son", "er", "ley", "ton", "man", "ford", "wood", "field", "berg")
NICKNAMES = {
    "william": "bill", "robert": "bob", "richard": "dick", "james": "jim", "john": "jack",
    "michael": "mike", "elizabeth": "liz", "jennifer": "jen", "joseph": "joe", "thomas": "tom",
    "charles": "chuck", "christopher": "chris", "daniel": "dan", "matthew": "matt",
    "anthony": "tony", "margaret": "peggy", "katherine": "kate", "patricia": "pat",
    "steven": "steve", "andrew": "andy", "nicholas": "nick", "samuel": "sam",
    "alexander": "alex", "jonathan": "jon", "benjamin": "ben", "kimberly": "kim",
}  # fmt: skip
STREETS = [
    "main",
    "oak",
    "pine",
    "maple",
    "cedar",
    "elm",
    "washington",
    "lake",
    "hill",
    "park",
    "view",
    "sunset",
    "river",
    "church",
    "mill",
    "spring",
    "north",
    "south",
    "west",
    "meadow",
    "forest",
    "highland",
    "ridge",
    "valley",
    "willow",
    "cherry",
    "walnut",
]
STREET_TYPES = {"street": "st", "avenue": "ave", "road": "rd", "drive": "dr", "lane": "ln",
                "court": "ct", "boulevard": "blvd", "place": "pl"}  # fmt: skip
CITIES = [
    "springfield",
    "riverside",
    "franklin",
    "greenville",
    "bristol",
    "clinton",
    "fairview",
    "salem",
    "madison",
    "georgetown",
    "arlington",
    "ashland",
    "dover",
    "oxford",
    "jackson",
    "burlington",
    "manchester",
    "milton",
    "newport",
    "auburn",
    "dayton",
    "lexington",
    "milford",
    "winchester",
    "hudson",
    "kingston",
    "marion",
    "clayton",
]
STATES = [
    "AL",
    "AK",
    "AZ",
    "AR",
    "CA",
    "CO",
    "CT",
    "DE",
    "FL",
    "GA",
    "ID",
    "IL",
    "IN",
    "IA",
    "KS",
    "KY",
    "LA",
    "ME",
    "MD",
    "MA",
    "MI",
    "MN",
    "MS",
    "MO",
    "MT",
    "NE",
    "NV",
    "NH",
    "NJ",
    "NM",
    "NY",
    "NC",
    "ND",
    "OH",
    "OK",
    "OR",
    "PA",
    "RI",
    "SC",
    "SD",
    "TN",
    "TX",
    "UT",
    "VT",
    "VA",
    "WA",
    "WV",
    "WI",
    "WY",
]
DOMAINS = ("gmail.com", "yahoo.com", "outlook.com", "mail.com")
COLUMNS = ["entity_id", "first_name", "last_name", "dob", "email", "phone", "address", "city",
           "state", "zip"]  # fmt: skip


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.random()
    if kind < 0.3:
        return text[:i] + text[i + 1 :]
    if kind < 0.6:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind < 0.8:
        return text[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + text[i + 1 :]
    return text[:i] + text[i] + text[i:]


def _entity(rng: random.Random, number: int) -> dict[str, str]:
    first = rng.choice(FIRST)
    last = rng.choice(LAST_STEMS) + rng.choice(SUFFIXES)
    return {
        "first_name": first,
        "last_name": last,
        "dob": _birth_date(rng),
        "email": f"{first}.{last}{rng.randint(1, 999)}@{rng.choice(DOMAINS)}",
        **_home(rng, number),
    }


def _birth_date(rng: random.Random) -> str:
    year, month, day = rng.randint(1935, 2005), rng.randint(1, 12), rng.randint(1, 28)
    return f"{year:04d}-{month:02d}-{day:02d}"


def _home(rng: random.Random, number: int) -> dict[str, str]:
    street_type = rng.choice(list(STREET_TYPES))
    return {
        "phone": f"{rng.randint(201, 989)}{rng.randint(200, 999)}{number % 10000:04d}",
        "address": f"{rng.randint(1, 9999)} {rng.choice(STREETS)} {street_type}",
        "city": rng.choice(CITIES),
        "state": rng.choice(STATES),
        "zip": f"{rng.randint(1000, 99999):05d}",
    }


def _housemate(rng: random.Random, entity: dict[str, str]) -> dict[str, str]:
    """Another person at the same home: a different first name, birth date and e-mail."""
    first = rng.choice([f for f in FIRST[:40] if f != entity["first_name"]])
    twin = rng.random() < 0.2
    return {
        **entity,
        "first_name": first,
        "dob": entity["dob"] if twin else _birth_date(rng),
        "email": f"{first}.{entity['last_name']}{rng.randint(1, 999)}@{rng.choice(DOMAINS)}",
    }


def _render(entity: dict[str, str], rng: random.Random, corrupt: bool) -> dict[str, str]:
    row = dict(entity)
    if corrupt:
        for _ in range(rng.choice((1, 2, 2, 3))):
            _corrupt(row, rng)
    style = rng.random()
    row["first_name"] = row["first_name"].title() if style < 0.7 else row["first_name"].upper()
    row["last_name"] = row["last_name"].title() if style < 0.7 else row["last_name"].upper()
    row["address"] = row["address"].title()
    row["city"] = row["city"].title()
    return row


def _corrupt(row: dict[str, str], rng: random.Random) -> None:
    choice = rng.random()
    if choice < 0.25:
        column = rng.choice(("first_name", "last_name", "address", "city", "email"))
        row[column] = _typo(row[column], rng)
    elif choice < 0.35:
        row["first_name"] = NICKNAMES.get(row["first_name"], _typo(row["first_name"], rng))
    elif choice < 0.42:
        row["first_name"], row["last_name"] = row["last_name"], row["first_name"]
    elif choice < 0.6:
        row[rng.choice(("email", "phone", "dob", "address", "zip"))] = ""
    elif choice < 0.7:
        p = row["phone"]
        row["phone"] = rng.choice((f"({p[:3]}) {p[3:6]}-{p[6:]}", f"+1 {p[:3]} {p[3:6]} {p[6:]}"))
    elif choice < 0.8:
        parts = row["dob"].split("-")
        if len(parts) == 3:  # reformat an ISO date only once
            y, m, d = parts
            row["dob"] = rng.choice((f"{m}/{d}/{y}", f"{y}-{d}-{m}", f"{y}{m}{d}"))
    elif choice < 0.9:
        for word, short in STREET_TYPES.items():
            row["address"] = row["address"].replace(word, short)
    elif choice < 0.93:
        row["zip"] = _typo(row["zip"], rng) if row["zip"] else row["zip"]
    elif choice < 0.97:  # moved house: a new address, and often a new phone
        moved = _home(rng, rng.randrange(10_000))
        row.update({k: moved[k] for k in ("address", "city", "state", "zip")})
        if rng.random() < 0.5:
            row["phone"] = moved["phone"]
    else:  # a new e-mail address
        first = row["first_name"].lower()
        row["email"] = f"{first[:1]}{row['last_name'].lower()}@{rng.choice(DOMAINS)}"


def generate(count: int, seed: int = 1, dup_rate: float = 0.3) -> list[dict[str, str]]:
    """`count` records; about `dup_rate` of entities have 2-5 records."""
    return generate_with_originals(count, seed, dup_rate)[0]


def generate_with_originals(
    count: int, seed: int = 1, dup_rate: float = 0.3
) -> tuple[list[dict[str, str]], list[bool]]:
    """`generate`, and for each record whether it is its entity's uncorrupted first copy
    (its values are the truth a golden record should recover; only their case may differ)."""
    rng = random.Random(seed)
    rows: list[tuple[dict[str, str], bool]] = []
    entity = 0
    household: dict[str, str] | None = None
    while len(rows) < count:
        base = _entity(rng, entity) if household is None else household
        household = _housemate(rng, base) if household is None and rng.random() < 0.1 else None
        copies = 1 if rng.random() >= dup_rate else rng.choice((2, 2, 2, 3, 3, 4, 5))
        for copy in range(min(copies, count - len(rows))):
            rows.append(({"entity_id": str(entity), **_render(base, rng, copy > 0)}, copy == 0))
        entity += 1
    rng.shuffle(rows)
    return [row for row, _ in rows], [original for _, original in rows]


_FIRM_WORDS = ("Apex", "Birch", "Cobalt", "Delta", "Ember", "Falcon", "Granite", "Harbor")
_FIRM_FORMS = ("Inc", "LLC", "Ltd", "Corp")


def with_employers(
    rows: list[dict[str, str]], employers: int, seed: int = 7
) -> list[dict[str, str]]:
    """The persons with their employer: a company name and website, each shared by about
    len(rows) / employers colleagues; an entity's copies keep its employer."""
    rng = random.Random(seed)
    firms = []
    for i in range(employers):
        word = rng.choice(_FIRM_WORDS)
        firms.append((f"{word}{i} {rng.choice(_FIRM_FORMS)}", f"www.{word.lower()}{i}.com"))
    employer: dict[str, int] = {}
    result = []
    for row in rows:
        company, website = firms[employer.setdefault(row["entity_id"], rng.randrange(employers))]
        result.append({**row, "company": company, "website": website})
    return result


def write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    write(Path(sys.argv[2]), generate(int(sys.argv[1])))
