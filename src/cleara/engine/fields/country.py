"""Country field: ISO 3166-1 alpha-2 codes from names, codes and aliases in many languages.

Accepted input: alpha-2, alpha-3 and numeric codes; English short, official and common names;
everyday aliases (`USA`, `UK`, `Holland`, `Ivory Coast`); the names pycountry ships in its
gettext catalogues for the languages in `_LANGUAGES`. Matching ignores case, accents and
punctuation. A close misspelling of a known name is accepted with lower confidence and a
`country_fuzzy_match` issue.

Other modules use `to_alpha2(text)` (exact matching only) and `region_option(value)` (read a
country option such as `--country uk`).
"""

from __future__ import annotations

import gettext
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import pycountry
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from cleara.engine.fields.base import FieldOptions, FieldResult, FieldType, Issue, invalid

TYPE_NAME = "country"

# gettext catalogues read for native and foreign-language names.
_LANGUAGES = (
    "de",
    "fr",
    "es",
    "pt",
    "pt_BR",
    "it",
    "nl",
    "sv",
    "da",
    "nb_NO",
    "fi",
    "pl",
    "cs",
    "sk",
    "hu",
    "ro",
    "tr",
    "ru",
    "uk",
    "el",
    "zh_CN",
    "zh_TW",
    "ja",
    "ko",
    "ar",
    "he",
    "id",
    "vi",
)
# Languages whose names also serve as targets for misspelling correction.
_FUZZY_LANGUAGES = frozenset({"de", "fr", "es", "pt", "it", "nl"})
_MAX_INPUT_LENGTH = 120

_TRANSLITERATION = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
        "ß": "ss",
        "&": " and ",
    }
)
_DROPPED = re.compile(r"[.'’‘`´ʼ]")
_SEPARATORS = re.compile(r"[\W_]+")
_PART_SPLIT = re.compile(r"[()/,;|\[\]]|\s[-–]\s")


@dataclass(frozen=True, slots=True)
class Country:
    """One country as the engine reports it."""

    alpha_2: str
    alpha_3: str
    numeric: str | None
    name: str

    def components(self) -> dict[str, Any]:
        return {
            "alpha_2": self.alpha_2,
            "alpha_3": self.alpha_3,
            "name": self.name,
            "numeric": self.numeric,
        }


@dataclass(frozen=True, slots=True)
class _Index:
    countries: dict[str, Country]  # alpha-2 -> country
    names: dict[str, str]  # normalized name or code -> alpha-2
    ambiguous: dict[str, tuple[str, ...]]  # normalized name -> the alpha-2 codes it names
    fuzzy_keys: tuple[str, ...]
    fuzzy_codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Match:
    code: str
    fuzzy: bool = False
    similarity: float = 1.0
    matched: str = ""


def name_key(text: str) -> str:
    """`text` folded for lookup: no case, accents or punctuation; `St` read as `Saint`."""
    folded = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATION))
    if not folded.isascii():  # ASCII text has no combining marks to drop
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = folded.casefold()
    words = _SEPARATORS.sub(" ", _DROPPED.sub("", folded)).split()
    words = ["saint" if word == "st" else word for word in words]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _name_variants(name: str) -> Iterator[str]:
    """Other ways people write an ISO name: `Korea, Republic of` -> `Republic of Korea`."""
    if "," in name:
        head, _, tail = name.partition(",")
        yield f"{tail.strip()} {head.strip()}"
        yield head
    if "(" in name:
        outside = re.sub(r"\s*\([^)]*\)", "", name)
        yield outside
        yield from re.findall(r"\(([^)]*)\)", name)


def _iso_names(record: Any) -> list[str]:
    names = [record.name]
    names.extend(
        getattr(record, attr) for attr in ("official_name", "common_name") if hasattr(record, attr)
    )
    return names


@lru_cache(maxsize=1)
def _alias_data() -> dict[str, Any]:
    text = (
        resources.files("cleara.engine")
        .joinpath("data/country_aliases.json")
        .read_text(encoding="utf-8")
    )
    data: dict[str, Any] = json.loads(text)
    return data


