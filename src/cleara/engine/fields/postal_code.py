"""Postal code field: per-country formats, canonical forms and US ZIP existence.

The country comes from `options.country` (or a country column, per row). Without one the
country is read from the code's shape when only one country writes codes that way (`SW1A 1AA`
is British, `K1A 0B1` Canadian, `1012 AB` Dutch); otherwise the code is kept, cleaned but
unverified, with a `postal_code_country_unknown` issue.

Other modules use `normalize_postal_code(code, country)` and
`find_country_by_postal_format(code)`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any, NamedTuple

import zipcodes

from cleara.engine.fields.base import FieldOptions, FieldResult, FieldType, Issue, invalid
from cleara.engine.fields.country import region_option

TYPE_NAME = "postal_code"
US_ZIP_LIST = "us_zip_codes.txt"  # in cleara.engine.data: one five-digit code per line


@dataclass(frozen=True, slots=True)
class PostalFormat:
    """How one country writes postal codes.

    `pattern` matches the compact form (upper case, no spaces or hyphens). The canonical form
    inserts `separator` before character `split` (counted from the end when negative) when
    the code is longer than that. `pad_to` is the digit count to restore leading zeros to
    when a spreadsheet dropped them; `prefixes` are country marks people put in front
    (`D-10115`, `CH-8001`).
    """

    country: str
    pattern: re.Pattern[str]
    split: int = 0
    separator: str = ""
    pad_to: int = 0
    prefixes: tuple[str, ...] = ()

    def canonical(self, compact: str) -> str:
        index = self.split if self.split >= 0 else len(compact) + self.split
        if self.separator and 0 < index < len(compact):
            return f"{compact[:index]}{self.separator}{compact[index:]}"
        return compact


def _fmt(
    country: str,
    pattern: str,
    split: int = 0,
    separator: str = "",
    *,
    pad_to: int = 0,
    prefixes: tuple[str, ...] = (),
) -> PostalFormat:
    return PostalFormat(
        country, re.compile(pattern, re.ASCII), split, separator, pad_to, (country, *prefixes)
    )


_GB = (
    r"^(GIR0AA|(?:[A-Z][0-9]{1,2}|[A-Z][A-HJ-Y][0-9]{1,2}|[A-Z][0-9][A-Z]|[A-Z][A-HJ-Y][0-9][A-Z]?)"
    r"[0-9][ABD-HJLNP-UW-Z]{2})$"
)
_CA_LETTER = "[ABCEGHJ-NPRSTV-Z]"

FORMATS: dict[str, PostalFormat] = {
    f.country: f
    for f in (
        _fmt("US", r"^\d{5}(\d{4})?$", 5, "-", pad_to=5),
        _fmt("CA", rf"^[ABCEGHJ-NPRSTVXY]\d{_CA_LETTER}\d{_CA_LETTER}\d$", 3, " "),
        _fmt("GB", _GB, -3, " ", prefixes=("UK",)),
        _fmt("NL", r"^[1-9]\d{3}(?!SA|SD|SS)[A-Z]{2}$", 4, " "),
        _fmt("DE", r"^(?!00)\d{5}$", pad_to=5, prefixes=("D",)),
        _fmt("FR", r"^(?!00)\d{5}$", pad_to=5, prefixes=("F",)),
        _fmt("ES", r"^(0[1-9]|[1-4]\d|5[0-2])\d{3}$", pad_to=5, prefixes=("E",)),
        _fmt("IT", r"^\d{5}$", pad_to=5, prefixes=("I",)),
        _fmt("AU", r"^\d{4}$", pad_to=4),
        _fmt("IN", r"^[1-9]\d{5}$"),
        _fmt("BR", r"^\d{8}$", 5, "-", pad_to=8),
        _fmt("JP", r"^\d{7}$", 3, "-", pad_to=7),
        _fmt("MX", r"^\d{5}$", pad_to=5),
        _fmt("PL", r"^\d{5}$", 2, "-", pad_to=5),
        _fmt("PT", r"^[1-9]\d{6}$", 4, "-", prefixes=("P",)),
        _fmt("SE", r"^[1-9]\d{4}$", 3, " ", prefixes=("S",)),
        _fmt("CH", r"^[1-9]\d{3}$"),
        _fmt("AT", r"^[1-9]\d{3}$", prefixes=("A",)),
        _fmt("BE", r"^[1-9]\d{3}$", prefixes=("B",)),
        _fmt("DK", r"^\d{4}$", pad_to=4),
        _fmt("NO", r"^\d{4}$", pad_to=4, prefixes=("N",)),
        _fmt("FI", r"^\d{5}$", pad_to=5, prefixes=("FIN",)),
        _fmt("IE", r"^(?:[AC-FHKNPRTV-Y]\d{2}|D6W)[0-9AC-FHKNPRTV-Y]{4}$", 3, " "),
        _fmt("NZ", r"^\d{4}$", pad_to=4),
        _fmt("SG", r"^\d{6}$", pad_to=6),
        _fmt("ZA", r"^\d{4}$", pad_to=4),
        _fmt("KR", r"^\d{5}$", pad_to=5),
        _fmt("CN", r"^\d{6}$", pad_to=6),
        _fmt("RU", r"^[1-6]\d{5}$"),
        _fmt("AR", r"^(?:[A-HJ-NP-Z]\d{4}[A-Z]{3}|[1-9]\d{3})$"),
        _fmt("CZ", r"^[1-7]\d{4}$", 3, " "),
        _fmt("SK", r"^[089]\d{4}$", 3, " "),
        _fmt("GR", r"^[1-8]\d{4}$", 3, " "),
        _fmt("HU", r"^[1-9]\d{3}$", prefixes=("H",)),
        _fmt("RO", r"^\d{6}$", pad_to=6),
        _fmt("TR", r"^\d{5}$", pad_to=5),
        _fmt("IL", r"^\d{7}$"),
        _fmt("CL", r"^\d{7}$"),
        _fmt("CO", r"^\d{6}$"),
        _fmt("HR", r"^[1-5]\d{4}$"),
        _fmt("SI", r"^[1-9]\d{3}$"),
        _fmt("BG", r"^[1-9]\d{3}$"),
        _fmt("EE", r"^\d{5}$"),
        _fmt("TH", r"^[1-9]\d{4}$"),
        _fmt("MY", r"^\d{5}$", pad_to=5),
        _fmt("ID", r"^[1-9]\d{4}$"),
        _fmt("PH", r"^\d{4}$", pad_to=4),
    )
}
SUPPORTED_COUNTRIES = frozenset(FORMATS)

_REMOVED = re.compile(r"[\s\-‐‑‒–—]+")
_FLOAT_TEXT = re.compile(r"^(\d+)\.0+$")
_PLAUSIBLE = re.compile(r"^[A-Z0-9]{2,10}$")
_MAX_INPUT_LENGTH = 40


@dataclass(frozen=True, slots=True)
class _Parsed:
    """A code read for one country: its canonical form and whether zeros were restored."""

    country: str
    value: str
    padded: bool = False


def _compact(code: str) -> str:
    text = unicodedata.normalize("NFKC", code).strip()  # full-width digits become ASCII
    float_form = _FLOAT_TEXT.match(text)  # `2134.0`: a number stored as a float
    if float_form:
        text = float_form.group(1)
    return _REMOVED.sub("", text).upper()


def _display(code: str) -> str:
    """A code without a known format: upper case, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", code).split()).upper()


