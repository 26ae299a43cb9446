"""A generator of messy customer tables, the way CRM exports and sign-up forms look.

Ten columns: name, email, phone, address, city, state, zip, country, date, notes. Values are
corrupted the way real data is: case noise, stray whitespace, mixed phone formats, ZIP codes
that lost their leading zero in a spreadsheet, null tokens, email typos, state names spelled
out, and a column of dates in one month-first format.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from faker import Faker

COLUMNS = ["name", "email", "phone", "address", "city", "state", "zip", "country", "date", "notes"]
_COUNTRY_SPELLINGS = ["US", "USA", "United States", "united states", "U.S.A.", "us", "America"]
_NULLS = ["", "N/A", "null", "-", "none", "?"]
_TYPO_DOMAINS = {"gmail.com": "gmial.com", "yahoo.com": "yaho.com", "hotmail.com": "hotmial.com"}
_STATE_NAMES = {
    "CA": "California", "NY": "new york", "TX": "Texas", "FL": "Florida", "MA": "Mass.",
    "IL": "Illinois", "WA": "Washington", "NJ": "New Jersey",
}  # fmt: skip


def _phone(fake: Faker, rng: random.Random) -> str:
    digits = f"{rng.choice([212, 415, 617, 312, 206, 305, 512, 713, 202, 646])}"
    digits += f"{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"
    a, b, c = digits[:3], digits[3:6], digits[6:]
    return rng.choice(
        [f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"{a}.{b}.{c}", f"+1 {a} {b} {c}", f"1{digits}",
         f"{a}{b}{c}", f" {a} {b} {c} "]
    )  # fmt: skip


def _name(fake: Faker, rng: random.Random) -> str:
    first, last = fake.first_name(), fake.last_name()
    style = rng.random()
    if style < 0.15:
        return f"{last.upper()}, {first.upper()}"
    if style < 0.3:
        return f"{first} {last}".lower()
    if style < 0.4:
        return f"  {first}  {last} "
    if style < 0.45:
        return f"Dr. {first} {last}"
    return f"{first} {last}"


def _email(fake: Faker, rng: random.Random, name: str) -> str:
    local = "".join(ch for ch in name.lower() if ch.isalpha() or ch == " ").strip()
    local = ".".join(local.split()[:2]) or fake.user_name()
    domain = rng.choice(
        ["gmail.com", "yahoo.com", "hotmail.com", "outlook.com", fake.domain_name()]
    )
    if rng.random() < 0.05:
        domain = _TYPO_DOMAINS.get(domain, domain)
    email = f"{local}{rng.randint(1, 99)}@{domain}"
    if rng.random() < 0.2:
        email = email.upper() if rng.random() < 0.5 else f" {email} "
    if rng.random() < 0.02:
        email = email.replace("@", " at ")
    return email


def _row(fake: Faker, rng: random.Random) -> dict[str, str]:
    name = _name(fake, rng)
    state = fake.state_abbr(include_territories=False, include_freely_associated_states=False)
    zipcode = fake.zipcode_in_state(state)
    city = fake.city()
    street = fake.street_address()
    row = {
        "name": name,
        "email": _email(fake, rng, name),
        "phone": _phone(fake, rng),
        "address": f"{street}, {city}, {state} {zipcode}",
        "city": city.upper() if rng.random() < 0.2 else city,
        "state": _STATE_NAMES.get(state, state) if rng.random() < 0.3 else state,
        "zip": zipcode.lstrip("0") if rng.random() < 0.5 else zipcode,
        "country": rng.choice(_COUNTRY_SPELLINGS),
        "date": fake.date_between("-10y", "today").strftime("%m/%d/%Y"),
        "notes": fake.sentence(nb_words=rng.randint(3, 12)) + ("  " if rng.random() < 0.3 else ""),
    }
    for column in COLUMNS:
        if rng.random() < 0.03:
            row[column] = rng.choice(_NULLS)
    return row


def generate(rows: int, seed: int = 7) -> list[dict[str, str]]:
    """`rows` messy customer records, the same for the same seed."""
    fake = Faker("en_US")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    return [_row(fake, rng) for _ in range(rows)]


def write_csv(path: Path, rows: int, seed: int = 7) -> Path:
    """Write (once) a customer CSV of `rows` rows and return its path."""
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    records = generate(rows, seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(records)
    return path
