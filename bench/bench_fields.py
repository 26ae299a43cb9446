"""Accuracy per field type on hand-labelled messy values from real-world formats, next to the
plain library call a script would make for the same value."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dateparser
import email_validator
import phonenumbers
import pycountry
import usaddress
from nameparser import HumanName

from bench.report import print_table
from cleara.engine.fields.base import FieldOptions
from cleara.engine.fields.registry import get_field

CASES = Path(__file__).parent / "data" / "field_cases.tsv"
INVALID = "INVALID"


def _cases() -> list[tuple[str, str, str, str]]:
    """(type, country, input, expected); a trailing sentence period after an email is
    treated as punctuation to strip, as a person reading the value would."""
    with CASES.open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    rows = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return [tuple(row) for row in rows]  # type: ignore[misc]


def _baseline_email(value: str, _country: str) -> Any:
    try:
        return email_validator.validate_email(value, check_deliverability=False).normalized
    except email_validator.EmailNotValidError:
        return INVALID


def _baseline_phone(value: str, country: str) -> Any:
    try:
        number = phonenumbers.parse(value, country or None)
    except phonenumbers.NumberParseException:
        return INVALID
    if not phonenumbers.is_valid_number(number):
        return INVALID
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _baseline_name(value: str, _country: str) -> Any:
    name = HumanName(value)
    if not name.first and not name.last:
        return INVALID
    name.capitalize(force=True)
    return str(name)


def _baseline_address(value: str, _country: str) -> Any:
    try:
        parts, _ = usaddress.tag(value)
    except usaddress.RepeatedLabelError:
        return INVALID
    street = " ".join(
        parts.get(k, "")
        for k in ("AddressNumber", "StreetNamePreDirectional", "StreetName",
                  "StreetNamePostType", "StreetNamePostDirectional", "OccupancyType",
                  "OccupancyIdentifier")
        if parts.get(k)
    )  # fmt: skip
    return f"{street}, {parts.get('PlaceName', '')}, {parts.get('StateName', '')} " + parts.get(
        "ZipCode", ""
    )


def _baseline_date(value: str, country: str) -> Any:
    order = "MDY" if country in ("US", "") else "DMY"
    parsed = dateparser.parse(value, settings={"DATE_ORDER": order})
    return parsed.date().isoformat() if parsed else INVALID


def _baseline_country(value: str, _country: str) -> Any:
    try:
        return pycountry.countries.lookup(value).alpha_2
    except LookupError:
        return INVALID


def _baseline_identity(value: str, _country: str) -> Any:
    return value.strip()


BASELINES: dict[str, tuple[str, Callable[[str, str], Any]]] = {
    "email": ("email-validator", _baseline_email),
    "phone": ("phonenumbers", _baseline_phone),
    "name": ("nameparser", _baseline_name),
    "address": ("usaddress", _baseline_address),
    "date": ("dateparser", _baseline_date),
    "country": ("pycountry lookup", _baseline_country),
    "postal_code": ("strip only", _baseline_identity),
    "url": ("strip only", _baseline_identity),
}


def _cleara(type_name: str, value: str, country: str) -> Any:
    result = get_field(type_name).validate(value, FieldOptions(country=country or None))
    return result.value if result.valid else INVALID


def run() -> list[list[object]]:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    misses: list[str] = []
    for type_name, country, value, expected in _cases():
        ours = _cleara(type_name, value, country)
        theirs = BASELINES[type_name][1](value, country)
        totals[type_name][0] += 1
        totals[type_name][1] += ours == expected
        totals[type_name][2] += theirs == expected
        if ours != expected:
            misses.append(f"{type_name}: {value!r} -> {ours!r}, expected {expected!r}")
    rows: list[list[object]] = []
    for type_name, (cases, ours, theirs) in totals.items():
        rows.append([
            type_name, cases, f"{ours / cases:.0%}", BASELINES[type_name][0],
            f"{theirs / cases:.0%}",
        ])  # fmt: skip
    print_table(
        "Field accuracy on hand-labelled messy values (bench/data/field_cases.tsv)",
        ["type", "cases", "Cleara", "baseline", "baseline accuracy"],
        rows,
    )
    for miss in misses:
        print("  miss:", miss)
    return rows


if __name__ == "__main__":
    run()
