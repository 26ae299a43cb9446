"""The baseline: a plain loop calling the same libraries value by value, as a script would."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dateparser
import email_validator
import ftfy
import phonenumbers
import pycountry
import usaddress
import zipcodes
from nameparser import HumanName


def _email(value: str) -> Any:
    try:
        return email_validator.validate_email(value, check_deliverability=False).normalized
    except email_validator.EmailNotValidError:
        return None


def _phone(value: str) -> Any:
    try:
        number = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _name(value: str) -> Any:
    name = HumanName(value)
    name.capitalize(force=True)
    return str(name)


def _address(value: str) -> Any:
    try:
        return usaddress.tag(value)[0]
    except usaddress.RepeatedLabelError:
        return None


def _country(value: str) -> Any:
    try:
        return pycountry.countries.lookup(value).alpha_2
    except LookupError:
        return None


def _state(value: str) -> Any:
    try:
        return pycountry.subdivisions.lookup(f"US-{value}").code
    except LookupError:
        return None


def _zip(value: str) -> Any:
    try:
        return bool(zipcodes.matching(value.zfill(5)))
    except (TypeError, ValueError):
        return None


def _date(value: str) -> Any:
    parsed = dateparser.parse(value, settings={"DATE_ORDER": "MDY"})
    return parsed.date().isoformat() if parsed else None


CLEANERS = {
    "name": _name,
    "email": _email,
    "phone": _phone,
    "address": _address,
    "city": lambda v: v.strip().title(),
    "state": _state,
    "zip": _zip,
    "country": _country,
    "date": _date,
    "notes": lambda v: " ".join(ftfy.fix_text(v).split()),
}


def clean_rows(rows: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Clean every value with its library, one call per value, no caching."""
    out = []
    for row in rows:
        out.append({k: CLEANERS[k](v) if v else v for k, v in row.items()})
    return out
