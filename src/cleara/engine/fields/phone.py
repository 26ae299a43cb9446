"""Phone field: parsing, validation and formatting with Google's libphonenumber.

Numbers without a `+` are read in the default region: `options.country` (per row from a
country column), else the region `infer` finds for the whole column (the one under which most
of the column's numbers are valid). The value is E.164 (`+14155552671`) unless
`options.phone_format` asks for the international or national layout; extensions never go
into the value (E.164 has none) but into `components["extension"]`.

Common junk is read as meant: `tel:` URIs, vanity letters (`1-800-FLOWERS`), `00`/`011`
international prefixes, a `(0)` trunk prefix inside an international number, and numbers a
spreadsheet stored as floats (`4155552671.0`, `4.155552671E+9`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

import phonenumbers
from phonenumbers import (
    NumberParseException,
    PhoneNumber,
    PhoneNumberFormat,
    PhoneNumberType,
    ValidationResult,
)

from cleara.engine.fields.base import FieldOptions, FieldResult, FieldType, Issue, invalid
from cleara.engine.fields.country import country_info, region_option

TYPE_NAME = "phone"

# Regions tried for a column without a country option, after those of its `+` numbers.
COMMON_REGIONS = (
    "US",
    "GB",
    "IN",
    "DE",
    "FR",
    "AU",
    "BR",
    "MX",
    "ES",
    "IT",
    "NL",
    "JP",
    "CN",
    "ZA",
    "NG",
    "PH",
    "ID",
    "PK",
    "RU",
    "TR",
    "KR",
    "PL",
    "SE",
    "CH",
    "BE",
    "IE",
    "NZ",
    "SG",
    "AR",
    "CO",
)
_INFER_SAMPLE = 200
_MAX_INPUT_LENGTH = 64

_FORMATS = {
    "e164": PhoneNumberFormat.E164,
    "international": PhoneNumberFormat.INTERNATIONAL,
    "national": PhoneNumberFormat.NATIONAL,
}
_TYPE_NAMES = {
    getattr(PhoneNumberType, name): name.lower() for name in dir(PhoneNumberType) if name.isupper()
}
_CARRIER_TYPES = frozenset(
    {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE, PhoneNumberType.PAGER}
)
_FLOAT_TEXT = re.compile(r"^(\+?\d+)\.0+$")
_SCIENTIFIC_TEXT = re.compile(r"^\d(?:\.\d+)?[eE]\+?\d{1,2}$")
_LEADING_JUNK = re.compile(r"^[\s(\[]+")
_NON_DIGITS = re.compile(r"\D")
_NON_GEOGRAPHIC_REGION = "001"
_MIN_DUMMY_DIGITS = 7
_ASCENDING = "01234567890"
_DESCENDING = "9876543210"

# Ranges set aside for films, books and examples (E.164 prefixes): Ofcom's drama numbers in
# the UK and ACMA's in Australia. North America's 555-0100 to 555-0199 are matched apart.
_FICTIONAL_PREFIXES = (
    "+441134960", "+441144960", "+441154960", "+441164960", "+441174960", "+441184960",
    "+441214960", "+441314960", "+441414960", "+441514960", "+441614960", "+441914980",
    "+442079460", "+442896496", "+442920180", "+441632960", "+447700900", "+448081570",
    "+449098790", "+443069990",
    "+6125550", "+6127010", "+6135550", "+6137010", "+6175550", "+6177010", "+6185550",
    "+6187010",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Reading:
    """A parse of the input: the number (None when unparseable), its type (UNKNOWN unless
    the number is valid) and how it was read."""

    number: PhoneNumber | None
    kind: int = PhoneNumberType.UNKNOWN
    error: NumberParseException | None = None
    added_plus: bool = False

    @property
    def valid(self) -> bool:
        # libphonenumber calls a number valid exactly when it matches a type's ranges.
        return self.number is not None and self.kind != PhoneNumberType.UNKNOWN


def _spreadsheet_number(text: str) -> str:
    """`4155552671.0` and `4.155552671E+9` (numbers a spreadsheet stored) as digits."""
    float_form = _FLOAT_TEXT.match(text)
    if float_form:
        return float_form.group(1)
    if _SCIENTIFIC_TEXT.match(text):
        number = Decimal(text)
        if number == number.to_integral_value():
            return str(int(number))
    return text


def _alternatives(text: str) -> Iterator[tuple[str, bool]]:
    """Other readings to try when the plain parse is not a valid number: an international
    prefix (`00`, `011`) the default region does not use, or a missing `+`."""
    if "+" in text:
        return
    body = _LEADING_JUNK.sub("", text)
    for prefix in ("00", "011"):
        if body.startswith(prefix):
            yield "+" + body[len(prefix) :], False
    if len(_NON_DIGITS.sub("", body)) >= 11:
        yield "+" + body, True


def _parse(text: str, region: str | None) -> tuple[PhoneNumber | None, NumberParseException | None]:
    try:
        return phonenumbers.parse(text, region), None
    except NumberParseException as error:
        return None, error


def _read(text: str, region: str | None) -> _Reading:
    number, error = _parse(text, region)
    if number is not None:
        reading = _Reading(number, phonenumbers.number_type(number))
        if reading.valid:
            return reading
    for alternative, added_plus in _alternatives(text):
        candidate, _ = _parse(alternative, region)
        if candidate is not None:
            kind = phonenumbers.number_type(candidate)
            if kind != PhoneNumberType.UNKNOWN:
                return _Reading(candidate, kind, added_plus=added_plus)
    return _Reading(number, error=error)


# libphonenumber's `timezone.UNKNOWN_TIMEZONE`; importing that module loads the time-zone
# tables, which `_prefix_data` defers (a test checks that the two agree).
UNKNOWN_TIMEZONE = "Etc/Unknown"


@cache
def _prefix_data(kind: str) -> tuple[dict[str, Any], int]:
    """libphonenumber's per-prefix data (`geodata` or `tzdata`), imported on first use.

    The geocoding tables alone take about 0.3 s to import, so a process that never meets a
    valid number does not pay for them."""
    if kind == "geodata":
        from phonenumbers.geodata import GEOCODE_DATA, GEOCODE_LONGEST_PREFIX

        return GEOCODE_DATA, GEOCODE_LONGEST_PREFIX
    from phonenumbers.tzdata import TIMEZONE_DATA, TIMEZONE_LONGEST_PREFIX

    return TIMEZONE_DATA, TIMEZONE_LONGEST_PREFIX


def _carrier_name(number: PhoneNumber) -> str:
    from phonenumbers import carrier  # its prefix tables load on first use, like `_prefix_data`

    return str(carrier.name_for_valid_number(number, "en"))


def _longest_prefix_entry(data: dict[str, Any], longest: int, digits: str) -> Any:
    for length in range(min(longest, len(digits)), 0, -1):
        entry = data.get(digits[:length])
        if entry:
            return entry
    return None


def _time_zones(e164: str, number: PhoneNumber, kind: int) -> list[str]:
    """Time zones from the number's prefix (area-level for geographic numbers)."""
    if kind == PhoneNumberType.UNKNOWN:
        return []
    geographic = phonenumbers.is_number_type_geographical(kind, number.country_code or 0)
    digits = e164[1:] if geographic else str(number.country_code)
    zones = _longest_prefix_entry(*_prefix_data("tzdata"), digits)
    return [zone for zone in zones or () if zone != UNKNOWN_TIMEZONE]


