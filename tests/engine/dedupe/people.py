"""Small person tables with known duplicates for the deduplication tests."""

from __future__ import annotations

import random
from typing import Any

PEOPLE: list[dict[str, Any]] = [
    {"id": "a", "first_name": "Jonathan", "last_name": "Smith", "email": "jon.smith@example.com",
     "phone": "(415) 555-2671", "dob": "1980-03-04", "city": "Boston"},
    {"id": "b", "first_name": "Jonathon", "last_name": "Smith", "email": "JON.SMITH@example.com",
     "phone": "415-555-2671", "dob": "1980-03-04", "city": "boston"},
    {"id": "c", "first_name": "Mary", "last_name": "Jones", "email": "mary.j@example.org",
     "phone": "212 555 0101", "dob": "1975-11-20", "city": "New York"},
    {"id": "d", "first_name": "Mary", "last_name": "Jones", "email": "",
     "phone": None, "dob": "1975-11-20", "city": "New York"},
    {"id": "e", "first_name": "Peter", "last_name": "Brown", "email": "pbrown@example.net",
     "phone": "303 555 0199", "dob": "1990-07-15", "city": "Denver"},
    {"id": "f", "first_name": "Linda", "last_name": "Garcia", "email": "linda.g@example.com",
     "phone": "602 555 0142", "dob": "1968-01-30", "city": "Phoenix"},
    {"id": "g", "first_name": "Linda", "last_name": "Garcia", "email": "linda.g@example.com",
     "phone": "602.555.0142", "dob": "1968-30-01", "city": "Phoenix"},
    {"id": "h", "first_name": "Robert", "last_name": "Miller", "email": "rmiller@example.com",
     "phone": "617 555 0177", "dob": "1955-05-05", "city": "Boston"},
    {"id": "i", "first_name": "Susan", "last_name": "Clark", "email": "sclark@example.org",
     "phone": "415 555 0123", "dob": "1983-09-09", "city": "Oakland"},
    {"id": "j", "first_name": "Kevin", "last_name": "Lewis", "email": "klewis@example.net",
     "phone": "512 555 0155", "dob": "1979-12-12", "city": "Austin"},
]  # fmt: skip

DUPLICATES = {("a", "b"), ("c", "d"), ("f", "g")}


def matched(result: Any) -> set[tuple[Any, Any]]:
    """The matched pairs of a result, each as a sorted id tuple."""
    return {tuple(sorted((p.left_id, p.right_id))) for p in result.pairs}


FIRST_NAMES = ("James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda",
               "William", "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph",
               "Jessica", "Thomas", "Sarah", "Charles", "Karen")  # fmt: skip
LAST_NAMES = ("Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
              "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
              "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson",
              "White", "Harris")  # fmt: skip
STREETS = ("Oak", "Pine", "Maple", "Cedar", "Elm", "Main", "Park", "Lake", "Hill", "River")


def people_with_housemates() -> tuple[
    list[dict[str, str]], set[tuple[str, str]], set[tuple[str, str]]
]:
    """Records, duplicate pairs and housemate pairs (one home, different people)."""
    rng = random.Random(1)
    records: list[dict[str, str]] = []
    duplicates: set[tuple[str, str]] = set()
    housemates: set[tuple[str, str]] = set()

    def person(home: dict[str, str]) -> dict[str, str]:
        first = rng.choice(FIRST_NAMES)
        return {
            "id": str(len(records)),
            "first_name": first,
            "dob": f"19{rng.randint(40, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "email": f"{first.lower()}.{home['last_name'].lower()}{rng.randint(1, 99)}@example.com",
            **home,
        }

    for entity in range(40):
        home = {
            "last_name": rng.choice(LAST_NAMES),
            "phone": f"{rng.randint(201, 989)}555{rng.randint(1000, 9999)}",
            "address": f"{rng.randint(1, 999)} {rng.choice(STREETS)} Street",
            "city": rng.choice(["Boston", "Denver", "Austin", "Miami"]),
        }
        records.append(first := person(home))
        if entity % 3 == 0:
            records.append(
                {
                    **first,
                    "id": str(len(records)),
                    "first_name": first["first_name"].upper(),
                    "email": first["email"].upper(),
                }
            )
            duplicates.add((first["id"], records[-1]["id"]))
        if entity % 4 == 1:
            records.append(person(home))
            housemates.add((first["id"], records[-1]["id"]))
    return records, duplicates, housemates


BRANDS = ("Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Wonka", "Hooli",
          "Vandelay", "Soylent", "Tyrell", "Cyberdyne")  # fmt: skip
ITEMS = ("kettle", "toaster", "blender", "heater", "router", "monitor", "speaker", "camera",
         "printer", "drill", "mixer", "lamp")  # fmt: skip


def catalogues() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Two shops' listings of the same products, each in a plain and a "Pro" edition."""
    left, right = [], []
    for number, (brand, item) in enumerate(zip(BRANDS, ITEMS, strict=True)):
        for edition, suffix, price in ((0, "", 40 + 7 * number), (1, " Pro", 90 + 11 * number)):
            key = f"{number}-{edition}"
            title = f"{brand} {item}{suffix} {100 + number}"
            left.append({"id": key, "title": title, "brand": brand, "price": f"{price}.00"})
            right.append({"id": key + "b", "title": title.lower(), "brand": brand.upper(),
                          "price": f"${price}"})  # fmt: skip
    return left, right