def _pad(compact: str, fmt: PostalFormat) -> str | None:
    """`compact` with leading zeros a spreadsheet dropped put back, or None."""
    if not fmt.pad_to or not (compact.isascii() and compact.isdigit()):
        return None
    for length in (fmt.pad_to, 9 if fmt.country == "US" else 0):
        if length and length - 2 <= len(compact) < length and len(compact) >= 3:
            return compact.zfill(length)
    return None


def _parse_for(compact: str, fmt: PostalFormat, *, allow_pad: bool = True) -> _Parsed | None:
    if fmt.pattern.match(compact):
        return _Parsed(fmt.country, fmt.canonical(compact))
    for prefix in fmt.prefixes:
        rest = compact[len(prefix) :]
        if compact.startswith(prefix) and rest and fmt.pattern.match(rest):
            return _Parsed(fmt.country, fmt.canonical(rest))
    padded = _pad(compact, fmt) if allow_pad else None
    if padded is not None and fmt.pattern.match(padded):
        return _Parsed(fmt.country, fmt.canonical(padded), padded=True)
    return None


def _candidates(code: str) -> list[_Parsed]:
    """Every supported country whose format `code` fits as written (no zero padding)."""
    compact = _compact(code)
    if compact.isascii() and compact.isdigit():
        return [_Parsed(fmt.country, fmt.canonical(compact)) for fmt in _digit_formats(compact)]
    found = (_parse_for(compact, fmt, allow_pad=False) for fmt in FORMATS.values())
    return [parsed for parsed in found if parsed is not None]


