"""A generator of supplier tables with known duplicates: companies as ERP and CRM exports
hold them.

Each company has a name (a surname or a coined brand, often a trade word, and the legal form
of its country), a street address, city, country, phone and website. A share of companies is
entered more than once, each copy written differently: the legal form in full, abbreviated,
with or without periods, or left out (`Inc.`, `Incorporated`, `GmbH`, `Gesellschaft mit
beschränkter Haftung`), `&` for `and`, a leading `The`, upper or lower case, a typo, a
shortened street word, another phone or website format, missing values. The hard negatives
are real too: sister companies of one stem and another trade (`Miller Logistics` and `Miller
Consulting`), often in one city, and companies sharing an office building.
"""

from __future__ import annotations

import random
from typing import Any

from faker import Faker

COLUMNS = ["company", "address", "city", "country", "phone", "website"]

# country: (spellings of the country, calling code, legal forms as (canonical, variants))
_COUNTRIES: dict[str, tuple[list[str], str, list[list[str]]]] = {
    "US": (
        ["USA", "United States", "US", "U.S.A."],
        "1",
        [
            ["Inc.", "Inc", "Incorporated", ", Inc."],
            ["LLC", "L.L.C.", ", LLC"],
            ["Corp.", "Corporation", "Corp"],
            ["Co.", "Company", "Co"],
        ],
    ),
    "GB": (
        ["United Kingdom", "UK", "GB", "England"],
        "44",
        [
            ["Ltd", "Limited", "Ltd."],
            ["PLC", "plc", "Public Limited Company"],
            ["LLP", "L.L.P."],
        ],
    ),
    "DE": (
        ["Germany", "Deutschland", "DE"],
        "49",
        [
            ["GmbH", "Gesellschaft mit beschränkter Haftung", "G.m.b.H."],
            ["AG"],
            ["GmbH & Co. KG", "GmbH & Co KG"],
        ],
    ),
    "FR": (["France", "FR"], "33", [["SA", "S.A."], ["SARL", "S.A.R.L."], ["SAS", "S.A.S."]]),
    "NL": (["Netherlands", "NL", "The Netherlands"], "31", [["B.V.", "BV"], ["N.V.", "NV"]]),
    "ES": (["Spain", "España", "ES"], "34", [["S.L.", "SL"], ["S.A.", "SA"]]),
    "IT": (["Italy", "Italia", "IT"], "39", [["S.p.A.", "SpA", "S.P.A."], ["S.r.l.", "Srl"]]),
    "NO": (["Norway", "Norge", "NO"], "47", [["AS", "A/S"], ["ASA"]]),
    "AU": (["Australia", "AU"], "61", [["Pty Ltd", "Pty. Ltd.", "Proprietary Limited"]]),
}
_WEIGHTS = {"US": 40, "GB": 15, "DE": 12, "FR": 8, "NL": 6, "ES": 5, "IT": 5, "NO": 3, "AU": 6}
_TRADES = (
    "Logistics", "Consulting", "Foods", "Systems", "Brewing", "Supply", "Partners", "Dental",
    "Construction", "Engineering", "Packaging", "Textiles", "Software", "Electric", "Freight",
    "Plastics", "Pharma", "Labs", "Media", "Capital", "Metals", "Holdings", "Printing",
)  # fmt: skip
_STREET_WORDS = {"Street": "St", "Avenue": "Ave", "Road": "Rd", "Drive": "Dr", "Lane": "Ln",
                 "Boulevard": "Blvd", "Court": "Ct", "Place": "Pl"}  # fmt: skip
_SYLLABLES = ("ka", "zo", "tri", "vex", "lum", "nor", "pli", "dex", "sor", "qua", "bri", "tel",
              "mon", "ra", "vo", "gen", "cor", "ix", "tec", "lo")  # fmt: skip