class _TierBuilder:
    """Collects name -> codes, earlier tiers taking precedence over later ones."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.ambiguous: dict[str, tuple[str, ...]] = {}
        self._keys: dict[str, str] = {}  # the same names recur across tiers

    def key(self, raw: str) -> str:
        """`name_key(raw)`, computed once per distinct name."""
        key = self._keys.get(raw)
        if key is None:
            key = self._keys[raw] = name_key(raw)
        return key

    def add_tier(self, pairs: Iterable[tuple[str, str]]) -> None:
        tier: dict[str, set[str]] = {}
        for raw, code in pairs:
            key = self.key(raw)
            if key and key not in self.names and key not in self.ambiguous:
                tier.setdefault(key, set()).add(code)
        for key, codes in tier.items():
            if len(codes) == 1:
                self.names[key] = next(iter(codes))
            else:
                self.ambiguous[key] = tuple(sorted(codes))


def _build_countries() -> dict[str, Country]:
    display = _alias_data()["display_names"]
    countries = {
        record.alpha_2: Country(
            alpha_2=record.alpha_2,
            alpha_3=record.alpha_3,
            numeric=record.numeric,
            name=display.get(record.alpha_2, getattr(record, "common_name", record.name)),
        )
        for record in pycountry.countries
    }
    for extra in _alias_data()["extra_countries"]:
        countries[extra["alpha_2"]] = Country(
            extra["alpha_2"], extra["alpha_3"], extra["numeric"], extra["name"]
        )
    return countries


def _translations() -> list[tuple[str, gettext.NullTranslations]]:
    catalogues: list[tuple[str, gettext.NullTranslations]] = []
    for language in _LANGUAGES:
        try:
            catalogues.append(
                (
                    language,
                    gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language]),
                )
            )
        except OSError:  # a catalogue missing from this pycountry build is simply skipped
            continue
    return catalogues


@lru_cache(maxsize=1)
def _index() -> _Index:
    countries = _build_countries()
    records = list(pycountry.countries)
    aliases = _alias_data()["aliases"]
    builder = _TierBuilder()
    builder.add_tier((alias, code) for code, names in aliases.items() for alias in names)
    codes: list[tuple[str, str]] = []
    for country in countries.values():
        codes.extend([(country.alpha_2, country.alpha_2), (country.alpha_3, country.alpha_2)])
        if country.numeric:
            codes.append((country.numeric, country.alpha_2))
    builder.add_tier(codes)
    english = [(name, r.alpha_2) for r in records for name in _iso_names(r)]
    english += [(c.name, c.alpha_2) for c in countries.values()]
    builder.add_tier(english)
    builder.add_tier((v, code) for name, code in english for v in _name_variants(name))
    fuzzy_keys = {builder.key(name): code for name, code in english}
    fuzzy_keys.update(
        (builder.key(alias), code) for code, names in aliases.items() for alias in names
    )
    translated: list[tuple[str, str]] = []
    for language, catalogue in _translations():
        for name, code in english:
            local = catalogue.gettext(name)
            translated.append((local, code))
            if language in _FUZZY_LANGUAGES:
                fuzzy_keys.setdefault(builder.key(local), code)
    builder.add_tier(translated)
    builder.add_tier((v, code) for name, code in translated for v in _name_variants(name))
    fuzzy = {k: v for k, v in fuzzy_keys.items() if len(k) >= 4 and builder.names.get(k) == v}
    return _Index(
        countries=countries,
        names=builder.names,
        ambiguous=builder.ambiguous,
        fuzzy_keys=tuple(fuzzy),
        fuzzy_codes=tuple(fuzzy.values()),
    )


def _lookup_key(key: str) -> str | None:
    if key.isdigit() and len(key) <= 3:
        key = key.zfill(3)
    return _index().names.get(key)


@lru_cache(maxsize=8192)
def to_alpha2(text: str) -> str | None:
    """The alpha-2 code `text` names exactly (code, name, alias or translation), else None."""
    if len(text) > _MAX_INPUT_LENGTH:
        return None
    key = name_key(text)
    code = _lookup_key(key)
    if code is None and " " in key and len(key.replace(" ", "")) <= 3:
        code = _lookup_key(key.replace(" ", ""))  # spaced-out codes such as `U S A`
    return code


def country_info(alpha_2: str) -> Country | None:
    """The country for an alpha-2 code (any case), or None."""
    return _index().countries.get(alpha_2.strip().upper())


def region_option(value: str | None) -> str | None:
    """A country option (`US`, `us`, `USA`, `United Kingdom`) as an alpha-2 code, else None."""
    if not value or not value.strip():
        return None
    upper = value.strip().upper()
    if upper in _index().countries:
        return upper
    return to_alpha2(value)


def _allowed_edits(length: int) -> int:
    """How many typing slips a name of this length may carry and still be recognized."""
    if length < 5:
        return 0
    if length <= 7:
        return 1
    return 2 if length <= 12 else 3


def _char_mask(text: str) -> int:
    """The set of characters in `text` as bits (a character's code point modulo 64)."""
    mask = 0
    for char in set(text):
        mask |= 1 << (ord(char) & 63)
    return mask


@lru_cache(maxsize=64)
def _fuzzy_candidates(
    length: int, edits: int
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...]]:
    """The fuzzy keys (with their codes and character masks, in index order) within `edits`
    of `length` characters: no other key can be within `edits` edits of a key that long."""
    index = _index()
    kept = [i for i, k in enumerate(index.fuzzy_keys) if abs(len(k) - length) <= edits]
    keys = tuple(index.fuzzy_keys[i] for i in kept)
    return keys, tuple(index.fuzzy_codes[i] for i in kept), tuple(map(_char_mask, keys))