def _digit_formats(compact: str) -> tuple[PostalFormat, ...]:
    """The formats an all-digit code fits: decided by its length and first two digits.

    Every format constrains digit-only codes at most in their first two digits (`ES`,
    `(?!00)`, `[1-9]`) and country prefixes are letters, so the answer for one code holds
    for all codes of that shape; tests check this against the patterns themselves.
    """
    return _formats_for_shape(len(compact), compact[:2])


@lru_cache(maxsize=1024)
def _formats_for_shape(length: int, head: str) -> tuple[PostalFormat, ...]:
    sample = head + "0" * (length - len(head))
    return tuple(
        fmt for fmt in FORMATS.values() if _parse_for(sample, fmt, allow_pad=False) is not None
    )


@lru_cache(maxsize=65536)
def _detect(code: str) -> _Parsed | None:
    """The one reading of `code` its shape allows, preferring an exact canonical match."""
    candidates = _candidates(code)
    if len(candidates) == 1:
        return candidates[0]
    written = _display(code)
    exact = [c for c in candidates if c.value == written]
    shaped = any(not ch.isdigit() for ch in written)  # separators or letters carry the shape
    if shaped and len(exact) == 1:
        return exact[0]
    return None


def find_country_by_postal_format(code: str) -> str | None:
    """The alpha-2 country whose postal format alone fits `code`, or None when ambiguous."""
    if len(code) > _MAX_INPUT_LENGTH:
        return None
    parsed = _detect(code)
    return parsed.country if parsed else None


def normalize_postal_code(code: str, country: str) -> str | None:
    """`code` in `country`'s canonical form, or None when it does not fit the format.

    For countries without a known format the code is returned upper-cased when it looks
    like a postal code. US ZIP existence is not checked here (see `FIELD.validate`).
    """
    region = region_option(country)
    if region is None or len(code) > _MAX_INPUT_LENGTH:
        return None
    fmt = FORMATS.get(region)
    compact = _compact(code)
    if fmt is None:
        return _display(code) if _PLAUSIBLE.match(compact) else None
    parsed = _parse_for(compact, fmt)
    return parsed.value if parsed else None


@lru_cache(maxsize=1)
def us_zip_codes() -> frozenset[str]:
    """The five-digit codes of the `zipcodes` database, from the engine's list of them.

    Whether a ZIP code exists is a set lookup; the database itself (42,000 records, about
    0.6 s to load) is read only for the places of a code. A test keeps the list equal to
    the database."""
    text = resources.files("cleara.engine.data").joinpath(US_ZIP_LIST).read_text("ascii")
    return frozenset(text.split())


def is_us_zip(code: str) -> bool:
    """Whether the first five characters of `code` are an existing US ZIP code."""
    return code[:5] in us_zip_codes()


@lru_cache(maxsize=1)
def us_zip_records() -> tuple[dict[str, Any], ...]:
    """Every record of the offline `zipcodes` database, read once for all its users.

    `zipcodes.list_all()` builds 42,000 new dicts per call (about 0.2 s); callers read the
    records and never change them."""
    return tuple(zipcodes.list_all())  # type: ignore[no-untyped-call]


@lru_cache(maxsize=1)
def _zip_index() -> dict[str, dict[str, Any]]:
    """The `zipcodes` database keyed by ZIP: the same records `zipcodes.is_real` reads,
    without its per-call scan."""
    return {record["zip_code"]: record for record in us_zip_records()}


def _us_zip(zip5: str) -> dict[str, Any] | None:
    return _zip_index().get(zip5)


def _us_components(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "city": record.get("city"),
        "state": record.get("state"),
        "county": record.get("county"),
        "zip_type": record.get("zip_code_type"),
    }


def _result(text: str, parsed: _Parsed, *, detected: bool) -> FieldResult:
    result = FieldResult(
        input=text,
        type=TYPE_NAME,
        valid=True,
        value=parsed.value,
        components={"country": parsed.country},
    )
    if parsed.padded:
        result.rule = "postal_code.zero_pad"
        result.confidence = 0.9
        result.issues.append(
            Issue(
                "postal_code_zero_padded",
                f"Leading zeros restored: '{text}' read as {parsed.value}.",
                "info",
            )
        )
    elif parsed.value != text:
        result.rule = "postal_code.format"
    if detected:
        result.confidence = min(result.confidence, 0.95)
        result.issues.append(
            Issue(
                "postal_code_country_detected",
                f"No country given; the format is {parsed.country}'s.",
                "info",
            )
        )
    return result


