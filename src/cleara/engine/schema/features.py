"""Per-column features for the value classifier.

A column's sample of values becomes one fixed-length vector: null share, uniqueness,
length and character-class statistics, numeric statistics, regex-family hit rates, word
lexicon hits and the hit rates of the cleaning engine's field validators. The same code
computes features for training and for detection, so the two cannot drift apart.
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from importlib import resources

import numpy as np
from numpy.typing import NDArray

from cleara.engine.fields.base import FieldOptions, FieldType, JsonScalar, as_text, is_null
from cleara.engine.schema.types import SEMANTIC_TYPES, cleaner_for

VALIDATOR_FIELDS: tuple[str, ...] = (
    "email", "url", "phone", "country", "postal_code", "date", "datetime", "boolean",
    "gender", "state", "number", "currency", "name", "address",
)  # fmt: skip
"""Field validators whose hit rates are features (a missing module gives NaN)."""


VALIDATOR_SAMPLE = 24  # distinct values checked per validator; validators are the slow part
REGEX_SAMPLE = 200  # values whose shapes are measured
PATTERN_CHARS = 1000
"""The shape patterns read at most this many characters of a value: patterns such as
`sentence` take time that grows with the square of a value's length, and a type shows in a
value's start (the longest value in the schema bench sets has 318 characters)."""

_PATTERNS: dict[str, str] = {
    "email": r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}",
    "url": r"(https?://|www\.)\S+|[a-z0-9-]+(\.[a-z0-9-]+)*\.(com|org|net|io|de|fr|es|it|nl|uk|br|info|biz|co)(/\S*)?",
    "ipv4": r"(\d{1,3}\.){3}\d{1,3}",
    "ipv6": r"[0-9a-fA-F]{0,4}(:[0-9a-fA-F]{0,4}){2,7}",
    "uuid": r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}",
    "iso_date": r"\d{4}-\d{1,2}-\d{1,2}",
    "slash_date": r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}",
    "text_date": r"(\d{1,2}\s+)?[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4}",  # noqa: E501
    "datetime": r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\s+\d{1,2}:\d{2}(:\d{2})?(\s*[AaPp][Mm])?",  # noqa: E501
    "time": r"\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(\s*[AaPp]\.?[Mm]\.?)?",
    "year": r"(1[89]|20)\d{2}",
    "phone": r"\+?[\d\s().\-]{7,20}(\s*(x|ext\.?)\s*\d+)?",
    "zip5": r"\d{5}(-\d{4})?",
    "postcode_alnum": r"[A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2}|[A-Za-z]\d[A-Za-z]\s?\d[A-Za-z]\d|\d{4}\s?[A-Za-z]{2}|\d{4,5}-\d{3,4}|\d{2}-\d{3}",  # noqa: E501
    "card": r"(\d{4}[\s-]?){3}\d{1,7}|\d{13,19}",
    "iban": r"[A-Za-z]{2}\d{2}\s?([A-Za-z0-9]{4}\s?){2,7}[A-Za-z0-9]{1,4}",
    "ssn_like": r"\d{3}-\d{2}-\d{4}|[A-Za-z]?\d{7,8}[A-Za-z]|\d{3}\.?\d{3}\.?\d{3}-?\d{2}|[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z]",  # noqa: E501
    "money": r"[-+]?\s*[$€£¥₹]\s*[-+]?\d[\d,.\s]*|[-+]?\d[\d,.\s]*\s*([$€£¥₹]|[A-Z]{3})|[A-Z]{3}\s*\d[\d,.]*",  # noqa: E501
    "percent": r"[-+]?\d+([.,]\d+)?\s*%",
    "integer": r"[-+]?\d+",
    "decimal": r"[-+]?\d*[.,]\d+",
    "grouped_number": r"[-+]?\d{1,3}([,.\s']\d{3})+([.,]\d+)?",
    "code_mixed": r"(?=.*[A-Za-z])(?=.*\d)[A-Za-z0-9\-_/.#]+",
    "upper2": r"[A-Z]{2}",
    "upper3": r"[A-Z]{3}",
    "lang_tag": r"[a-z]{2,3}([-_][A-Za-z]{2,4})?",
    "timezone": r"[A-Z][a-z]+/[A-Za-z_]+(/[A-Za-z_]+)?|UTC([+-]\d{1,2}(:\d{2})?)?|GMT([+-]\d{1,2})?|[A-Z]{3,4}",  # noqa: E501
    "initial": r"[A-Za-z]\.?",
    "title_words": r"[A-ZÀ-Ý][a-zà-ÿ'’\-]+( [A-ZÀ-Ý][a-zà-ÿ'’\-]+)*",
    "single_word": r"[^\W\d_][^\W\d_'’\-]*",
    "two_words": r"[^\W\d_][^\s\d]*\s+[^\W\d_][^\s\d]*",
    "street": r"\d+[A-Za-z]?\s+.+|.+\s+\d+[A-Za-z]?(,.*)?",
    "address_comma": r".+\d.+,.+,.+",
    "bool_token": r"(?i)(true|false|yes|no|y|n|t|f|0|1|si|sí|oui|non|ja|nein|sim|não|nao|on|off|x)",
    "sentence": r".*\w+[\s,;]+\w+[\s,;]+\w+[\s,;]+\w+.*",
    "hex": r"(0x)?[0-9a-fA-F]{6,}",
    "latlon_pair": r"[-+]?\d{1,3}\.\d+\s*,\s*[-+]?\d{1,3}\.\d+",
}  # fmt: skip

