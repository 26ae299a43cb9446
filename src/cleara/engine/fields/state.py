"""State field: US states and Canadian provinces to postal codes, other subdivisions to ISO.

Values:

* US states, DC, territories, freely associated states and Armed Forces regions (AA, AE, AP)
  become their USPS two-letter code (`Calif.` -> `CA`, `N.Y.` -> `NY`).
* Canadian provinces and territories become their Canada Post code (`Québec` -> `QC`).
* With `options.country` set to another country, the subdivision is looked up in ISO 3166-2
  (pycountry, plus English names from `data/state_aliases.tsv`) and the value is the part of
  the ISO 3166-2 code after the country prefix (`Bavaria` with `DE` -> `BY`, the code of
  `DE-BY`). A full ISO 3166-2 code (`DE-BY`) is understood without a country option.

Without a country option a value is looked up among US states first, then Canadian
provinces (their codes do not overlap). Matching ignores case, accents, dots and spacing and
accepts `<name> State` and `State of <name>`.

Other modules call `us_state_code(text)`, `state_name(code, country)` and
`find_subdivision(text, country)`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import pycountry
from rapidfuzz import fuzz, process

from cleara.engine.fields.base import FieldOptions, FieldResult, FieldType, invalid

TYPE_NAME = "state"
RULE_CODE = "state.code"
_NORTH_AMERICA = ("US", "CA")
_ISO_CODE = re.compile(r"^\s*([A-Za-z]{2})\s*-\s*([A-Za-z0-9]{1,3})\s*$")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# `Washington State`, `State of New York`: the words around the name are not part of it.
_STATE_WORDS = re.compile(r"^(?:stateof|commonwealthof)|state$")
_SUGGESTION_CUTOFF = 88.0
_MAX_INPUT_LENGTH = 100


@dataclass(frozen=True, slots=True)
class Subdivision:
    """A state, province or other first-level division of a country.

    `code` is the short code the engine reports (USPS / Canada Post code, otherwise the ISO
    3166-2 suffix); `iso_code` is the full ISO 3166-2 code.
    """

    country: str
    code: str
    name: str
    kind: str

    @property
    def iso_code(self) -> str:
        return f"{self.country}-{self.code}"

    def components(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "iso_code": self.iso_code,
            "name": self.name,
            "country": self.country,
            "type": self.kind,
        }


@dataclass(frozen=True, slots=True)
class _Index:
    """One country's subdivisions by code and by name key."""

    by_code: dict[str, Subdivision]
    by_key: dict[str, Subdivision]


def lookup_key(text: str) -> str:
    """`text` without case, accents or anything but letters and digits (`N.Y.` -> `ny`)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub("", stripped.replace("&", "and"))


def _data_lines(file_name: str) -> Iterator[list[str]]:
    text = resources.files("cleara.engine").joinpath(f"data/{file_name}").read_text("utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def _add_key(by_key: dict[str, Subdivision], name: str, subdivision: Subdivision) -> None:
    key = lookup_key(name)
    if key:
        by_key.setdefault(key, subdivision)


@lru_cache(maxsize=2)
def _postal_index(country: str) -> _Index:
    """US or Canadian codes and names from the engine's own tables."""
    file_name = {"US": "state_us.tsv", "CA": "state_ca.tsv"}[country]
    by_code: dict[str, Subdivision] = {}
    by_key: dict[str, Subdivision] = {}
    for fields in _data_lines(file_name):
        code, name, kind = fields[0], fields[1], fields[2]
        aliases = fields[3].split("|") if len(fields) > 3 and fields[3] else []
        subdivision = Subdivision(country, code, name, kind)
        by_code[code] = subdivision
        for text in (code, name, *aliases):
            _add_key(by_key, text, subdivision)
    return _Index(by_code, by_key)


def _iso_name_variants(name: str) -> Iterator[str]:
    """The names in an ISO 3166-2 entry: `Madrid, Comunidad de`, `Lleida [Lérida]` ..."""
    main, _, bracketed = name.partition("[")
    yield main
    if bracketed:
        yield re.sub(r"\b[A-Z]{2}-[A-Z0-9]{1,3}\b", "", bracketed.rstrip("]"))
    head, comma, tail = main.partition(",")
    if comma:
        yield head
        yield f"{tail.strip()} {head.strip()}"
    without_note = re.sub(r"\s*\(.*?\)", "", main)
    if without_note != main:
        yield without_note
    yield from main.split("/")


