"""Contact intelligence: what an email address or a phone number says about its owner.

Email -> `<column>_type` (free, corporate or disposable; `reserved` for a documentation
domain such as `example.com`; `placeholder` for a filler such as `noemail@gmail.com`, which
says nothing more), `<column>_role` (a role account such as
`info@`) and `<column>_organization` (the domain of a corporate address). Phone ->
`<column>_country`, `<column>_type`, `<column>_region`, `<column>_carrier` (where the offline
prefix data has one) and `<column>_timezone` (when the number's prefix has exactly one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cleara.engine.enrich.base import Candidate, is_missing
from cleara.engine.enrich.geo import PhoneFacts
from cleara.engine.fields import email as email_field
from cleara.engine.fields import phone as phone_field
from cleara.engine.fields.base import FieldOptions, JsonScalar, as_text

EMAIL_SUFFIXES = ("type", "role", "organization")
PHONE_SUFFIXES = ("country", "type", "region", "carrier", "timezone")

# Prefix data names the carrier a number range was allocated to; ported numbers move.
CARRIER_CONFIDENCE = 0.9


@dataclass(frozen=True, slots=True)
class ContactFacts:
    """New-column candidates for one record, and the phone facts the geo step uses."""

    candidates: dict[str, Candidate]
    phone: PhoneFacts | None


@lru_cache(maxsize=65536)
def email_components(text: str) -> dict[str, Any] | None:
    """The email field's components of a valid address, else None."""
    result = email_field.FIELD.validate(text)
    return result.components if result.valid and result.value is not None else None


@lru_cache(maxsize=65536)
def phone_components(text: str, region: str | None) -> dict[str, Any] | None:
    """The phone field's components of a valid number (and whether it is a filler), else
    None."""
    result = phone_field.FIELD.validate(text, FieldOptions(country=region))
    if not result.valid or result.value is None:
        return None
    return {**result.components, "placeholder": result.placeholder}


def email_facts(column: str, text: str) -> dict[str, Candidate]:
    """Type, role flag and organization domain of one address."""
    parts = email_components(text)
    if parts is None:
        return {}
    domain = str(parts["ascii_domain"])
    if parts["placeholder"]:
        reason = email_field.placeholder_reason(str(parts["local"]), domain)
        return {f"{column}_type": Candidate("placeholder", "email", 1.0, str(reason))}
    kind = "disposable" if parts["disposable"] else "free" if parts["free"] else "corporate"
    if email_field.is_reserved_domain(domain):
        kind = "reserved"  # example.com: no organization behind it
    found = {
        f"{column}_type": Candidate(kind, "email", 1.0, _kind_reason(kind, domain)),
        f"{column}_role": Candidate(
            bool(parts["role"]),
            "email",
            1.0,
            f"{parts['local']}@ is {'a role account' if parts['role'] else 'a personal address'}",
        ),
    }
    if kind == "corporate":
        found[f"{column}_organization"] = Candidate(
            domain, "email", 1.0, f"{domain} is not a free or disposable mail provider"
        )
    return found


def _kind_reason(kind: str, domain: str) -> str:
    if kind == "reserved":
        return f"{domain} is reserved for examples; no mail reaches it"
    if kind == "disposable":
        return f"{domain} is on the disposable-address blocklist"
    if kind == "free":
        return f"{domain} is a free mail provider"
    return f"{domain} is neither a free nor a disposable mail provider"


def phone_facts(
    column: str, text: str, region: str | None
) -> tuple[dict[str, Candidate], PhoneFacts | None]:
    """Country, type, region, carrier and time zone of one number; for a fictional or
    dummy number (`(202) 555-0142`, `07777 777777`), only its type `placeholder`."""
    parts = phone_components(text, region)
    if parts is None:
        return {}, None
    number = str(parts["e164"])
    if parts["placeholder"]:  # `(202) 555-0142`: its area says nothing of its holder
        reason = f"{number} is reserved for fiction or typed as a filler; no one answers it"
        return {f"{column}_type": Candidate("placeholder", "phone", 1.0, reason)}, None
    country = parts["country"]
    zones = tuple(str(z) for z in parts["timezones"])
    found: dict[str, Candidate] = {}
    why = f"{number}: libphonenumber's offline metadata"
    if country:
        found[f"{column}_country"] = Candidate(str(country), "phone", 1.0, why)
    found[f"{column}_type"] = Candidate(str(parts["type"]), "phone", 1.0, why)
    if parts["region_description"]:
        found[f"{column}_region"] = Candidate(str(parts["region_description"]), "phone", 1.0, why)
    if parts["carrier"]:
        found[f"{column}_carrier"] = Candidate(
            str(parts["carrier"]),
            "phone",
            CARRIER_CONFIDENCE,
            f"{number}: the range's original carrier; a ported number may have moved",
        )
    if len(zones) == 1:
        found[f"{column}_timezone"] = Candidate(zones[0], "phone", 1.0, why)
    return found, PhoneFacts(column, str(country) if country else None, zones)


def phone_region(values: Sequence[JsonScalar], default: str | None) -> str | None:
    """The region numbers without `+` are read in: `default`, else inferred from the column."""
    options = phone_field.FIELD.infer(values[:2000], FieldOptions(country=default))
    return options.country


class ContactEnricher:
    """Derives contact facts for the records of one table."""

    def __init__(
        self,
        email_columns: Sequence[str],
        phone_columns: Sequence[str],
        rows: Sequence[Mapping[str, JsonScalar]],
        default_country: str | None = None,
    ) -> None:
        self.email_columns = list(email_columns)
        self.phone_columns = list(phone_columns)
        self._regions = {
            column: phone_region([row.get(column) for row in rows], default_country)
            for column in self.phone_columns
        }

    def new_columns(self) -> list[str]:
        """The columns this enricher may add, in order."""
        names = [f"{c}_{s}" for c in self.email_columns for s in EMAIL_SUFFIXES]
        return names + [f"{c}_{s}" for c in self.phone_columns for s in PHONE_SUFFIXES]

    def derive(self, row: Mapping[str, JsonScalar], row_country: str | None) -> ContactFacts:
        """New-column candidates of one record; `row_country` reads national numbers."""
        candidates: dict[str, Candidate] = {}
        for column in self.email_columns:
            value = row.get(column)
            if not is_missing(value):
                candidates.update(email_facts(column, as_text(value).strip()))
        first_phone: PhoneFacts | None = None
        for column in self.phone_columns:
            value = row.get(column)
            if is_missing(value):
                continue
            region = row_country or self._regions[column]
            found, facts = phone_facts(column, as_text(value).strip(), region)
            candidates.update(found)
            first_phone = first_phone or facts
        return ContactFacts(candidates, first_phone)