def generate(companies: int = 5000, seed: int = 1, dup_rate: float = 0.4) -> list[dict[str, Any]]:
    """Rows of COLUMNS plus `entity_id` (the company each row is), shuffled."""
    rng = random.Random(seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    entities = _companies(companies, rng, fake)
    rows: list[dict[str, Any]] = []
    for entity in entities:
        copies = 1
        if rng.random() < dup_rate:
            copies += rng.choice((1, 1, 1, 2, 3))
        rows.append({**_written(entity, rng, first=True), "entity_id": entity["id"]})
        for _ in range(copies - 1):
            rows.append({**_written(entity, rng, first=False), "entity_id": entity["id"]})
    rng.shuffle(rows)
    return rows


def with_contacts(
    rows: list[dict[str, Any]], changed: float, seed: int = 5
) -> list[dict[str, Any]]:
    """The suppliers with a contact person, whom a copy names anew with probability
    `changed` (a vendor list with a contact column)."""
    fake, rng = Faker(), random.Random(seed)
    fake.seed_instance(seed)
    contact: dict[str, str] = {}
    result = []
    for row in rows:
        if row["entity_id"] not in contact or rng.random() < changed:
            contact[row["entity_id"]] = fake.name()
        result.append({**row, "contact": contact[row["entity_id"]]})
    return result


def _companies(count: int, rng: random.Random, fake: Faker) -> list[dict[str, Any]]:
    countries = list(_WEIGHTS)
    weights = list(_WEIGHTS.values())
    cities = [str(fake.city()) for _ in range(max(20, count // 25))]  # ~25 suppliers a city
    entities: list[dict[str, Any]] = []
    owners: dict[str, int] = {}  # domain -> the family that holds it
    sister_domain = ""
    while len(entities) < count:
        country = rng.choices(countries, weights)[0]
        base = {
            "stem": _stem(rng, fake),
            "country": country,
            "city": rng.choice(cities),
            "address": _street(rng, fake),
            "stem_id": len(entities),
        }
        family = 1 if rng.random() < 0.8 else rng.choice((2, 2, 3))  # sister companies
        trades = rng.sample(_TRADES, family)
        for k, trade in enumerate(trades):
            entity = dict(base)
            entity["id"] = f"c{len(entities)}"
            entity["trade"] = trade if (family > 1 or rng.random() < 0.7) else ""
            entity["form"] = rng.randrange(len(_COUNTRIES[country][2]))
            if k and rng.random() < 0.6:  # a sister company elsewhere in town
                entity["address"] = _street(rng, fake)
            entity["phone"] = _phone_digits(rng)
            entity["domain"] = sister_domain if k and rng.random() < 0.5 else _domain(entity, rng)
            while entity["domain"] in owners and owners[entity["domain"]] != base["stem_id"]:
                entity["domain"] = f"{rng.randint(2, 99)}{entity['domain']}"  # one owner each
            owners[entity["domain"]] = base["stem_id"]
            sister_domain = entity["domain"]
            entities.append(entity)
    _share_buildings(entities, rng)
    return entities[:count]


def _share_buildings(entities: list[dict[str, Any]], rng: random.Random) -> None:
    """One company in ten moves into another's office building (another suite)."""
    for entity in entities:
        if rng.random() < 0.1:
            other = rng.choice(entities)
            entity["address"] = other["address"]
            entity["city"] = other["city"]
            entity["country"] = other["country"]
            entity["form"] = min(entity["form"], len(_COUNTRIES[other["country"]][2]) - 1)


def _stem(rng: random.Random, fake: Faker) -> str:
    draw = rng.random()
    if draw < 0.45:
        return str(fake.last_name())
    if draw < 0.6:
        joiner = rng.choice((" & ", " and "))
        return f"{fake.last_name()}{joiner}{fake.last_name()}"
    if draw < 0.7:
        return f"{fake.last_name()} & Sons"
    syllables = rng.randint(2, 3)
    return "".join(rng.choice(_SYLLABLES) for _ in range(syllables)).capitalize()


def _street(rng: random.Random, fake: Faker) -> str:
    word = rng.choice(list(_STREET_WORDS))
    return f"{rng.randint(1, 9999)} {fake.last_name()} {word}"


def _phone_digits(rng: random.Random) -> str:
    area = f"{rng.randint(2, 9)}{rng.randint(0, 99):02d}"
    return f"{area}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"


def _domain(entity: dict[str, Any], rng: random.Random) -> str:
    stem = "".join(ch for ch in entity["stem"].lower() if ch.isalnum())
    trade = entity["trade"].lower() if rng.random() < 0.7 else ""
    tld = {"US": "com", "GB": "co.uk", "DE": "de", "FR": "fr", "NL": "nl", "ES": "es",
           "IT": "it", "NO": "no", "AU": "com.au"}[entity["country"]]  # fmt: skip
    return f"{stem}{trade}.{tld}"


def _written(entity: dict[str, Any], rng: random.Random, *, first: bool) -> dict[str, Any]:
    """One record of the company; the first copy is the tidiest."""
    spellings, calling_code, forms = _COUNTRIES[entity["country"]]
    return {
        "company": _company_name(entity, forms[entity["form"]], rng, first=first),
        "address": _address(entity["address"], rng, first=first),
        "city": entity["city"] if first or rng.random() < 0.8 else entity["city"].upper(),
        "country": spellings[0] if first else rng.choice(spellings),
        "phone": _phone(entity["phone"], calling_code, rng, first=first),
        "website": _website(entity["domain"], rng, first=first),
    }


def _company_name(
    entity: dict[str, Any], form: list[str], rng: random.Random, *, first: bool
) -> str:
    stem = entity["stem"]
    if not first:
        if "&" in stem and rng.random() < 0.4:
            stem = stem.replace(" & ", " and ")
        elif " and " in stem and rng.random() < 0.4:
            stem = stem.replace(" and ", " & ")
        if rng.random() < 0.15:
            stem = _typo(stem, rng)
    name = f"{stem} {entity['trade']}".strip()
    legal = form[0] if first else rng.choice([*form, "", ""])
    if legal.startswith(","):
        name += legal
    elif legal:
        name += f" {legal}"
    if not first:
        draw = rng.random()
        if draw < 0.1:
            name = f"The {name}"
        elif draw < 0.25:
            name = name.upper()
        elif draw < 0.35:
            name = name.lower()
    return name


def _typo(text: str, rng: random.Random) -> str:
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters[1:])
    draw = rng.random()
    if draw < 0.4:
        return text[:i] + text[i + 1 :]
    if draw < 0.7 and i + 1 < len(text):
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + rng.choice("aeiourstnl") + text[i + 1 :]


def _address(street: str, rng: random.Random, *, first: bool) -> str | None:
    if first:
        return street
    if rng.random() < 0.15:
        return None
    number, _, rest = street.partition(" ")
    for word, short in _STREET_WORDS.items():
        if rest.endswith(word) and rng.random() < 0.5:
            rest = rest[: -len(word)] + short
    suite = f", Suite {rng.randint(100, 999)}" if rng.random() < 0.1 else ""
    return f"{number} {rest}{suite}"


def _phone(digits: str, calling_code: str, rng: random.Random, *, first: bool) -> str | None:
    if not first and rng.random() < 0.3:
        return None
    if calling_code == "1":
        a, b, c = digits[:3], digits[3:6], digits[6:]
        return rng.choice([f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"+1 {a} {b} {c}", f"{a}.{b}.{c}"])
    national = digits[:9] if calling_code in ("33", "34", "47", "61") else digits
    domestic = national if calling_code in ("34", "47", "39") else f"0{national}"
    return rng.choice([f"+{calling_code} {national}", f"00{calling_code} {national}", domestic])


def _website(domain: str, rng: random.Random, *, first: bool) -> str | None:
    if not first and rng.random() < 0.3:
        return None
    return rng.choice([f"https://www.{domain}", f"www.{domain}", domain, f"http://{domain}/"])