_COMPILED: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern) for name, pattern in _PATTERNS.items()
}
_SENTENCE_CORE = re.compile(r"\w[\s,;]+\w+[\s,;]+\w+[\s,;]+\w")


def looks_like_email(text: str) -> bool:
    """Whether the text has the e-mail shape the `re_email` feature counts."""
    return _COMPILED["email"].fullmatch(text) is not None


def _is_sentence(text: str) -> bool:
    """`sentence`'s full match in linear time: without a line break, the pattern's `.*`
    around four words take any text, so finding the four words is enough."""
    if "\n" in text:
        return _COMPILED["sentence"].fullmatch(text) is not None
    return _SENTENCE_CORE.search(text) is not None


_MATCHERS: tuple[Callable[[str], object], ...] = tuple(
    _is_sentence if name == "sentence" else pattern.fullmatch for name, pattern in _COMPILED.items()
)
"""Each shape pattern's full-match test, in `_PATTERNS` order."""


_NUMBER = re.compile(r"[-+]?(\d+([.,]\d+)?|[.,]\d+)([eE][-+]?\d+)?")
_LEXICONS: tuple[str, ...] = (
    "first_names", "last_names", "name_prefixes", "name_suffixes", "company_words",
    "street_words", "job_words", "department_words", "industry_words", "city_words",
    "language_words", "currency_codes", "gender_words", "categorical_words", "county_words",
)  # fmt: skip
GAZETTEERS: tuple[str, ...] = (
    "country_names", "subdivision_names", "city_names", "county_names", "state_codes",
)  # fmt: skip
"""Place-name lists matched against whole values (lower-case), stored with the lexicons."""

_CHAR_CLASSES: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("digit", str.isdigit),
    ("alpha", str.isalpha),
    ("upper", str.isupper),
    ("lower", str.islower),
    ("space", str.isspace),
    ("at", lambda c: c == "@"),
    ("dot", lambda c: c == "."),
    ("dash", lambda c: c == "-"),
    ("slash", lambda c: c == "/"),
    ("colon", lambda c: c == ":"),
    ("comma", lambda c: c == ","),
    ("plus", lambda c: c == "+"),
    ("paren", lambda c: c in "()"),
    ("underscore", lambda c: c == "_"),
    ("symbol", lambda c: c in "$€£¥₹%#&*"),
    ("non_ascii", lambda c: ord(c) > 127),
)


def feature_names() -> tuple[str, ...]:
    """The name of each feature, in vector order."""
    return _feature_names()