def _country_name(number: PhoneNumber) -> str:
    """The English name of the one country a number belongs to; empty when its calling code
    is shared and the number is valid in several of those countries (libphonenumber's rule)."""
    regions = phonenumbers.region_codes_for_country_code(number.country_code or 0)
    if len(regions) > 1:
        regions = tuple(r for r in regions if phonenumbers.is_valid_number_for_region(number, r))
    info = country_info(regions[0]) if len(regions) == 1 else None
    return info.name if info else ""


def _region_description(number: PhoneNumber, e164: str, kind: int) -> str:
    """The area (`San Francisco, CA`) or else the country of a valid number, in English.

    Follows libphonenumber's geocoder without repeating the number's region search."""
    if not phonenumbers.is_number_type_geographical(kind, number.country_code or 0):
        return _country_name(number)
    digits = e164[1:]
    token = phonenumbers.country_mobile_token(number.country_code or 0)
    national = phonenumbers.national_significant_number(number)
    if token and national.startswith(token):  # e.g. Argentina's mobile `9`
        digits = f"{number.country_code}{national[len(token) :]}"
    entry = _longest_prefix_entry(*_prefix_data("geodata"), digits)
    if entry and entry.get("en"):
        return str(entry["en"])
    return _country_name(number)


def _components(number: PhoneNumber, kind: int) -> dict[str, Any]:
    valid = kind != PhoneNumberType.UNKNOWN
    region = phonenumbers.region_code_for_number(number)
    plain = _without_extension(number)
    e164 = phonenumbers.format_number(plain, PhoneNumberFormat.E164)
    return {
        "country": None if region in (None, _NON_GEOGRAPHIC_REGION) else region,
        "type": _TYPE_NAMES.get(kind, "unknown"),
        "e164": e164,
        "international": phonenumbers.format_number(plain, PhoneNumberFormat.INTERNATIONAL),
        "national": phonenumbers.format_number(plain, PhoneNumberFormat.NATIONAL),
        "extension": number.extension or None,
        "region_description": _region_description(number, e164, kind) if valid else "",
        "carrier": _carrier_name(number) if kind in _CARRIER_TYPES else "",
        "timezones": _time_zones(e164, number, kind),
        "possible": phonenumbers.is_possible_number(number),
        "valid": valid,
    }