def _display_name(iso_name: str) -> str:
    """`Madrid, Comunidad de [x]` -> `Comunidad de Madrid`: the name as written in a sentence."""
    main = iso_name.partition("[")[0].strip()
    head, comma, tail = main.partition(",")
    return f"{tail.strip()} {head.strip()}" if comma else main


@lru_cache(maxsize=1)
def _english_aliases() -> dict[str, list[str]]:
    return {fields[0]: fields[1].split("|") for fields in _data_lines("state_aliases.tsv")}


@lru_cache(maxsize=256)
def _iso_index(country: str) -> _Index:
    """Subdivisions of any country from ISO 3166-2; top-level divisions win name clashes."""
    records: list[Any] = pycountry.subdivisions.get(country_code=country) or []  # type: ignore[no-untyped-call]
    ordered = sorted(records, key=lambda record: record.parent_code is not None)
    aliases = _english_aliases()
    by_code: dict[str, Subdivision] = {}
    by_key: dict[str, Subdivision] = {}
    for record in ordered:
        suffix = record.code.split("-", 1)[1]
        subdivision = Subdivision(country, suffix, _display_name(record.name), record.type.lower())
        by_code[suffix] = subdivision
        _add_key(by_key, suffix, subdivision)
        for variant in (*_iso_name_variants(record.name), *aliases.get(record.code, [])):
            _add_key(by_key, variant, subdivision)
    return _Index(by_code, by_key)


def _index(country: str) -> _Index:
    if country in _NORTH_AMERICA:
        return _postal_index(country)
    return _iso_index(country)


def _find_in(index: _Index, text: str) -> Subdivision | None:
    key = lookup_key(text)
    found = index.by_key.get(key)
    if found is None:
        trimmed = _STATE_WORDS.sub("", key)
        found = index.by_key.get(trimmed) if trimmed and trimmed != key else None
    return found


def find_subdivision(text: str, country: str | None = None) -> Subdivision | None:
    """The subdivision `text` names in `country` (US then Canada when None), or None."""
    if not text or len(text) > _MAX_INPUT_LENGTH:
        return None
    iso = _ISO_CODE.match(text)
    if iso and (country is None or iso.group(1).upper() == country.upper()):
        country = iso.group(1).upper()
        text = iso.group(2)
    countries = (country.upper(),) if country else _NORTH_AMERICA
    for code in countries:
        found = _find_in(_index(code), text)
        if found is not None:
            return found
    return None


def us_state_code(text: str) -> str | None:
    """The USPS code of a US state, DC, territory or military region (`Mass.` -> `MA`)."""
    found = find_subdivision(text, "US")
    return found.code if found else None


def state_name(code: str, country: str = "US") -> str | None:
    """The name of the subdivision with this code (`IL` -> `Illinois`), or None."""
    found = _index(country.upper()).by_code.get(code.strip().upper())
    return found.name if found else None


@lru_cache(maxsize=256)
def _choices(country: str) -> dict[str, str]:
    """Display names by lookup key, the targets of typo suggestions."""
    return {lookup_key(s.name): s.code for s in _index(country).by_code.values()}


def _suggest(text: str, countries: tuple[str, ...]) -> str | None:
    key = lookup_key(text)
    if len(key) < 4:
        return None
    best: tuple[str, float] | None = None
    for country in countries:
        choices = _choices(country)
        match = process.extractOne(key, choices.keys(), scorer=fuzz.ratio)
        if match and match[1] >= _SUGGESTION_CUTOFF and (best is None or match[1] > best[1]):
            best = (choices[match[0]], match[1])
    return best[0] if best else None


def _validate_value(text: str, options: FieldOptions) -> FieldResult:
    country = options.country.upper() if options.country else None
    found = find_subdivision(text, country)
    if found is None:
        where = f" of {country}" if country else " (US state or Canadian province)"
        result = invalid(text, TYPE_NAME, "state_unknown", f"not a known subdivision{where}")
        result.suggestion = _suggest(text, (country,) if country else _NORTH_AMERICA)
        return result
    return FieldResult(
        input=text,
        type=TYPE_NAME,
        valid=True,
        value=found.code,
        components=found.components(),
        rule=RULE_CODE if found.code != text else None,
    )


FIELD = FieldType(TYPE_NAME, _validate_value)