def _near_keys(key: str, edits: int) -> tuple[list[str], list[str]]:
    """The candidate keys (and codes) that can be within `edits` edits of `key`.

    An insertion, deletion, substitution or transposition changes at most two bits of a
    character mask, so a key whose mask differs from `key`'s in more than `2 * edits` bits
    is farther than `edits` edits: skipping it leaves the matches as they were."""
    keys, codes, masks = _fuzzy_candidates(len(key), edits)
    query, limit = _char_mask(key), 2 * edits
    near = [i for i, mask in enumerate(masks) if (mask ^ query).bit_count() <= limit]
    return [keys[i] for i in near], [codes[i] for i in near]


def _fuzzy_match(key: str) -> _Match | None:
    edits = _allowed_edits(len(key))
    if edits == 0 or not key.replace(" ", "").isalpha():
        return None
    keys, key_codes = _near_keys(key, edits)
    found = process.extract(
        key, keys, scorer=DamerauLevenshtein.distance, score_cutoff=edits, limit=8
    )
    if not found:
        return None
    best = min(distance for _, distance, _ in found)
    codes = {key_codes[i] for _, distance, i in found if distance == best}
    if len(codes) != 1:
        return None  # two countries are equally close: do not guess
    matched = next(choice for choice, distance, _ in found if distance == best)
    similarity = 1.0 - best / max(len(key), len(matched))
    return _Match(codes.pop(), fuzzy=True, similarity=similarity, matched=matched)


def _match_parts(text: str) -> str | None:
    """`Germany (DE)`, `DE - Germany`: every part must name the same country."""
    parts = [part for part in _PART_SPLIT.split(text) if part.strip()]
    if len(parts) < 2:
        return None
    codes = {to_alpha2(part) for part in parts}
    if len(codes) == 1 and None not in codes:
        return codes.pop()
    return None


def _match(text: str) -> _Match | None:
    code = to_alpha2(text) or _match_parts(text)
    if code is not None:
        return _Match(code)
    key = name_key(text)
    if len(text) > _MAX_INPUT_LENGTH or key in _index().ambiguous:
        return None
    return _fuzzy_match(key)


def _ambiguity(text: str) -> tuple[str, ...]:
    return _index().ambiguous.get(name_key(text), ())


def _validate_value(text: str, _options: FieldOptions) -> FieldResult:
    match = _match(text)
    if match is None:
        candidates = _ambiguity(text)
        if candidates:
            return invalid(
                text,
                TYPE_NAME,
                "country_ambiguous",
                f"'{text}' may name several countries: {', '.join(candidates)}.",
            )
        return invalid(text, TYPE_NAME, "country_unknown", f"'{text}' is not a known country.")
    country = _index().countries[match.code]
    result = FieldResult(
        input=text,
        type=TYPE_NAME,
        valid=True,
        value=country.alpha_2,
        components=country.components(),
        rule=None if text == country.alpha_2 else "country.alpha2",
    )
    if match.fuzzy:
        result.rule = "country.fuzzy"
        result.confidence = round(0.9 * match.similarity, 3)
        result.issues.append(
            Issue(
                "country_fuzzy_match",
                f"'{text}' is not a known country name; read as the close spelling "
                f"'{country.name}' ({country.alpha_2}).",
                "warning",
            )
        )
    return result


FIELD = FieldType(TYPE_NAME, _validate_value)