def _without_extension(number: PhoneNumber) -> PhoneNumber:
    if not number.extension:
        return number
    plain = PhoneNumber()
    plain.merge_from(number)
    plain.extension = None
    return plain


_PARSE_ERRORS = {
    NumberParseException.INVALID_COUNTRY_CODE: (
        "phone_invalid",
        "The country calling code is missing or unknown; write the number with +<country "
        "code> or give a default country.",
    ),
    NumberParseException.NOT_A_NUMBER: ("phone_invalid", "Not a phone number."),
    NumberParseException.TOO_SHORT_AFTER_IDD: (
        "phone_too_short",
        "Too few digits after the international prefix.",
    ),
    NumberParseException.TOO_SHORT_NSN: ("phone_too_short", "Too few digits for a phone number."),
    NumberParseException.TOO_LONG: ("phone_too_long", "Too many digits for a phone number."),
}
_IMPOSSIBLE = {
    ValidationResult.INVALID_COUNTRY_CODE: ("phone_invalid", "Unknown country calling code."),
    ValidationResult.TOO_SHORT: ("phone_too_short", "Too few digits for {region}."),
    ValidationResult.TOO_LONG: ("phone_too_long", "Too many digits for {region}."),
    ValidationResult.INVALID_LENGTH: ("phone_invalid", "No number of {region} has this length."),
    ValidationResult.IS_POSSIBLE_LOCAL_ONLY: (
        "phone_too_short",
        "A local number without its area code; it cannot be dialled from elsewhere.",
    ),
}


def _unparsed(text: str, error: NumberParseException | None, region: str | None) -> FieldResult:
    code, message = _PARSE_ERRORS.get(
        error.error_type if error else NumberParseException.NOT_A_NUMBER,
        ("phone_invalid", "Not a phone number."),
    )
    if code == "phone_invalid" and region is None and "+" not in text:
        message += " No default country was given or inferred."
    return invalid(text, TYPE_NAME, code, message)


def _region_label(number: PhoneNumber) -> str:
    """`United States (+1)` for messages; the calling code alone when shared or unknown."""
    regions = phonenumbers.region_codes_for_country_code(number.country_code or 0)
    info = country_info(regions[0]) if len(regions) == 1 else None
    calling_code = f"+{number.country_code}"
    return f"{info.name} ({calling_code})" if info else f"country code {calling_code}"


def _not_valid(text: str, number: PhoneNumber) -> FieldResult:
    reason = phonenumbers.is_possible_number_with_reason(number)
    region = _region_label(number)
    components = _components(number, PhoneNumberType.UNKNOWN)
    if reason == ValidationResult.IS_POSSIBLE:
        return FieldResult(
            input=text,
            type=TYPE_NAME,
            valid=False,
            value=components["e164"],
            issues=[
                Issue(
                    "phone_not_valid",
                    f"The number is possible for {region} but is not an assigned number range.",
                    "error",
                )
            ],
            components=components,
            confidence=0.3,
            rule=None if components["e164"] == text else "phone.e164",
        )
    code, message = _IMPOSSIBLE.get(reason, ("phone_invalid", "Not a valid phone number."))
    return invalid(text, TYPE_NAME, code, message.format(region=region), **components)


