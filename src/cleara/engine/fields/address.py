"""Address field: US addresses parsed and standardized; other countries cleaned.

US addresses are split with usaddress into `number, street, unit, city, state, postal_code,
country` and written on one line as `<number> <street> [<unit>], <City>, <ST> <ZIP>`:

* street suffixes, directionals and unit designators take their USPS Publication 28
  abbreviations (`data/address_street_suffixes.tsv`, `data/address_units.tsv`); a bare `#`
  becomes `Unit` (`#4` -> `Unit 4`);
* street and city are in title case (`1st`, `42nd` stay lower case; `N`, `SW` upper);
* the state becomes its USPS code (`Illinois` -> `IL`), the ZIP code its 5-digit or ZIP+4
  form; ZIP existence and ZIP/state agreement are checked against the offline `zipcodes`
  database (`address_unknown_zip`, `address_zip_state_mismatch`).

For other countries (a trailing country name or code, else `options.country`, else a postal
code only one country writes that way) the address is cleaned rather than parsed: spacing,
casing of all-capitals or all-lower-case text and the postal code in that country's canonical
form; the city is read where a simple pattern finds it. Such results carry the info issue
`address_not_us_parsed`.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any

import usaddress

from cleara.engine.fields import state
from cleara.engine.fields.base import (
    FieldOptions,
    FieldResult,
    FieldType,
    Issue,
    Severity,
    invalid,
)
from cleara.engine.fields.country import country_info, region_option, to_alpha2
from cleara.engine.fields.name import case_word, is_uniform_case
from cleara.engine.fields.postal_code import (
    find_country_by_postal_format,
    normalize_postal_code,
    us_zip_records,
)

TYPE_NAME = "address"
RULE_STANDARDIZE = "address.standardize"
RULE_CLEAN = "address.clean"
COMPONENT_KEYS = ("number", "street", "unit", "city", "state", "postal_code", "country")
# Countries and territories whose addresses follow USPS rules.
USPS_COUNTRIES = frozenset({"US", "PR", "GU", "VI", "AS", "MP"})

_MAX_LENGTH = 300
_CACHE_SIZE = 65536
_US_CONFIDENCE = 0.95
_REPEATED_CONFIDENCE = 0.6
_OTHER_CONFIDENCE = 0.7

_SPACES = re.compile(r"\s+")
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")
_COMMAS = re.compile(r"\s*,[\s,]*")
_ORDINAL = re.compile(r"^(\d+)(st|nd|rd|th)$", re.IGNORECASE)
_LETTERS = re.compile(r"[^A-Za-z]")
_ZIP = re.compile(r"^(\d{5})(?:[\s-]?(\d{4}))?$")
_US_ZIP_IN_TEXT = re.compile(r"\b\d{5}(?:-\d{4})?\s*$")
_POSTAL_SEARCH_WORDS = 4
_SHORT_ZIP = re.compile(r"^\d{3,4}$")  # a ZIP whose leading zeros a spreadsheet dropped
_STREET_SMALL_WORDS = frozenset({"of", "the", "and", "at", "on"})
DIRECTIONALS = {
    "N": "N", "NORTH": "N", "S": "S", "SOUTH": "S", "E": "E", "EAST": "E", "W": "W",
    "WEST": "W", "NE": "NE", "NORTHEAST": "NE", "NW": "NW", "NORTHWEST": "NW",
    "SE": "SE", "SOUTHEAST": "SE", "SW": "SW", "SOUTHWEST": "SW",
}  # fmt: skip
_PO_BOX_KEYS = frozenset({"POBOX", "POSTOFFICEBOX", "POB", "BOX", "POBX", "POSTBOX", "POBOXES"})

_NUMBER_LABELS = ("AddressNumberPrefix", "AddressNumber", "AddressNumberSuffix")
_STREET_LABELS = (
    "StreetNamePreModifier",
    "StreetNamePreDirectional",
    "StreetNamePreType",
    "StreetName",
    "StreetNamePostType",
    "StreetNamePostDirectional",
    "StreetNamePostModifier",
)
_UNIT_TYPE_LABELS = frozenset({"OccupancyType", "SubaddressType"})
_UNIT_ID_LABELS = frozenset({"OccupancyIdentifier", "SubaddressIdentifier"})
_BOX_LABELS = ("USPSBoxGroupType", "USPSBoxGroupID", "USPSBoxType", "USPSBoxID")
_EXTRA_LABELS = frozenset({"Recipient", "BuildingName", "LandmarkName", "CornerOf"})
_SINGLE_LABELS = frozenset(
    {*_NUMBER_LABELS, *_STREET_LABELS, *_BOX_LABELS, "PlaceName", "StateName", "ZipCode",
     "ZipPlus4", "CountryName"}
)  # fmt: skip


# ---------------------------------------------------------------------------- data tables


def _data_rows(file_name: str) -> Iterator[list[str]]:
    text = resources.files("cleara.engine").joinpath(f"data/{file_name}").read_text("utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


@lru_cache(maxsize=1)
def street_suffixes() -> dict[str, str]:
    """Every USPS street suffix form (upper case, letters only) -> standard form (`Ave`)."""
    table: dict[str, str] = {}
    for standard, primary, forms in _data_rows("address_street_suffixes.tsv"):
        for form in (standard, primary, *forms.split()):
            table.setdefault(form, standard.title())
    return table


@lru_cache(maxsize=1)
def unit_designators() -> dict[str, str]:
    """Every secondary unit form (upper case, letters only or `#`) -> standard (`Apt`)."""
    table: dict[str, str] = {}
    for standard, _needs_id, forms in _data_rows("address_units.tsv"):
        for form in forms.split():
            table[form] = standard
    return table


@lru_cache(maxsize=1)
def _zip_states() -> dict[str, frozenset[str]]:
    """ZIP code -> the states it serves, from the offline `zipcodes` database."""
    states: dict[str, set[str]] = {}
    for record in us_zip_records():
        states.setdefault(record["zip_code"], set()).add(record["state"])
    return {code: frozenset(found) for code, found in states.items()}


@lru_cache(maxsize=1)
def _zip_places() -> dict[str, tuple[str, str]]:
    """ZIP code -> (city, state) of its first record, for completing an address."""
    places: dict[str, tuple[str, str]] = {}
    for record in us_zip_records():
        places.setdefault(record["zip_code"], (record["city"], record["state"]))
    return places


# ---------------------------------------------------------------------------- word casing


def _letters_key(text: str) -> str:
    return _LETTERS.sub("", text).upper()


@lru_cache(maxsize=_CACHE_SIZE)
def title_word(word: str, *, first: bool = True) -> str:
    """A street or city word in title case: `MAIN` -> `Main`, `42ND` -> `42nd`, `4b` -> `4B`."""
    ordinal = _ORDINAL.match(word)
    if ordinal:
        return ordinal.group(1) + ordinal.group(2).lower()
    if any(ch.isdigit() for ch in word):
        return word.upper()
    if not is_uniform_case(word):
        return word
    if not first and word.lower() in _STREET_SMALL_WORDS:
        return word.lower()
    return case_word(word)


@lru_cache(maxsize=_CACHE_SIZE)
def title_words(text: str, *, first: bool = True) -> str:
    """Each word through `title_word`; `first` says whether the text starts a name."""
    words = text.split()
    return " ".join(title_word(w, first=first and i == 0) for i, w in enumerate(words))


def _directional(text: str) -> str:
    return DIRECTIONALS.get(_letters_key(text), title_words(text))


def _street_type(text: str) -> str:
    return street_suffixes().get(_letters_key(text), title_words(text))


# ---------------------------------------------------------------------------- text cleaning


def clean_text(text: str) -> str:
    """NFKC, one line, single spaces, `a ,b` -> `a, b`, no stray leading or trailing commas."""
    normalized = unicodedata.normalize("NFKC", text)
    one_line = _LINE_BREAKS.sub(", ", normalized)
    collapsed = _SPACES.sub(" ", one_line)
    return _COMMAS.sub(", ", collapsed).strip(" ,;")


# ---------------------------------------------------------------------------- US parsing


@dataclass(slots=True)
class _Labeled:
    """usaddress's labels grouped: first run of each label, units in order, street 2."""

    parts: dict[str, str] = field(default_factory=dict)
    second_street: dict[str, str] = field(default_factory=dict)
    units: list[tuple[str | None, str | None]] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)
    intersection: bool = False