def _check_us(text: str, result: FieldResult) -> FieldResult:
    zip5 = str(result.value)[:5]
    record = _us_zip(zip5) if is_us_zip(zip5) else None
    if record is None:
        return invalid(
            text,
            TYPE_NAME,
            "postal_code_unknown_zip",
            f"{zip5} is not an existing US ZIP code.",
            country="US",
        )
    result.components.update(_us_components(record))
    if not record.get("active", True):
        result.issues.append(
            Issue("postal_code_inactive_zip", f"ZIP code {zip5} is no longer in use.", "warning")
        )
    return result


def _unverified(text: str) -> FieldResult:
    compact = _compact(text)
    if not _PLAUSIBLE.match(compact):
        return invalid(
            text, TYPE_NAME, "postal_code_invalid_format", f"'{text}' is not a postal code."
        )
    candidates = sorted({c.country for c in _candidates(text)})
    value = _display(text)
    return FieldResult(
        input=text,
        type=TYPE_NAME,
        valid=True,
        value=value,
        issues=[
            Issue(
                "postal_code_country_unknown",
                "No country given and the format fits several countries (or none known); "
                "the code was not checked.",
                "warning",
            )
        ],
        components={"country": None, "candidates": candidates},
        confidence=0.5,
        rule=None if value == text else "postal_code.format",
    )


def _without_format(text: str, region: str) -> FieldResult:
    compact = _compact(text)
    if not _PLAUSIBLE.match(compact):
        return invalid(
            text,
            TYPE_NAME,
            "postal_code_invalid_format",
            f"'{text}' is not a postal code.",
            country=region,
        )
    value = _display(text)
    return FieldResult(
        input=text,
        type=TYPE_NAME,
        valid=True,
        value=value,
        issues=[
            Issue(
                "postal_code_format_unchecked",
                f"No postal code format is known for {region}; the code was not checked.",
                "info",
            )
        ],
        components={"country": region},
        confidence=0.7,
        rule=None if value == text else "postal_code.format",
    )


class _Route(NamedTuple):
    """How a code is read: under `region` (None when no country is given) with its format
    (`known_format` False when the region has none), giving `parsed` (None: no fit)."""

    region: str | None
    known_format: bool
    parsed: _Parsed | None


def _route(text: str, options: FieldOptions) -> _Route | None:
    """The reading `validate` and `accepts` share; None for text too long to be a code."""
    if len(text) > _MAX_INPUT_LENGTH:
        return None
    region = region_option(options.country)
    if region is None:
        return _Route(None, True, _detect(text))
    fmt = FORMATS.get(region)
    if fmt is None:
        return _Route(region, False, None)
    return _Route(region, True, _parse_for(_compact(text), fmt))


def _validate_value(text: str, options: FieldOptions) -> FieldResult:
    route = _route(text, options)
    if route is None:
        return invalid(
            text, TYPE_NAME, "postal_code_invalid_format", "Too long to be a postal code."
        )
    if route.parsed is None:
        if route.region is None:
            return _unverified(text)
        if not route.known_format:
            return _without_format(text, route.region)
        return invalid(
            text,
            TYPE_NAME,
            "postal_code_invalid_format",
            f"'{text}' does not match the {route.region} postal code format.",
            country=route.region,
        )
    result = _result(text, route.parsed, detected=route.region is None)
    return _check_us(text, result) if route.parsed.country == "US" else result


def _accepts(text: str, options: FieldOptions) -> bool:
    """`_validate_value(...).valid`, a US ZIP code checked against the list of codes without
    loading the places the result's components carry."""
    route = _route(text, options)
    if route is None:
        return False
    if route.parsed is None:  # unverified or unchecked codes pass when they look like codes
        unchecked = route.region is None or not route.known_format
        return unchecked and _PLAUSIBLE.match(_compact(text)) is not None
    return route.parsed.country != "US" or is_us_zip(route.parsed.value)


def _infer(texts: Sequence[str], options: FieldOptions) -> FieldOptions:
    """Without a country option, adopt the country most codes in the column unambiguously
    show, provided nearly all codes fit that country's format."""
    if options.country:
        return options
    sample = list(dict.fromkeys(texts))[:500]
    detected = Counter(country for country in map(find_country_by_postal_format, sample) if country)
    if not detected:
        return options
    country, count = detected.most_common(1)[0]
    fmt = FORMATS[country]
    fitting = sum(1 for code in sample if _parse_for(_compact(code), fmt, allow_pad=False))
    if count * 5 >= len(sample) and fitting >= 0.9 * len(sample):
        return replace(options, country=country)
    return options


FIELD = FieldType(TYPE_NAME, _validate_value, infer=_infer, accepts=_accepts)