def _valid(text: str, reading: _Reading, options: FieldOptions) -> FieldResult:
    number = reading.number
    assert number is not None  # a valid reading always holds a number
    components = _components(number, reading.kind)
    style = options.phone_format if options.phone_format in _FORMATS else "e164"
    value = components["e164" if style == "e164" else style]
    result = FieldResult(
        input=text,
        type=TYPE_NAME,
        valid=True,
        value=value,
        components=components,
        rule=None if value == text else f"phone.{style}",
    )
    if components["extension"]:
        result.issues.append(
            Issue(
                "phone_has_extension",
                f"Extension {components['extension']} kept in components; E.164 has no extensions.",
                "info",
            )
        )
    if is_fictional(components["e164"]):
        result.placeholder = True
        message = "A number reserved for films and examples; no one answers it."
        result.issues.append(Issue("phone_fictional", message, "warning"))
    if reading.added_plus:
        result.confidence = 0.8
        result.issues.append(
            Issue(
                "phone_missing_plus",
                "The number only makes sense with its country code; read it as international.",
                "warning",
            )
        )
    return result


def is_fictional(e164: str) -> bool:
    """True for numbers reserved for fiction and examples (`+1 202 555 0142`, UK drama
    numbers such as `+44 20 7946 0123`): valid in form, but no one answers them."""
    if e164.startswith("+1") and len(e164) == 12:
        return e164[5:8] == "555" and e164[8:10] == "01"
    return e164.startswith(_FICTIONAL_PREFIXES)


@cache
def _calling_codes() -> frozenset[str]:
    return frozenset(str(code) for code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE)


def split_calling_code(digits: str) -> tuple[str, str] | None:
    """An international number's digits split into its calling code and the national
    significant number (`34612345678` -> `34`, `612345678`); None when no code starts
    them. Calling codes are prefix-free, so the first one found is the one."""
    codes = _calling_codes()
    for size in (1, 2, 3):
        if digits[:size] in codes:
            return digits[:size], digits[size:]
    return None


def calling_region(code: str) -> str | None:
    """The main region of a calling code (`44` -> `GB`), None for a non-geographic one."""
    region = phonenumbers.region_code_for_country_code(int(code))
    return region if region in phonenumbers.SUPPORTED_REGIONS else None


def trunk_prefix(region: str | None) -> str:
    """The digit national numbers of a region start with before their national significant
    number (`0` in the UK and France, `1` in North America, `8` in Russia; none in Spain and
    Italy, whose leading `0` belongs to the number); `0`, the most common, when unknown."""
    if region is None:
        return "0"
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    prefix = metadata.national_prefix if metadata is not None else None
    return prefix if prefix and prefix.isdigit() else ""


def fictional_from_digits(digits: str, *, international: bool) -> str | None:
    """The E.164 form of a number typed as `digits` (after a `+` when `international`) if it
    is fictional (`is_fictional`), else None. Read without libphonenumber or a region, for
    speed: `00` starts an international number; national forms are North America's (ten
    digits, or eleven from `1`), the UK's (eleven from `0`) and Australia's (ten from `0`)."""
    if len(digits) == 10 and digits[0] != "0" and not international:  # the common case
        return f"+1{digits}" if digits[3:6] == "555" and digits[6:8] == "01" else None
    if international:
        e164 = f"+{digits}"
    elif digits.startswith("00"):
        e164 = f"+{digits[2:]}"
    elif len(digits) == 10:
        e164 = f"+61{digits[1:]}"
    elif len(digits) == 11:
        e164 = f"+44{digits[1:]}" if digits[0] == "0" else f"+{digits}"
    else:
        return None
    return e164 if is_fictional(e164) else None


def _default_region(options: FieldOptions) -> str | None:
    """The option as a libphonenumber region: alpha-2 in any case (including regions such as
    `AC` outside ISO 3166-1), or a country name or alias."""
    if not options.country:
        return None
    upper = options.country.strip().upper()
    if upper in phonenumbers.SUPPORTED_REGIONS:
        return upper
    region = region_option(options.country)
    return region if region in phonenumbers.SUPPORTED_REGIONS else None


def _validate_value(text: str, options: FieldOptions) -> FieldResult:
    if len(text) > _MAX_INPUT_LENGTH:
        return invalid(text, TYPE_NAME, "phone_too_long", "Too long to be a phone number.")
    region = _default_region(options)
    reading = _read(_spreadsheet_number(text.strip()), region)
    if reading.number is None:
        result = _unparsed(text, reading.error, region)
    elif not reading.valid:
        result = _not_valid(text, reading.number)
    else:
        result = _valid(text, reading, options)
    if is_dummy_digits(_NON_DIGITS.sub("", text)):
        _mark_dummy(text, result)
    return result


def is_dummy_digits(digits: str) -> bool:
    """True for digits typed to fill a phone field: one digit repeated or a run, of at least
    seven digits in the last ten (`000-000-0000`, `+1 555 555 5555`, `123-456-7890`)."""
    tail = digits[-10:]
    if len(tail) < _MIN_DUMMY_DIGITS:
        return False
    return tail.count(tail[0]) == len(tail) or tail in _ASCENDING or tail in _DESCENDING