@lru_cache(maxsize=1)
def _feature_names() -> tuple[str, ...]:
    names = ["null_share", "log_count", "unique_share", "top_share", "log_distinct"]
    names += ["len_mean", "len_std", "len_min", "len_max", "len_cv", "len_const"]
    names += ["tokens_mean", "tokens_max"]
    names += [f"char_{name}" for name, _ in _CHAR_CLASSES]
    names += ["num_share", "int_share", "num_mean", "num_std", "num_min", "num_max"]
    names += ["num_in_lat", "num_in_lon", "num_in_year", "num_in_age", "num_in_unit"]
    names += ["num_in_pct", "num_decimals", "num_negative", "num_leading_zero", "num_monotone"]
    names += [f"re_{name}" for name in _PATTERNS]
    names += [f"lex_{name}" for name in _LEXICONS]
    names += [f"gaz_{name}" for name in GAZETTEERS]
    names += ["shape_lower", "shape_upper", "shape_title", "year_share", "year_age", "year_span"]
    names += ["num_decimals_std", "num_price_cents", "num_clock"]
    names += ["tz_name", "luhn", "iban_checksum", "uuid_strict"]
    names += ["iso_country_alpha2", "iso_country_alpha3", "iso_currency", "us_zip_real"]
    names += [f"valid_{name}" for name in VALIDATOR_FIELDS]
    return tuple(names)


def sample_texts(values: Sequence[JsonScalar], limit: int) -> list[str]:
    """Up to `limit` non-null values as text, spread evenly over the column."""
    texts = [as_text(v).strip() for v in values if not is_null(v)]
    if len(texts) <= limit:
        return texts
    step = len(texts) / limit
    return [texts[int(i * step)] for i in range(limit)]


def column_features(values: Sequence[JsonScalar]) -> list[float]:
    """The feature vector of one column's values (any length; sampled here)."""
    total = len(values)
    texts = [as_text(v).strip() for v in values if not is_null(v)]
    sample = _spread(texts, REGEX_SAMPLE)
    features: list[float] = _presence_features(total, texts)
    features += _length_features(sample)
    features += _char_features(sample)
    numeric_texts, numbers = _read_numbers(sample)
    features += _numeric_features(sample, numeric_texts, numbers)
    shapes = [text[:PATTERN_CHARS] for text in sample]
    features += [_share(shapes, matches) for matches in _MATCHERS]
    features += _lexicon_features(sample)
    features += _gazetteer_features(sample)
    features += _shape_features(sample)
    features += _year_features(sample)
    features += _decimal_features(sample)
    features += [_clock_share(numbers)]
    features += _checksum_features(sample)
    features += _code_list_features(sample)
    features += _validator_features(texts)
    return features


def _spread(texts: list[str], limit: int) -> list[str]:
    if len(texts) <= limit:
        return texts
    step = len(texts) / limit
    return [texts[int(i * step)] for i in range(limit)]


def _share(texts: Sequence[str], test: Callable[[str], object]) -> float:
    if not texts:
        return math.nan
    return sum(1 for t in texts if test(t)) / len(texts)


def _presence_features(total: int, texts: list[str]) -> list[float]:
    if total == 0:
        return [math.nan, 0.0, math.nan, math.nan, 0.0]
    counts: dict[str, int] = {}
    for text in texts:
        counts[text.lower()] = counts.get(text.lower(), 0) + 1
    present = len(texts)
    unique = len(counts) / present if present else math.nan
    top = max(counts.values()) / present if present else math.nan
    return [1 - present / total, math.log1p(present), unique, top, math.log1p(len(counts))]


def _length_features(sample: list[str]) -> list[float]:
    if not sample:
        return [math.nan] * 6 + [math.nan, math.nan]
    lengths = [len(t) for t in sample]
    mean = statistics.fmean(lengths)
    std = statistics.pstdev(lengths)
    tokens = [len(t.split()) for t in sample]
    return [
        mean,
        std,
        float(min(lengths)),
        float(max(lengths)),
        std / mean if mean else 0.0,
        1.0 if min(lengths) == max(lengths) else 0.0,
        statistics.fmean(tokens),
        float(max(tokens)),
    ]


def _char_features(sample: list[str]) -> list[float]:
    joined = "".join(sample)
    if not joined:
        return [math.nan] * len(_CHAR_CLASSES)
    size = len(joined)
    counts = Counter(joined)  # each distinct character tested once per class
    return [sum(n for c, n in counts.items() if test(c)) / size for _, test in _CHAR_CLASSES]


def _as_number(text: str) -> float | None:
    cleaned = text.replace(" ", "").replace("'", "")
    if not _NUMBER.fullmatch(cleaned):
        return None
    try:
        return float(cleaned.replace(",", "."))
    except ValueError:
        return None