def _runs(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Consecutive tokens with one label joined: (label, text); a comma ends a run."""
    runs: list[tuple[str, list[str]]] = []
    closed = True
    for token, label in tokens:
        word = token.strip(",;")
        if word and not closed and runs[-1][0] == label:
            runs[-1][1].append(word)
        elif word:
            runs.append((label, [word]))
        closed = token.endswith((",", ";"))
    return [(label, " ".join(words)) for label, words in runs]


def _add_unit(labeled: _Labeled, label: str, text: str) -> None:
    if label in _UNIT_TYPE_LABELS:
        labeled.units.append((text, None))
    elif labeled.units and labeled.units[-1][1] is None:
        labeled.units[-1] = (labeled.units[-1][0], text)
    else:
        labeled.units.append((None, text))


def _looks_like_place(label: str, text: str, labeled: _Labeled) -> bool:
    """A unit identifier with no unit type that is a word (`... Terrace Springfield`)."""
    no_type = not labeled.units or labeled.units[-1][1] is not None
    return (
        label in _UNIT_ID_LABELS
        and no_type
        and "PlaceName" not in labeled.parts
        and text.replace(" ", "").isalpha()
        and len(text) > 3
    )


def _group(tokens: list[tuple[str, str]]) -> _Labeled:
    labeled = _Labeled()
    for label, text in _runs(tokens):
        if _looks_like_place(label, text, labeled):
            label = "PlaceName"
        if label == "IntersectionSeparator":
            labeled.intersection = True
        elif label in _UNIT_TYPE_LABELS or label in _UNIT_ID_LABELS:
            _add_unit(labeled, label, text)
        elif labeled.intersection and label in _STREET_LABELS:
            labeled.second_street.setdefault(label, text)
        elif label in _SINGLE_LABELS:
            if label in labeled.parts:
                labeled.repeated.append(label)
            else:
                labeled.parts[label] = text
        else:
            labeled.extras.append(text)
    return labeled


@lru_cache(maxsize=_CACHE_SIZE)
def _us_tokens(text: str) -> tuple[tuple[str, str], ...]:
    simple = simple_us_tokens(text)
    return simple if simple is not None else tuple(usaddress.parse(text))


# `<number> <street words> <suffix> [<unit type> <unit id>], <city>, <ST> <ZIP>`: the shape
# of most US addresses. Labelled directly (as usaddress labels it) when every word is
# unambiguous; anything else goes to usaddress's CRF model.
_SIMPLE_US = re.compile(
    r"^(?P<number>\d{1,6}) (?P<street>[A-Za-z][A-Za-z']*(?: [A-Za-z][A-Za-z']*)*?)"
    r" (?P<suffix>[A-Za-z]+\.?)(?: (?P<unit_type>[A-Za-z]+\.?) (?P<unit_id>[A-Za-z0-9-]{1,8}))?"
    r", (?P<city>[A-Za-z][A-Za-z']*(?: [A-Za-z][A-Za-z']*)*), (?P<state>[A-Za-z]{2})"
    r" (?P<zip>\d{5}(?:-\d{4})?)$"
)
_DIRECTIONAL_WORDS = frozenset(
    [
        "N",
        "S",
        "E",
        "W",
        "NE",
        "NW",
        "SE",
        "SW",
        "NORTH",
        "SOUTH",
        "EAST",
        "WEST",
        "NORTHEAST",
        "NORTHWEST",
        "SOUTHEAST",
        "SOUTHWEST",
    ]
)


def simple_us_tokens(text: str) -> tuple[tuple[str, str], ...] | None:
    """usaddress-style labelled tokens for a plain one-line US address, else None."""
    match = _SIMPLE_US.match(text)
    if match is None:
        return None
    parts = match.groupdict()
    suffixes, units = street_suffixes(), unit_designators()
    street, city = parts["street"].split(), parts["city"].split()
    reserved = suffixes.keys() | units.keys() | _DIRECTIONAL_WORDS
    if (
        parts["suffix"].rstrip(".").upper() not in suffixes
        or any(word.upper() in reserved for word in street)
        or (parts["unit_type"] and parts["unit_type"].rstrip(".").upper() not in units)
        or state.us_state_code(parts["state"]) != parts["state"].upper()
    ):
        return None
    tokens = [(parts["number"], "AddressNumber")]
    tokens += [(word, "StreetName") for word in street]
    if parts["unit_type"]:
        tokens += [(parts["suffix"], "StreetNamePostType"), (parts["unit_type"], "OccupancyType")]
        tokens.append((parts["unit_id"] + ",", "OccupancyIdentifier"))
    else:
        tokens.append((parts["suffix"] + ",", "StreetNamePostType"))
    tokens += [(word, "PlaceName") for word in city[:-1]] + [(city[-1] + ",", "PlaceName")]
    tokens += [(parts["state"], "StateName"), (parts["zip"], "ZipCode")]
    return tuple(tokens)


def _street(parts: dict[str, str]) -> str | None:
    pieces: list[str] = []
    name = parts.get("StreetName", "")
    for label in _STREET_LABELS:
        text = parts.get(label)
        if not text or not any(ch.isalnum() for ch in text):
            continue
        if label in ("StreetNamePreDirectional", "StreetNamePostDirectional"):
            pieces.append(_directional(text))
        elif label == "StreetNamePostType" or (
            # `Avenue of the Americas` keeps its spelled-out type
            label == "StreetNamePreType" and not name.lower().startswith("of ")
        ):
            pieces.append(_street_type(text))
        else:
            pieces.append(title_words(text, first=not pieces))
    return " ".join(pieces) or None


def _po_box(parts: dict[str, str]) -> str | None:
    if not any(label in parts for label in _BOX_LABELS):
        return None
    pieces: list[str] = []
    for label in _BOX_LABELS:
        text = parts.get(label)
        if text is None:
            continue
        if label == "USPSBoxType" and _letters_key(text) in _PO_BOX_KEYS:
            pieces.append("PO Box")
        elif label.endswith("Type"):
            pieces.append(text.upper() if len(text) <= 3 else title_words(text))
        else:
            pieces.append(text.lstrip("#").strip().upper())
    return " ".join(pieces)


def _unit_text(unit_type: str | None, identifier: str | None) -> str:
    designator = None
    if unit_type:
        key = "#" if unit_type.strip() == "#" else _letters_key(unit_type)
        designator = unit_designators().get(key, title_words(unit_type.replace("#", "").strip()))
    ident = identifier.replace("#", " ").strip().upper() if identifier else ""
    ident = _SPACES.sub(" ", ident)
    if ident and not designator:
        designator = "Unit"
    return " ".join(piece for piece in (designator, ident) if piece)


def _zip_code(parts: dict[str, str]) -> tuple[str | None, bool]:
    """(canonical ZIP or ZIP+4, whether leading zeros were restored), or (raw, False)."""
    raw = parts.get("ZipCode")
    if raw is None:
        return None, False
    plus4 = parts.get("ZipPlus4")
    text = f"{raw}-{plus4}" if plus4 else raw
    match = _ZIP.match(text.strip())
    if match:
        return (f"{match.group(1)}-{match.group(2)}" if match.group(2) else match.group(1)), False
    if _SHORT_ZIP.match(raw.strip()):
        return raw.strip().zfill(5), True
    return text.strip().upper(), False


@dataclass(slots=True)
class _UsAddress:
    number: str | None
    street: str | None
    units: list[str]
    city: str | None
    state: str | None
    state_known: bool
    postal_code: str | None
    zip_padded: bool
    country: str
    extras: list[str]
    repeated: list[str]
    box_or_intersection: bool

    def components(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "street": self.street,
            "unit": " ".join(self.units) or None,
            "city": self.city,
            "state": self.state,
            "postal_code": self.postal_code,
            "country": self.country,
        }

    def render(self, city: str | None = None, state_code: str | None = None) -> str:
        line1 = " ".join(p for p in (self.number, self.street, *self.units) if p)
        region = " ".join(p for p in (state_code or self.state, self.postal_code) if p)
        pieces = (*self.extras, line1, city or self.city, region)
        return ", ".join(p for p in pieces if p)


def _build_us(labeled: _Labeled, country: str) -> _UsAddress:
    parts = labeled.parts
    number = " ".join(parts[label] for label in _NUMBER_LABELS if label in parts).upper()
    street = _po_box(parts) or _street(parts)
    is_intersection = bool(street and labeled.second_street)
    if is_intersection:
        street = f"{street} & {_street(labeled.second_street)}"
    raw_state = parts.get("StateName")
    code = state.us_state_code(raw_state) if raw_state else None
    postal_code, padded = _zip_code(parts)
    return _UsAddress(
        number=number or None,
        street=street,
        units=[_unit_text(t, i) for t, i in labeled.units],
        city=title_words(parts["PlaceName"]) if "PlaceName" in parts else None,
        state=code or _unknown_state(raw_state),
        state_known=code is not None,
        postal_code=postal_code,
        zip_padded=padded,
        country=country,
        extras=[title_words(e) if is_uniform_case(e) else e for e in labeled.extras],
        repeated=labeled.repeated,
        box_or_intersection=is_intersection or _po_box(parts) is not None,
    )


def _has_digit(text: str | None) -> bool:
    return text is not None and any(ch.isdigit() for ch in text)


def _unknown_state(raw: str | None) -> str | None:
    """A state usaddress found but no table knows: codes in capitals, names in title case."""
    if raw is None:
        return None
    return raw.upper() if len(raw) <= 2 else title_words(raw)


def _missing(address: _UsAddress) -> list[str]:
    wanted = {
        # a house number has digits (`123`, `W123`, `12B`); `A` alone is a misread word
        "number": _has_digit(address.number) or address.box_or_intersection,
        "street": address.street,
        "city": address.city,
        "state": address.state,
        "postal_code": address.postal_code,
    }
    return [name for name, present in wanted.items() if not present]


def _zip_issues(address: _UsAddress) -> list[Issue]:
    issues: list[Issue] = []
    code = address.postal_code
    if code is None:
        return issues
    if address.zip_padded:
        issues.append(Issue("address_zip_padded", "leading zeros restored in the ZIP", "info"))
    match = _ZIP.match(code)
    if match is None:
        return [*issues, Issue("address_invalid_zip", f"{code!r} is not a ZIP code", "error")]
    states = _zip_states().get(match.group(1))
    if states is None:
        issues.append(Issue("address_unknown_zip", f"ZIP {match.group(1)} does not exist"))
    elif address.state_known and address.state not in states:
        expected = ", ".join(sorted(states))
        message = f"ZIP {match.group(1)} belongs to {expected}, not {address.state}"
        issues.append(Issue("address_zip_state_mismatch", message, "error"))
    return issues


def _us_issues(address: _UsAddress, street_lines: bool) -> list[Issue]:
    issues: list[Issue] = []
    missing = _missing(address)
    if street_lines:  # city, state and ZIP live in other columns
        missing = [name for name in missing if name in ("number", "street")]
    if missing:
        # Without a street and house number (or PO box) the address cannot be delivered.
        severity: Severity = "error" if {"street", "number"} & set(missing) else "warning"
        message = "missing " + ", ".join(name.replace("_", " ") for name in missing)
        issues.append(Issue("address_incomplete", message, severity))
    if address.state and not address.state_known:
        issues.append(Issue("address_unknown_state", f"{address.state!r} is not a US state"))
    if address.repeated:
        message = "parts given twice; the first was kept: " + ", ".join(address.repeated)
        issues.append(Issue("address_repeated_part", message))
    return issues + _zip_issues(address)


def _completed(address: _UsAddress) -> str | None:
    """The address with city and state taken from its ZIP code, when they are missing."""
    if address.postal_code is None or (address.city and address.state):
        return None
    place = _zip_places().get(address.postal_code[:5])
    if place is None:
        return None
    city = address.city or title_words(place[0])
    return address.render(city=city, state_code=address.state or place[1])


def _validate_us(original: str, text: str, country: str, street_lines: bool) -> FieldResult:
    labeled = _group(list(_us_tokens(text)))
    address = _build_us(labeled, country)
    found = (address.number, address.street, address.city, address.state, address.postal_code)
    if sum(1 for part in found if part) < 2:  # one lone part is not an address
        return invalid(original, TYPE_NAME, "address_unparseable", "not a recognizable address")
    issues = _us_issues(address, street_lines)
    value = address.render()
    valid = not any(issue.severity == "error" for issue in issues)
    return FieldResult(
        input=original,
        type=TYPE_NAME,
        valid=valid,
        value=value,
        issues=issues,
        components=address.components(),
        suggestion=_completed(address),
        confidence=_REPEATED_CONFIDENCE if address.repeated else _US_CONFIDENCE,
        rule=RULE_STANDARDIZE if value != original else None,
    )


# ---------------------------------------------------------------------------- country


def _is_us_region(segment: str) -> bool:
    """`CA`, `GA`, `Georgia`, `IN`, `NL`: US states and Canadian provinces, not countries."""
    return state.find_subdivision(segment) is not None


def _country_of(segment: str) -> str | None:
    segment = segment.strip(" .,")
    if not segment or any(ch.isdigit() for ch in segment) or _is_us_region(segment):
        return None
    return to_alpha2(segment)


def split_country(text: str) -> tuple[str, str | None]:
    """(`text` without a trailing country, that country's alpha-2 code or None)."""
    head, comma, last = text.rpartition(",")
    if comma:
        code = _country_of(last)
        if code:
            return head.strip(), code
    words = text.split()
    for count in (3, 2, 1):
        if len(words) <= count + 1:
            continue
        candidate = " ".join(words[-count:])
        # Without a comma only a name or a longer code counts (`Main St DE` is Delaware).
        if len(_letters_key(candidate)) < 3 and candidate.upper() not in ("UK", "US"):
            continue
        code = _country_of(candidate)
        if code:
            return " ".join(words[:-count]).rstrip(","), code
    return text, None


def _windows(words: list[str]) -> Iterator[tuple[int, int]]:
    """Word spans of two and one words, from the end of the text backwards."""
    for start in range(len(words) - 1, -1, -1):
        if start + 2 <= len(words):
            yield start, start + 2
        yield start, start + 1


def _country_from_postal_code(text: str) -> str | None:
    """The country whose postal format alone fits a code near the end (`SW1A 1AA`: GB)."""
    if _US_ZIP_IN_TEXT.search(text):
        return "US"
    words = [w.strip(",") for w in text.split()][-_POSTAL_SEARCH_WORDS:]
    for start, end in _windows(words):
        candidate = " ".join(words[start:end])
        if any(ch.isdigit() for ch in candidate):
            found = find_country_by_postal_format(candidate)
            if found is not None:
                return found
    return None


# ---------------------------------------------------------------------------- other countries


def _compact(text: str) -> str:
    return re.sub(r"[\s-]", "", text).upper()


def _is_postal_span(candidate: str, value: str) -> bool:
    """The span is the code as written: no zeros put back, at most a country prefix (`D-`)."""
    written, canonical = _compact(candidate), _compact(value)
    if written == canonical:
        return True
    prefix = written[: len(written) - len(canonical)]
    return written.endswith(canonical) and prefix.isalpha()


@dataclass(slots=True)
class _OtherAddress:
    """Comma-separated segments of words, with what was recognized in them."""

    segments: list[list[str]]
    postal: tuple[int, int, int, str] | None = None  # segment, start, end, canonical form
    region: tuple[int, int, str] | None = None  # segment, index, code
    city: str | None = None

    def find_postal_code(self, country: str) -> None:
        """The last span of one or two words that is a postal code of `country`."""
        first = 1 if len(self.segments) > 1 else 0  # the first segment is the street
        for index in range(len(self.segments) - 1, first - 1, -1):
            words = self.segments[index]
            for start, end in _windows(words):
                candidate = " ".join(words[start:end])
                if not any(ch.isdigit() for ch in candidate):
                    continue
                value = normalize_postal_code(candidate, country)
                if value is not None and _is_postal_span(candidate, value):
                    self.postal = (index, start, end, value)
                    return

    def read_city_and_region(self, country: str) -> None:
        """`10115 Berlin`, `London SW1A 2AA`, `Sydney NSW 2000`, `Ottawa, ON K1A 0B1`."""
        if self.postal is None:
            return
        index, start, end, _ = self.postal
        words = self.segments[index]
        before, after = words[:start], words[end:]
        if before and _region_code(before[-1], country):
            self.region = (index, start - 1, _region_code(before[-1], country) or "")
            before = before[:-1]
        if after:
            self.city = " ".join(after)
        elif before and index > 0:
            self.city = " ".join(before)
        elif not before and index > 1:
            self.city = " ".join(self.segments[index - 1])

    def render(self, uniform: bool, country_name: str | None) -> str:
        rendered: list[str] = []
        for index, words in enumerate(self.segments):
            out: list[str] = []
            for position, word in enumerate(words):
                out.append(self._render_word(index, position, word, uniform))
            rendered.append(" ".join(w for w in out if w))
        if country_name:
            rendered.append(country_name)
        return ", ".join(segment for segment in rendered if segment)

    def _render_word(self, index: int, position: int, word: str, uniform: bool) -> str:
        if self.postal and self.postal[0] == index and self.postal[1] <= position < self.postal[2]:
            return self.postal[3] if position == self.postal[1] else ""
        if self.region and self.region[:2] == (index, position):
            return self.region[2]
        return title_word(word, first=position == 0) if uniform else word


def _region_code(word: str, country: str) -> str | None:
    """A state or province code written before the postal code (`NSW`, `ON`, `SP`)."""
    if not (word.isalpha() and 2 <= len(word) <= 3):
        return None
    found = state.find_subdivision(word, country)
    return found.code if found is not None and found.code == word.upper() else None


def _street_parts(words: list[str]) -> tuple[str | None, str | None]:
    """(house number, street) from `12 High St` or `Hauptstraße 5` style first segments."""
    if len(words) > 1 and words[0][:1].isdigit():
        return words[0], " ".join(words[1:])
    if len(words) > 1 and words[-1][:1].isdigit():
        return words[-1], " ".join(words[:-1])
    return None, " ".join(words) or None


def _case_value(text: str | None, uniform: bool) -> str | None:
    if text is None or not uniform:
        return text
    return title_words(text)


def _validate_other(
    original: str, text: str, country: str, named: bool, street_lines: bool
) -> FieldResult:
    segments = [words for words in (segment.split() for segment in text.split(",")) if words]
    address = _OtherAddress(segments)
    address.find_postal_code(country)
    address.read_city_and_region(country)
    uniform = is_uniform_case(text)
    info = country_info(country)
    country_name = (info.name if info else country) if named else None
    value = address.render(uniform, country_name)
    number, street = _street_parts(segments[0]) if len(segments) > 1 else (None, None)
    if len(segments) == 1 and segments[0][0].isdigit():
        number = segments[0][0]  # one segment: the street cannot be told from the city
    issues = [
        Issue(
            "address_not_us_parsed",
            "only US addresses are parsed into all components; this one was cleaned",
            "info",
        )
    ]
    if address.postal is None and not street_lines:
        message = f"no postal code in the {country} format found"
        issues.append(Issue("address_incomplete", message, "warning"))
    components = {
        "number": number,
        "street": _case_value(street, uniform),
        "unit": None,
        "city": _case_value(address.city, uniform),
        "state": address.region[2] if address.region else None,
        "postal_code": address.postal[3] if address.postal else None,
        "country": country,
    }
    return FieldResult(
        input=original,
        type=TYPE_NAME,
        valid=True,
        value=value,
        issues=issues,
        components=components,
        confidence=_OTHER_CONFIDENCE,
        rule=RULE_CLEAN if value != original else None,
    )


# --------------------------------------------------------------------------- placeholders

# Values typed where an address belongs that say there is none: `No Fixed Abode` (the UK's
# words for a person without a home), `Address unknown`, a form's hint (`Address line 1`).
# Only phrases about addresses: words such as `Homeless`, `Declined` or `NFA` (also "no
# further action") are values of other columns too, where they must not read as addresses.
PLACEHOLDER_PHRASES = frozenset(
    {
        "no fixed abode", "of no fixed abode", "no fixed address", "address unknown",
        "unknown address", "address not known", "no known address", "no address",
        "no address given", "no address provided", "no address on file", "address not given",
        "address not provided", "address withheld", "address refused", "address tbd",
        "address tba", "test address", "fake address", "no street address", "street address",
        "address line 1", "address",
    }
)  # fmt: skip
_NOT_WORD_CHARACTERS = re.compile(r"[\W_]+")


def is_placeholder(text: str) -> bool:
    """True for a value that says there is no address (`No Fixed Abode`, `Address unknown`,
    `No address given`), however it is cased or punctuated."""
    key = _NOT_WORD_CHARACTERS.sub(" ", text.lower()).strip()
    return key in PLACEHOLDER_PHRASES


def _placeholder(original: str, cleaned: str) -> FieldResult:
    """A value that says there is no address: kept as typed (a caseworker may need to know
    that a person has no home), with a warning; `clean(..., placeholders="null")` nulls it."""
    return FieldResult(
        input=original,
        type=TYPE_NAME,
        valid=True,
        value=cleaned,
        issues=[Issue("address_placeholder", f"'{cleaned}' says there is no address", "warning")],
        placeholder=True,
        rule=RULE_CLEAN if cleaned != original else None,
    )


# ---------------------------------------------------------------------------- validation


def _validate_value(text: str, options: FieldOptions) -> FieldResult:
    cleaned = clean_text(text)
    if is_placeholder(cleaned):
        return _placeholder(text, cleaned)
    if not any(ch.isalnum() for ch in cleaned):
        return invalid(text, TYPE_NAME, "address_unparseable", "not a recognizable address")
    if not any(ch.isalpha() for ch in cleaned):  # a date, phone number or postal code alone
        reason = "no street, place or city name: not an address"
        return invalid(text, TYPE_NAME, "address_unparseable", reason)
    if len(cleaned) > _MAX_LENGTH:
        return invalid(text, TYPE_NAME, "address_unparseable", "too long for an address")
    body, named_country = split_country(cleaned)
    country = named_country or region_option(options.country)
    if country is None:
        country = _country_from_postal_code(body) or "US"
    if country in USPS_COUNTRIES:
        return _validate_us(text, body, country, options.street_lines)
    named = named_country is not None
    return _validate_other(text, body, country, named, options.street_lines)


_STREET_LINE_SHARE = 0.8
_STREET_LINE_SAMPLE = 200
_LONG_DIGIT_RUN = re.compile(r"\d{4,}")


def is_street_line(text: str) -> bool:
    """`2009 W. 6th St.`, `Hauptstraße 5`: no city, region or postal code after the street
    (no comma, no state at the end, no long digit run after the first word)."""
    words = text.replace(",", " , ").replace("#", " # ").split()
    if len(words) < 2 or "," in words:
        return False
    units = unit_designators()
    for before, word in itertools.pairwise(words):
        if _LONG_DIGIT_RUN.search(word) and before.strip(".").upper() not in units:
            return False  # a ZIP or postal code (a long house number comes first)
    last = words[-1].strip(".")
    return _letters_key(last) in DIRECTIONALS or state.find_subdivision(last) is None


def _infer(texts: Sequence[str], options: FieldOptions) -> FieldOptions:
    """Street lines when most values are a street only: a missing city, state or postal code
    is then where the table keeps it, not an incomplete address."""
    sample = list(dict.fromkeys(texts))[:_STREET_LINE_SAMPLE]
    if not sample:
        return options
    lines = sum(1 for text in sample if is_street_line(text))
    return replace(options, street_lines=lines >= _STREET_LINE_SHARE * len(sample))


FIELD = FieldType(TYPE_NAME, _validate_value, infer=_infer)