def _mark_dummy(text: str, result: FieldResult) -> None:
    """Flag a dummy number as a filler: a warning when it is valid in form (`07777 777777`
    is a UK mobile number), else in place of the reason it is not a number."""
    result.placeholder = True
    message = f"'{text.strip()}' is a filler (one digit repeated, or a run), not a real number"
    if result.valid:
        result.issues.append(Issue("phone_placeholder", message, "warning"))
    else:
        result.issues = [Issue("phone_placeholder", message, "error")]


def _accepts(text: str, options: FieldOptions) -> bool:
    """`_validate_value(...).valid`, without formatting the number or looking up its place."""
    if len(text) > _MAX_INPUT_LENGTH:
        return False
    return _read(_spreadsheet_number(text.strip()), _default_region(options)).valid


@lru_cache(maxsize=4096)
def _plus_region(text: str) -> str | None:
    number, _ = _parse(text, None)
    if number is None:
        return None
    region = phonenumbers.region_code_for_number(number)
    return region if region in phonenumbers.SUPPORTED_REGIONS else None


def _valid_in(text: str, region: str) -> bool:
    if _too_short(text, region):
        return False
    number, _ = _parse(text, region)
    return number is not None and phonenumbers.is_valid_number(number)


def _too_short(text: str, region: str) -> bool:
    """Fewer digits than any valid number of `region` has: invalid without a parse (most
    trial parses of region inference are of short numbers in columns that hold no phones).
    Letters can dial as digits (`1-800-FLOWERS`), so a text with a letter is never short."""
    if any(c.isalpha() for c in text):
        return False
    return sum(c.isdigit() for c in text) < _shortest_number(region)


@cache
def _shortest_number(region: str) -> int:
    """The fewest digits of a valid national number in `region` (libphonenumber metadata)."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    general = metadata.general_desc if metadata else None
    lengths = [n for n in general.possible_length if n > 0] if general else []
    return min(lengths, default=0)


def _is_international(text: str) -> bool:
    body = _LEADING_JUNK.sub("", text)
    return body.startswith(("+", "00")) or body.lower().startswith("tel:+")


def infer_region(texts: Sequence[str]) -> str | None:
    """The region under which most of the numbers written without `+` are valid, or None.

    Candidates are the regions of the column's `+` numbers, most frequent first, then
    `COMMON_REGIONS`; the first candidate under which 90% of them are valid wins, else the
    one with the most valid numbers.
    """
    distinct = [_spreadsheet_number(t.strip()) for t in dict.fromkeys(texts)]
    international = [t for t in distinct if _is_international(t)]
    national = [t for t in distinct if not _is_international(t)][:_INFER_SAMPLE]
    # A text without a digit is a number in no region (libphonenumber starts a number at a
    # digit): a column of names or cities needs no trial parse at all.
    dialable = [t for t in national if any(c.isdigit() for c in t)]
    if not dialable:
        return None
    seen = Counter(r for r in map(_plus_region, international[:_INFER_SAMPLE]) if r)
    candidates = list(dict.fromkeys([r for r, _ in seen.most_common()] + list(COMMON_REGIONS)))
    best_region, best_count = None, 0
    for region in candidates:
        # Only a count above both the best so far and half the numbers can change the answer.
        needed = max(best_count + 1, len(national) // 2 + 1)
        count = _valid_count(dialable, region, needed)
        if count >= 0.9 * len(national):  # the first well-fitting candidate: frequent first
            return region
        if count > best_count:
            best_region, best_count = region, count
    return best_region if best_count * 2 > len(national) else None


def _valid_count(texts: list[str], region: str, needed: int) -> int:
    """How many `texts` are valid in `region`; 0 as soon as fewer than `needed` can be."""
    count = 0
    for index, text in enumerate(texts):
        if count + len(texts) - index < needed:  # even if all the rest were valid
            return 0
        count += _valid_in(text, region)
    return count


def _infer(texts: Sequence[str], options: FieldOptions) -> FieldOptions:
    """Upper-cases a given country option; without one, infers the column's region."""
    if options.country:
        return replace(options, country=_default_region(options) or options.country.upper())
    region = infer_region(texts)
    return replace(options, country=region) if region else options


FIELD = FieldType(TYPE_NAME, _validate_value, infer=_infer, accepts=_accepts)