def _signed_log(x: float) -> float:
    return math.copysign(math.log1p(abs(x)), x)


_NUMBER_BOUND = 1e100


def _read_numbers(sample: list[str]) -> tuple[list[str], list[float]]:
    """The values that read as numbers, and those numbers (finite ones only), parsed once.

    Numbers are clamped so that means and deviations of absurd values (1e308) cannot
    overflow; the features are logs, so anything past 1e100 reads the same."""
    parsed = [(t, n) for t in sample if (n := _as_number(t)) is not None]
    numbers = [max(-_NUMBER_BOUND, min(_NUMBER_BOUND, n)) for _, n in parsed if math.isfinite(n)]
    return [t for t, _ in parsed], numbers


def _numeric_features(sample: list[str], texts: list[str], numbers: list[float]) -> list[float]:
    """Numeric statistics of a sample, given `_read_numbers` of it."""
    if not sample or not numbers:
        share = 0.0 if sample else math.nan
        return [share] + [math.nan] * 15
    ints = [n for n in numbers if n.is_integer()]
    decimals = [
        len(t.replace(",", ".").split(".")[1]) if "." in t or "," in t else 0 for t in texts
    ]
    ordered = all(a <= b for a, b in itertools.pairwise(numbers))

    def within(low: float, high: float) -> float:
        return sum(1 for n in numbers if low <= n <= high) / len(numbers)

    return [
        len(numbers) / len(sample),
        len(ints) / len(numbers),
        _signed_log(statistics.fmean(numbers)),
        math.log1p(statistics.pstdev(numbers)),
        _signed_log(min(numbers)),
        _signed_log(max(numbers)),
        within(-90, 90),
        within(-180, 180),
        sum(1 for n in ints if 1800 <= n <= 2100) / len(numbers),
        sum(1 for n in ints if 0 <= n <= 120) / len(numbers),
        within(0, 1),
        within(0, 100),
        statistics.fmean(decimals),
        sum(1 for n in numbers if n < 0) / len(numbers),
        sum(1 for t in texts if len(t) > 1 and t[0] == "0" and t[1].isdigit()) / len(texts),
        1.0 if ordered and len(numbers) > 2 else 0.0,
    ]


@lru_cache(maxsize=1)
def _lexicon_sets() -> dict[str, frozenset[str]]:
    """Word lists shipped with the engine (lower-case, accent-kept)."""
    text = resources.files("cleara.engine.data").joinpath("schema_lexicons.tsv").read_text("utf-8")
    sets: dict[str, set[str]] = {name: set() for name in (*_LEXICONS, *GAZETTEERS)}
    for line in text.splitlines():
        name, _, word = line.partition("\t")
        if name in sets and word:
            sets[name].add(word)
    return {name: frozenset(words) for name, words in sets.items()}


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _lexicon_features(sample: list[str]) -> list[float]:
    """Per lexicon: the share of values with at least one word from it (codes match whole)."""
    sets = _lexicon_sets()
    if not sample:
        return [math.nan] * len(_LEXICONS)
    words = [[w.lower() for w in _WORD.findall(t)] for t in sample]
    features = []
    for name in _LEXICONS:
        lexicon = sets[name]
        if name in ("currency_codes", "language_words", "gender_words", "categorical_words"):
            hits = sum(1 for t in sample if t.lower().strip(" .") in lexicon)
        else:
            hits = sum(1 for ws in words if any(w in lexicon for w in ws))
        features.append(hits / len(sample))
    return features


_SPACES = re.compile(r"\s+")


def place_key(text: str) -> str:
    """The form place names are looked up in: lower-case, single spaces."""
    return _SPACES.sub(" ", text.strip().lower())


def _gazetteer_features(sample: list[str]) -> list[float]:
    """Per gazetteer: the share of values that are a known place name (whole value).

    Shapes cannot tell `Greater Accra` (a region) from `Duluth` (a city) or from `Wiz Khalifa`
    (an artist); real place-name lists can."""
    if not sample:
        return [math.nan] * len(GAZETTEERS)
    sets = _lexicon_sets()
    keys = [place_key(t) for t in sample]
    return [sum(1 for k in keys if k in sets[name]) / len(keys) for name in GAZETTEERS]