def people_with_fillers(
    people: int = 200, copies: int = 60, share: float = 0.25
) -> tuple[list[dict[str, str]], set[tuple[str, str]]]:
    """Records in which a `share` of e-mails and of birth dates are fillers
    (`noemail@example.com`, `1900-01-01`), and the duplicate pairs (a copy in capitals)."""
    rng = random.Random(2)
    records: list[dict[str, str]] = []
    for n in range(people):
        first, last = FIRST_NAMES[n % 20], LAST_NAMES[(n * 7 + n // 20) % 25]
        records.append({
            "id": str(n), "first_name": first, "last_name": last,
            "email": f"{first.lower()}.{last.lower()}{n}@mail.com",
            "phone": f"{rng.randint(201, 989)}555{rng.randint(1000, 9999)}",
            "dob": f"19{rng.randint(40, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        })  # fmt: skip
    duplicates = set()
    for n in range(copies):
        copy = {**records[n], "id": f"{n}-copy", "last_name": records[n]["last_name"].upper()}
        records.append(copy)
        duplicates.add((str(n), copy["id"]))
    for record in records:
        if rng.random() < share:
            record["email"] = "noemail@example.com"
        if rng.random() < share:
            record["dob"] = "1900-01-01"
    return records, duplicates


RARE_FILLERS = {
    "email": ("noemail@gmail.com", "none@yahoo.com", "x@x.com", "no.email@hotmail.com",
              "unknown@gmail.com", "na@na.com", "test@test.com", "nomail@aol.com"),
    "phone": ("(202) 555-0142", "312-555-0117", "(415) 555-0199", "000-000-0000",
              "+1 617 555 0188", "(123) 456-7890", "+44 20 7946 0321", "0161 496 0000"),
    "address": ("No fixed abode", "Of no fixed abode", "Address unknown", "no address given",
                "Unknown address", "No fixed address", "No known address", "Address not known"),
}  # fmt: skip


def _random_phone_and_dob(rng: random.Random) -> dict[str, str]:
    return {
        "phone": f"{rng.randint(201, 989)}{rng.randint(200, 999)}{rng.randint(1000, 9999)}",
        "dob": f"19{rng.randint(40, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
    }


def people_with_rare_fillers(
    field: str = "email",
) -> tuple[list[dict[str, str]], set[tuple[str, str]], set[tuple[str, str]]]:
    """150 people; 8 of them share a filler e-mail, phone or address (each a different one, held by
    two to three records) with a namesake in their town, and 8 others with a
    copy of themselves. Returns the records, the namesake pairs and the duplicate pairs."""
    rng = random.Random(5)
    towns = ("Franklin", "Clayton", "Clinton", "Marion", "Oxford", "Dayton")
    records = []
    for n in range(150):
        first, last = FIRST_NAMES[n % 20], LAST_NAMES[(n * 7 + n // 20) % 25]
        records.append({
            "id": str(n), "first_name": first, "last_name": last,
            "email": f"{first.lower()}.{last.lower()}{n}@mail.com",
            **_random_phone_and_dob(rng), "city": rng.choice(towns),
        })  # fmt: skip
        if field == "address":  # everyone has one, the fillers' holders aside
            records[-1]["address"] = f"{10 + 7 * n} {LAST_NAMES[n % 25]} Street"
    namesakes, duplicates = set(), set()
    for i, filler in enumerate(RARE_FILLERS[field]):
        person = records[i]
        person[field] = filler
        own_email = f"inbox{i}@elsewhere.org"
        namesake = {**person, "id": f"{i}-namesake", **_random_phone_and_dob(rng),
                    "email": own_email, field: filler}  # fmt: skip
        original = records[20 + i]
        copy = {**original, "id": f"{20 + i}-copy", field: filler,
                "last_name": original["last_name"].upper()}  # fmt: skip
        records += [namesake, copy]
        namesakes.add((person["id"], namesake["id"]))
        duplicates.add((original["id"], copy["id"]))
    return records, namesakes, duplicates


def spanish_people(copies: int = 10) -> list[dict[str, str]]:
    """60 people in Spain with international phone numbers (`+34 612 345 678`), and copies
    of the first `copies` with the number in national form (`612 345 678`)."""
    rng = random.Random(4)
    records = [
        {"id": str(n), "name": f"{FIRST_NAMES[n % 20]} {LAST_NAMES[n % 25]}",
         "phone": f"+34 6{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
         "city": rng.choice(["Madrid", "Sevilla", "Valencia"])}
        for n in range(60)
    ]  # fmt: skip
    return records + [national_copy(r, "copy") for r in records[:copies]]


def national_copy(record: dict[str, str], suffix: str) -> dict[str, str]:
    """The record with its Spanish number in national form, under the id `<id>-<suffix>`."""
    return {**record, "id": f"{record['id']}-{suffix}", "phone": record["phone"][4:]}


def contact_list(
    size: int, employers: int, contact: str = "phone"
) -> tuple[list[dict[str, str]], dict[str, str]]:
    """Synthetic persons with their employer (`bench.dedupe_data.with_employers`): first and
    last name, `contact` (phone or e-mail), city, company and website; and the entity of each
    record."""
    from bench.dedupe_data import generate, with_employers

    columns = ("first_name", "last_name", contact, "city", "company", "website")
    rows = with_employers(generate(size, seed=3), employers)
    entity = {str(i): row["entity_id"] for i, row in enumerate(rows)}
    return [{c: row[c] for c in columns} for row in rows], entity