def _shape_features(sample: list[str]) -> list[float]:
    """Shares of lettered values written all lower-case, all upper-case and in title case."""
    lettered = [t for t in sample if any(c.isalpha() for c in t)]
    if not lettered:
        return [math.nan] * 3
    return [
        _share(lettered, str.islower),
        _share(lettered, str.isupper),
        _share(lettered, str.istitle),
    ]


_YEAR_IN_TEXT = re.compile(r"(?<!\d)(1[6-9]\d\d|20\d\d)(?!\d)")
YEAR_REFERENCE = 2025
"""Years in values are measured as years before this one (birth dates lie 16-100 back)."""


def _year_features(sample: list[str]) -> list[float]:
    """Share of values holding a four-digit year, the mean age of those years, their span."""
    if not sample:
        return [math.nan] * 3
    years = [int(m.group(0)) for t in sample if (m := _YEAR_IN_TEXT.search(t))]
    if not years:
        return [0.0, math.nan, math.nan]
    return [
        len(years) / len(sample),
        YEAR_REFERENCE - statistics.fmean(years),
        float(max(years) - min(years)),
    ]


_DECIMAL = re.compile(r"[-+]?\d+[.,](\d+)")
_PRICE_CENTS = frozenset({"99", "95", "49", "98", "97", "50", "00", "29", "79", "89", "90"})


def _decimal_features(sample: list[str]) -> list[float]:
    """How much the decimal places vary (floats written shortest-form vary, coordinates do
    not) and the share of two-decimal values with shop-price cents (.99, .95, .49, ...)."""
    matches = [m for t in sample if (m := _DECIMAL.fullmatch(t.replace(" ", "")))]
    if not matches:
        return [math.nan, math.nan]
    places = [len(m.group(1)) for m in matches]
    cents = [m.group(1) for m in matches if len(m.group(1)) == 2]
    return [
        statistics.pstdev(places),
        sum(1 for c in cents if c in _PRICE_CENTS) / len(matches),
    ]


def _clock_share(numbers: list[float]) -> float:
    """The share of numbers that read as a 24-hour HHMM time (whole, 0-2359, minutes < 60):
    all of a column of departure times, about 60% of other numbers in that range."""
    if not numbers:
        return math.nan
    clocks = sum(1 for n in numbers if n.is_integer() and 0 <= n <= 2359 and n % 100 < 60)
    return clocks / len(numbers)


@lru_cache(maxsize=1)
def _timezones() -> frozenset[str]:
    import zoneinfo

    return frozenset(z.lower() for z in zoneinfo.available_timezones())


def luhn_valid(digits: str) -> bool:
    """True when a 13-19 digit number passes the Luhn check (payment cards)."""
    if not digits.isdigit() or not 13 <= len(digits) <= 19:
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = int(char)
        if index % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


_IBAN_CHARS = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]+")


def iban_valid(text: str) -> bool:
    """True when `text` passes the IBAN mod-97 check."""
    compact = text.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34 or not _IBAN_CHARS.fullmatch(compact):
        return False
    moved = compact[4:] + compact[:4]
    number = "".join(str(int(c, 36)) for c in moved)
    return int(number) % 97 == 1


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", re.I)


def _checksum_features(sample: list[str]) -> list[float]:
    zones = _timezones()
    return [
        _share(sample, lambda t: t.lower() in zones),
        _share(sample, lambda t: luhn_valid(re.sub(r"[\s-]", "", t))),
        _share(sample, iban_valid),
        _share(sample, _UUID.fullmatch),
    ]


@cache
def _validator(name: str) -> FieldType | None:
    from cleara.engine.fields.registry import get_field

    try:
        return get_field(name)
    except (ImportError, AttributeError):
        return None  # the field module is not part of this installation


def available_validators() -> tuple[str, ...]:
    """The validator fields this installation has."""
    return tuple(name for name in VALIDATOR_FIELDS if _validator(name) is not None)


def _validator_features(texts: list[str]) -> list[float]:
    distinct = list(dict.fromkeys(texts))
    sample = _spread(distinct, VALIDATOR_SAMPLE)
    return [_validator_hit_rate(name, sample) for name in VALIDATOR_FIELDS]


# Free-text date parsing is slow; text with no digit or a long text is no date in a table.
_NEEDS_DIGIT = frozenset({"date", "datetime"})
# A phone number has digits (libphonenumber needs at least three): text without is no phone.
_DIGITS_REQUIRED = frozenset({"phone"})


def _has_digit(text: str) -> bool:
    return any(c.isdigit() for c in text)


def _worth_date_parsing(text: str) -> bool:
    return len(text) <= 40 and _has_digit(text)


def _worth_validating(name: str, text: str) -> bool:
    """False for a value the validator `name` can only reject (so it is not run)."""
    if name in _NEEDS_DIGIT:
        return _worth_date_parsing(text)
    return name not in _DIGITS_REQUIRED or _has_digit(text)


def _column_options(field: FieldType, sample: list[str]) -> FieldOptions:
    """The options the cleaner would infer for the column (phone region, day-first order).

    Validating with them counts national-format numbers and local date orders as the
    cleaner would read them, instead of as invalid for want of a region.
    """
    try:
        return field.infer(sample, FieldOptions())
    except Exception:  # a validator's inference never stops feature extraction
        return FieldOptions()


def _validator_hit_rate(name: str, sample: list[str]) -> float:
    field = _validator(name)
    if field is None or not sample:
        return math.nan
    worth = [text for text in sample if _worth_validating(name, text)]
    if not worth:
        return 0.0  # nothing the validator could accept: skip its column inference too
    options = _column_options(field, sample)
    hits = 0
    for text in worth:
        try:
            hits += field.accepts(text, options)
        except Exception:
            continue
    return hits / len(sample)


@lru_cache(maxsize=1)
def _iso_codes() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """ISO 3166-1 alpha-2 and alpha-3 country codes and ISO 4217 currency codes."""
    import pycountry

    alpha2 = frozenset(c.alpha_2 for c in pycountry.countries)
    alpha3 = frozenset(c.alpha_3 for c in pycountry.countries)
    alpha3 |= frozenset(c.alpha_3 for c in pycountry.historic_countries)
    currencies = frozenset(c.alpha_3 for c in pycountry.currencies)
    return alpha2, alpha3, currencies


_ZIP = re.compile(r"\d{5}(-\d{4})?")
ZIP_SAMPLE = 24  # distinct ZIP-shaped values looked up in the US ZIP database


def _code_list_features(sample: list[str]) -> list[float]:
    """Shares of values that are ISO country / currency codes or real US ZIP codes.

    Code lists separate look-alikes that shapes cannot: `DEU` (country) from `EUR`
    (currency), or `02134` (a ZIP code) from an arbitrary five-digit key.
    """
    if not sample:
        return [math.nan] * 4
    alpha2, alpha3, currencies = _iso_codes()
    upper = [t.upper() for t in sample]
    return [
        _share(upper, alpha2.__contains__),
        _share(upper, alpha3.__contains__),
        _share(upper, currencies.__contains__),
        _us_zip_share(sample),
    ]


def _us_zip_share(sample: list[str]) -> float:
    """Share of distinct values that are real US ZIP codes (0 unless most look like ZIPs)."""
    distinct = list(dict.fromkeys(sample))
    shaped = [t for t in distinct if _ZIP.fullmatch(t)]
    if len(shaped) * 2 < len(distinct):
        return 0.0  # not a ZIP-shaped column: skip the lookups
    from cleara.engine.fields.postal_code import is_us_zip

    checked = _spread(shaped, ZIP_SAMPLE)
    return sum(1 for t in checked if is_us_zip(t)) / len(checked)


def type_validity(features: NDArray[np.float64]) -> NDArray[np.float64]:
    """(columns, SEMANTIC_TYPES): the share of values that the validator of the field type
    cleaning each semantic type (`types.cleaner_for`) accepts, read off feature rows; 0 for
    types cleaned as plain text (or whose validator is not installed)."""
    names = feature_names()
    rows = np.atleast_2d(features)
    validity = np.zeros((rows.shape[0], len(SEMANTIC_TYPES)))
    for column, type_name in enumerate(SEMANTIC_TYPES):
        validator = cleaner_for(type_name)
        if validator in VALIDATOR_FIELDS:
            rates = rows[:, names.index(f"valid_{validator}")]
            validity[:, column] = np.nan_to_num(rates, nan=0.0)
    return validity
