"""Date and datetime fields: column-aware reading of dates written in many ways.

`FIELD` ("date") gives `YYYY-MM-DD`; `DATETIME_FIELD` ("datetime") gives
`YYYY-MM-DDTHH:MM:SS` plus the UTC offset when the input names one (`Z` becomes `+00:00`).
`options.date_format` (a strftime pattern) replaces ISO 8601 in the output of both.

Column inference (`infer_date_options`) decides, from all values at once:

* day/month order: a value whose first number is over 12 proves day-first, one whose second
  number is over 12 proves month-first. One kind of proof decides the column; both kinds make
  it *mixed* (ambiguous values take the majority order and carry `date_ambiguous`). Without
  proof the order comes from `options.country` (month-first in the regions listed in
  `data/date_month_first_countries.txt`, day-first elsewhere), then from the order in
  `options.date_format`, then from the separator (a mostly dotted column is day-first), and
  last month-first; these last three defaults mark ambiguous values with `date_ambiguous`.
  `options.dayfirst` overrides all of it.
* Excel serial numbers: plain numbers are read as Excel serials only when, among the values
  with no other date shape, most are 5-digit numbers between 20000 and 80000 (1954-2119).
* the dominant format, recorded (with the order and its source) in `DateColumnOptions`.

Values are read by compiled patterns (numeric dates, month names in en/es/fr/de/pt/it/nl,
times with offsets, Excel serials, Unix seconds/milliseconds, `YYYYMMDD`); only the rest go
to dateparser, which is about a hundred times slower. Two-digit years fall in the 100 years
ending ten years after the current year (in 2026: `36` is 2036, `37` is 1937).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from importlib import resources
from typing import Any, Literal, NamedTuple

from cleara.engine.fields.base import FieldOptions, FieldResult, FieldType, Issue, without_accents

Kind = Literal["date", "datetime"]
OrderSource = Literal["option", "evidence", "mixed", "country", "default"]

_MAX_INPUT_LENGTH = 100
_DATEPARSER_MAX_LENGTH = 64
_DATEPARSER_LANGUAGES = ("en", "es", "fr", "de", "pt", "it", "nl")
_EXCEL_EPOCH = datetime(1899, 12, 30)
_EXCEL_MAX_SERIAL = 2958465  # 9999-12-31
_EXCEL_LIKELY = (20000, 80000)
_UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EARLIEST_PLAUSIBLE_YEAR = 1800
# Days that systems and people write for "unknown": spreadsheet and database zero dates
# (1899-12-30, 1900-01-01, 1753-01-01), the extremes of date types (0001-01-01,
# 9999-12-31) and typed fillers (1111-11-11). The Unix epoch counts for timestamps only:
# people are born on 1 January 1970.
_PLACEHOLDER_DAYS = frozenset(
    {
        date(1, 1, 1), date(1111, 11, 11), date(1753, 1, 1), date(1800, 1, 1),
        date(1899, 12, 30), date(1899, 12, 31), date(1900, 1, 1), date(9999, 12, 31),
    }
)  # fmt: skip
_UNIX_EPOCH_DAY = date(1970, 1, 1)
_LATEST_PLAUSIBLE_YEARS_AHEAD = 100

_NUMBER = re.compile(r"(\d+)(?:\.(\d+))?")
_NUMERIC_DATE = re.compile(r"(\d{1,4})([-/.])(\d{1,2})\2(\d{1,4})")
_TIME_TAIL = re.compile(
    r"(?P<sep>T|[\s,]+T?)\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,9}))?)?"
    r"\s*(?P<meridiem>[AaPp]\.?\s?[Mm]\.?)?"
    r"\s*(?P<zone>[Zz]|UTC|GMT|utc|gmt|[+-]\d{2}(?::?\d{2})?)?$"
)
_TOKEN = re.compile(r"\d+|[^\W\d_]+")
# Words around month names that carry no date information: `12 de enero de 2020`, `1er`, `3rd`.
_FILLER_WORDS = frozenset(
    ["de", "del", "of", "the", "st", "nd", "rd", "th", "er", "re", "o", "a", "le", "el", "den"]
)


@dataclass(frozen=True, slots=True)
class DateColumnOptions(FieldOptions):
    """Field options plus what `infer` learned about the column, kept for explanations.

    `dayfirst` holds the day/month order used for ambiguous values (None when the column has
    none); `order_source` says where it came from; `column_format` is the dominant format.
    """

    order_source: OrderSource = "default"
    excel_serials: bool = False
    column_format: str | None = None


# --- reference data ------------------------------------------------------------------------


def _fold(word: str) -> str:
    """Lower case without accents, so `März`, `marz` and `MÄRZ` compare equal."""
    return without_accents(word)


def month_names() -> dict[str, int]:
    """Folded month names and abbreviations in every supported language -> month number."""
    return _month_tables()[0]


@lru_cache(maxsize=1)
def _month_tables() -> tuple[dict[str, int], frozenset[str]]:
    """Every folded month name -> its number, and the set of full (unabbreviated) names."""
    raw = (
        resources.files("cleara.engine")
        .joinpath("data/date_month_names.json")
        .read_text(encoding="utf-8")
    )
    table: dict[str, int] = {}
    full: set[str] = set()
    for months in json.loads(raw).values():
        for number, names in enumerate(months, start=1):
            table.update({_fold(name): number for name in names})
            full.add(_fold(names[0]))  # each list starts with the full name
    return table, frozenset(full)


@lru_cache(maxsize=1)
def weekday_names() -> frozenset[str]:
    """Folded weekday names and abbreviations, skipped when reading a written date."""
    path = resources.files("cleara.engine").joinpath("data/date_weekday_names.txt")
    return frozenset(_fold(word) for word in _data_lines(path.read_text(encoding="utf-8")))


def _data_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


@lru_cache(maxsize=1)
def month_first_countries() -> frozenset[str]:
    """Regions (alpha-2) whose numeric dates put the month first."""
    path = resources.files("cleara.engine").joinpath("data/date_month_first_countries.txt")
    return frozenset(_data_lines(path.read_text(encoding="utf-8")))


def country_dayfirst(country: str | None) -> bool | None:
    """The usual day/month order for a region code, or None when no region is given."""
    if not country or not country.strip():
        return None
    return country.strip().upper() not in month_first_countries()


# --- small readers -------------------------------------------------------------------------


def expand_year(two_digits: int, today: date | None = None) -> int:
    """A two-digit year in the century window ending ten years after `today`."""
    today = today or date.today()
    latest = today.year + 10
    return latest - (latest - two_digits) % 100


class _NumericShape(NamedTuple):
    """A date written as three numbers; `template` has `{0}`/`{1}` for an open order."""

    first: int
    second: int
    year: int
    template: str
    open_order: bool  # day and month positions depend on the column's order


def _numeric_shape(match: re.Match[str]) -> _NumericShape | None:
    a, sep, b, c = match.groups()
    if len(a) == 4 and len(c) <= 2:
        return _NumericShape(int(b), int(c), int(a), f"%Y{sep}%m{sep}%d", False)
    if len(a) > 2 or len(c) not in (2, 4):
        return None
    if len(c) == 2 and len(a) == 2 and int(a) > 31:  # 99-12-31: two-digit year first
        return _NumericShape(int(b), int(c), expand_year(int(a)), f"%y{sep}%m{sep}%d", False)
    year = int(c) if len(c) == 4 else expand_year(int(c))
    year_code = "%Y" if len(c) == 4 else "%y"
    return _NumericShape(int(a), int(b), year, f"{{0}}{sep}{{1}}{sep}{year_code}", True)


def _order_proof(first: int, second: int) -> bool | None:
    """True when the numbers prove day-first, False for month-first, None when unproven."""
    if first > 12 and second <= 12:
        return True
    if second > 12 and first <= 12:
        return False
    return None


def _is_ambiguous(first: int, second: int) -> bool:
    return first != second and 1 <= first <= 12 and 1 <= second <= 12


class _NamedDate(NamedTuple):
    day: int
    month: int
    year: int
    fmt: str


def _named_date(date_part: str) -> _NamedDate | None:
    """`3 März 2021`, `March 3rd, 2021`, `12 de enero de 2020`, `2021 Mar 04`, `04-Mar-21`."""
    skipped = _FILLER_WORDS | weekday_names()
    tokens = [t for t in (_fold(t) for t in _TOKEN.findall(date_part)) if t not in skipped]
    if len(tokens) != 3:
        return None
    names, full_names = _month_tables()
    words = [i for i, t in enumerate(tokens) if not t.isdigit()]
    if len(words) != 1 or tokens[words[0]] not in names:
        return None
    position = words[0]
    month = names[tokens[position]]
    numbers = [t for t in tokens if t.isdigit()]
    month_code = "%B" if tokens[position] in full_names else "%b"
    if position == 0:
        day_text, year_text, layout = numbers[0], numbers[1], f"{month_code} %d {{y}}"
    elif position == 1 and len(numbers[0]) == 4:
        year_text, day_text, layout = numbers[0], numbers[1], f"{{y}} {month_code} %d"
    elif position == 1:
        day_text, year_text, layout = numbers[0], numbers[1], f"%d {month_code} {{y}}"
    else:
        return None
    if len(day_text) > 2 or len(year_text) not in (2, 4):
        return None
    year = int(year_text) if len(year_text) == 4 else expand_year(int(year_text))
    fmt = layout.format(y="%Y" if len(year_text) == 4 else "%y")
    return _NamedDate(int(day_text), month, year, fmt)


def _split_time(text: str) -> tuple[str, re.Match[str] | None]:
    """The date part of `text` and the match of its trailing time of day, if any."""
    match = _TIME_TAIL.search(text)
    if match is None or match.start() == 0:
        return text, None
    return text[: match.start()], match


def _clock_format(match: re.Match[str]) -> str:
    sep = "T" if match["sep"].strip(" ,") == "T" else " "
    fmt = f"{sep}{'%I' if match['meridiem'] else '%H'}:%M"
    fmt += ":%S" if match["second"] else ""
    fmt += ".%f" if match["fraction"] else ""
    fmt += " %p" if match["meridiem"] else ""
    return fmt + ("%z" if match["zone"] else "")


def _zone(text: str | None) -> tzinfo | None:
    if not text:
        return None
    if text.upper() in ("Z", "UTC", "GMT"):
        return UTC
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 14 or minutes > 59:
        return None
    offset = timedelta(hours=hours, minutes=minutes)
    return timezone(-offset if text[0] == "-" else offset)


def _clock(match: re.Match[str]) -> time | None:
    """The time of day in `match`, or None when it cannot exist (25:00, 13 PM, +19:00)."""
    hour, minute = int(match["hour"]), int(match["minute"])
    second = int(match["second"] or 0)
    micro = int((match["fraction"] or "0")[:6].ljust(6, "0"))
    meridiem = (match["meridiem"] or "").lower()
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem.startswith("p") else 0)
    zone = _zone(match["zone"])
    if match["zone"] and zone is None:
        return None
    try:
        return time(hour, minute, second, micro, tzinfo=zone)
    except ValueError:
        return None


# --- column inference ----------------------------------------------------------------------


@dataclass(slots=True)
class _ColumnProfile:
    """Counts gathered from a column's values (weighted by how often each occurs)."""

    day_proofs: int = 0
    month_proofs: int = 0
    open_order: int = 0
    dotted_open_order: int = 0
    serial_like: int = 0
    unrecognized: int = 0
    formats: Counter[str] = field(default_factory=Counter)

    def add(self, text: str, count: int) -> None:
        if len(text) > _MAX_INPUT_LENGTH:
            self.unrecognized += count
            return
        number = _NUMBER.fullmatch(text)
        if number is not None:
            self._add_number(number, count)
            return
        date_part, clock = _split_time(text)
        clock_fmt = _clock_format(clock) if clock else ""
        numeric = _NUMERIC_DATE.fullmatch(date_part)
        shape = _numeric_shape(numeric) if numeric else None
        if numeric is not None and shape is not None:
            self._add_numeric(shape, numeric[2], count)
            self.formats[shape.template + clock_fmt] += count
            return
        named = _named_date(date_part)
        if named is not None:
            self.formats[named.fmt + clock_fmt] += count
        else:
            self.unrecognized += count

    def _add_numeric(self, shape: _NumericShape, sep: str, count: int) -> None:
        if not shape.open_order:
            return
        proof = _order_proof(shape.first, shape.second)
        self.day_proofs += count if proof is True else 0
        self.month_proofs += count if proof is False else 0
        if _is_ambiguous(shape.first, shape.second):
            self.open_order += count
            self.dotted_open_order += count if sep == "." else 0

    def _add_number(self, number: re.Match[str], count: int) -> None:
        digits = number[1]
        if len(digits) == 8 and not number[2]:
            self.formats["%Y%m%d"] += count
        elif len(digits) in (10, 13):
            self.formats["unix_s" if len(digits) == 10 else "unix_ms"] += count
        else:
            self.unrecognized += count
            low, high = _EXCEL_LIKELY
            if len(digits) == 5 and low <= int(digits) <= high:
                self.serial_like += count
                self.formats["excel_serial"] += count

    def has_open_order(self) -> bool:
        return bool(self.day_proofs or self.month_proofs or self.open_order)


def _format_hint_dayfirst(date_format: str | None) -> bool | None:
    """The order a requested output pattern implies (`%d/%m/%Y` -> day-first)."""
    if not date_format or "%d" not in date_format or "%m" not in date_format:
        return None
    return date_format.index("%d") < date_format.index("%m")


def _default_dayfirst(options: FieldOptions, profile: _ColumnProfile | None) -> bool:
    """The order used when nothing in the data or the options settles it."""
    hint = _format_hint_dayfirst(options.date_format)
    if hint is not None:
        return hint
    # Dotted numeric dates (03.04.2021) are a day-first convention; month-first users write `/`.
    return profile is not None and profile.dotted_open_order * 2 > profile.open_order > 0


def _decide_order(profile: _ColumnProfile, options: FieldOptions) -> tuple[bool, OrderSource]:
    if options.dayfirst is not None:
        return options.dayfirst, "option"
    by_country = country_dayfirst(options.country)
    fallback = by_country if by_country is not None else _default_dayfirst(options, profile)
    fallback_source: OrderSource = "country" if by_country is not None else "default"
    if profile.day_proofs and profile.month_proofs:
        if profile.day_proofs == profile.month_proofs:
            return fallback, "mixed"
        return profile.day_proofs > profile.month_proofs, "mixed"
    if profile.day_proofs or profile.month_proofs:
        return bool(profile.day_proofs), "evidence"
    return fallback, fallback_source


def _render_format(template: str, dayfirst: bool) -> str:
    return template.format(*(("%d", "%m") if dayfirst else ("%m", "%d")))


def infer_date_options(texts: Sequence[str], options: FieldOptions) -> DateColumnOptions:
    """Column-level date settings: day/month order, Excel serials, dominant format."""
    base = _base_options(options)
    profile = _ColumnProfile()
    distinct: Counter[str] = Counter()
    for text, count in Counter(texts).items():
        distinct[" ".join(text.split())] += count
    for text, count in distinct.items():
        profile.add(text, count)
    dayfirst, source = _decide_order(profile, base)
    excel = profile.serial_like * 2 > profile.unrecognized
    formats = [(n, fmt) for fmt, n in profile.formats.items() if excel or fmt != "excel_serial"]
    dominant = max(formats)[1] if formats else None
    settles_order = source == "option" or profile.has_open_order()
    values = {f.name: getattr(base, f.name) for f in fields(FieldOptions)}
    values["dayfirst"] = dayfirst if settles_order else None
    return DateColumnOptions(
        **values,
        order_source=source,
        excel_serials=excel,
        column_format=_render_format(dominant, dayfirst) if dominant else None,
    )


def _base_options(options: FieldOptions) -> FieldOptions:
    """The caller's own options: an inferred order is not a user's choice."""
    if isinstance(options, DateColumnOptions) and options.order_source != "option":
        values = {f.name: getattr(options, f.name) for f in fields(FieldOptions)}
        return FieldOptions(**{**values, "dayfirst": None})
    return options


def _resolve_order(options: DateColumnOptions) -> tuple[bool, OrderSource]:
    """The order for this value; a row's own country beats a column-wide default."""
    if options.order_source in ("option", "evidence", "mixed"):
        return bool(options.dayfirst), options.order_source
    by_country = country_dayfirst(options.country)
    if by_country is not None:
        return by_country, "country"
    if options.dayfirst is not None:
        return options.dayfirst, "default"
    return _default_dayfirst(options, None), "default"


# --- reading one value ---------------------------------------------------------------------


class _Day(NamedTuple):
    """A calendar date read from the date part of a value."""

    day: date
    fmt: str
    dayfirst: bool | None = None
    ambiguity: str | None = None  # why the order is uncertain, when it is
    confidence: float = 1.0


class _Reading(NamedTuple):
    moment: datetime
    has_time: bool
    fmt: str
    dayfirst: bool | None
    ambiguity: str | None
    confidence: float
    rule: str


class _Failure(NamedTuple):
    code: Literal["impossible", "invalid"]
    message: str
    fmt: str | None = None
    suggestion: str | None = None


_ORDER_CONFIDENCE: dict[OrderSource, float] = {
    "option": 1.0,
    "evidence": 0.98,
    "country": 0.9,
    "mixed": 0.6,
    "default": 0.6,
}


def _read_open_order(
    text: str, shape: _NumericShape, options: DateColumnOptions
) -> _Day | _Failure:
    dayfirst, source = _resolve_order(options)
    proof = _order_proof(shape.first, shape.second)
    if proof is not None and source != "option":
        dayfirst = proof
    day, month = (shape.first, shape.second) if dayfirst else (shape.second, shape.first)
    fmt = _render_format(shape.template, dayfirst)
    try:
        found = date(shape.year, month, day)
    except ValueError:
        return _Failure(
            "impossible",
            f"{text!r} is not a real date when read as {fmt}",
            fmt,
            _swapped_suggestion(shape, dayfirst),
        )
    if not _is_ambiguous(shape.first, shape.second):
        return _Day(found, fmt, dayfirst)
    order = "day-first" if dayfirst else "month-first"
    ambiguity = None
    if source in ("mixed", "default"):
        why = "the column mixes both orders" if source == "mixed" else "nothing settles the order"
        ambiguity = f"{text!r} could be read either way; read {order} ({why})"
    return _Day(found, fmt, dayfirst, ambiguity, _ORDER_CONFIDENCE[source])


def _swapped_suggestion(shape: _NumericShape, dayfirst: bool) -> str | None:
    """The date in the other order, offered when a forced order makes the value impossible."""
    day, month = (shape.second, shape.first) if dayfirst else (shape.first, shape.second)
    try:
        return date(shape.year, month, day).isoformat()
    except ValueError:
        return None


def _read_date_part(date_part: str, options: DateColumnOptions) -> _Day | _Failure | None:
    numeric = _NUMERIC_DATE.fullmatch(date_part)
    shape = _numeric_shape(numeric) if numeric else None
    if shape is not None and shape.open_order:
        return _read_open_order(date_part, shape, options)
    if shape is not None:
        day, month, year, fmt = shape.second, shape.first, shape.year, shape.template
    else:
        named = _named_date(date_part)
        if named is None:
            return None
        day, month, year, fmt = named
    try:
        return _Day(date(year, month, day), fmt)
    except ValueError:
        return _Failure("impossible", f"{date_part!r} is not a real date ({fmt})", fmt)


def _read_number(number: re.Match[str], options: DateColumnOptions) -> _Reading | _Failure:
    """Plain numbers: `YYYYMMDD`, Unix seconds (10 digits) or ms (13), Excel serials."""
    digits, fraction = number[1], number[2]
    if len(digits) == 8 and not fraction:
        try:
            found = datetime.strptime(digits, "%Y%m%d")
        except ValueError:
            return _Failure("impossible", f"{digits!r} is not a real date (%Y%m%d)", "%Y%m%d")
        return _Reading(found, False, "%Y%m%d", None, None, 1.0, "iso8601")
    if len(digits) in (10, 13):
        scale = 1 if len(digits) == 10 else 1000
        whole, part = divmod(int(digits), scale)  # integer maths keeps milliseconds exact
        micro = part * (1_000_000 // scale) + int((fraction or "0")[:6].ljust(6, "0")) // scale
        moment = _UNIX_EPOCH + timedelta(seconds=whole, microseconds=micro)
        fmt = "unix_s" if len(digits) == 10 else "unix_ms"
        return _Reading(moment, moment.time() != time(0), fmt, None, None, 1.0, "unix_timestamp")
    if options.excel_serials:
        return _read_excel_serial(float(number[0]))
    return _Failure("invalid", f"{number[0]!r} is a number, not a date")


def _read_excel_serial(serial: float) -> _Reading | _Failure:
    days = int(serial)
    if not 1 <= days <= _EXCEL_MAX_SERIAL or days == 60:
        # Serial 60 is 1900-02-29, a day Excel counts but the calendar never had.
        return _Failure(
            "impossible", f"{serial:g} is not a valid Excel date serial", "excel_serial"
        )
    days += 1 if days < 60 else 0
    moment = _EXCEL_EPOCH + timedelta(days=days, seconds=round((serial - int(serial)) * 86400))
    return _Reading(
        moment, moment.time() != time(0), "excel_serial", None, None, 1.0, "excel_serial"
    )


def _read(text: str, options: DateColumnOptions) -> _Reading | _Failure:
    number = _NUMBER.fullmatch(text)
    if number is not None:
        return _read_number(number, options)
    date_part, clock_match = _split_time(text)
    found = _read_date_part(date_part, options)
    if found is None:
        return _read_with_dateparser(text, options)
    if isinstance(found, _Failure):
        return found
    fmt = found.fmt + (_clock_format(clock_match) if clock_match else "")
    clock = _clock(clock_match) if clock_match else time(0)
    if clock is None:
        return _Failure("impossible", f"{text!r} has a time of day that cannot exist", fmt)
    moment = datetime.combine(found.day, clock)
    rule = "iso8601"
    return _Reading(
        moment,
        clock_match is not None,
        fmt,
        found.dayfirst,
        found.ambiguity,
        found.confidence,
        rule,
    )


@lru_cache(maxsize=2)
def _dateparser(dayfirst: bool) -> Any:
    """A shared dateparser reader for one day/month order (built once; it is slow to make)."""
    from dateparser import DateDataParser  # imported lazily: slow to import, rarely needed

    settings = {
        "PREFER_DAY_OF_MONTH": "first",
        "DATE_ORDER": "DMY" if dayfirst else "MDY",
        "STRICT_PARSING": True,  # a day, a month and a year, or no date
        "PARSERS": ["absolute-time"],  # no relative dates: `yesterday` must not clean to today-1
    }
    return DateDataParser(languages=list(_DATEPARSER_LANGUAGES), settings=settings)


def _read_with_dateparser(text: str, options: DateColumnOptions) -> _Reading | _Failure:
    if len(text) > _DATEPARSER_MAX_LENGTH or not any(ch.isalpha() for ch in text):
        return _Failure("invalid", f"{text!r} is not a recognizable date")
    dayfirst, _source = _resolve_order(options)
    return _parse_with_dateparser(text, dayfirst)


@lru_cache(maxsize=4096)
def _parse_with_dateparser(text: str, dayfirst: bool) -> _Reading | _Failure:
    """dateparser's reading of `text` (a few milliseconds each: the date and datetime
    validators, schema features and cleaning often ask for the same value)."""
    failure = _Failure("invalid", f"{text!r} is not a recognizable date")
    try:
        moment = _dateparser(dayfirst).get_date_data(text).date_obj
    except Exception:  # dateparser raises assorted errors on odd text; all mean "no date"
        return failure
    if not isinstance(moment, datetime):
        return failure
    has_time = ":" in text or moment.time() != time(0)
    return _Reading(moment, has_time, "dateparser", None, None, 0.8, "parse")


# --- results -------------------------------------------------------------------------------


def _offset_text(moment: datetime) -> str | None:
    offset = moment.utcoffset()
    if offset is None:
        return None
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _output_value(moment: datetime, kind: Kind, date_format: str | None) -> str:
    if date_format:
        try:
            return (
                moment.strftime(date_format)
                if kind == "datetime"
                else moment.date().strftime(date_format)
            )
        except ValueError:  # a pattern the platform's strftime rejects: fall back to ISO
            pass
    if kind == "date":
        return moment.date().isoformat()
    return moment.isoformat(timespec="seconds" if moment.microsecond == 0 else "microseconds")


def _components(reading: _Reading, kind: Kind) -> dict[str, Any]:
    moment = reading.moment
    parts: dict[str, Any] = {"year": moment.year, "month": moment.month, "day": moment.day}
    if kind == "datetime":
        parts |= {
            "hour": moment.hour,
            "minute": moment.minute,
            "second": moment.second,
            "tz": _offset_text(moment),
        }
    return parts | {"format": reading.fmt, "dayfirst": reading.dayfirst}


def _issues(reading: _Reading, kind: Kind, today: date, placeholder: bool) -> list[Issue]:
    issues: list[Issue] = []
    if reading.ambiguity:
        issues.append(Issue(f"{kind}_ambiguous", reading.ambiguity, "info"))
    if kind == "date" and reading.has_time:
        issues.append(Issue("date_time_dropped", "the time of day was dropped", "info"))
    if kind == "datetime" and not reading.has_time:
        issues.append(Issue("datetime_time_missing", "no time of day given; midnight used", "info"))
    year = reading.moment.year
    if placeholder:
        message = f"{reading.moment.date().isoformat()} is a common default for an unknown date"
        issues.append(Issue(f"{kind}_placeholder", message, "warning"))
    elif year < _EARLIEST_PLAUSIBLE_YEAR or year > today.year + _LATEST_PLAUSIBLE_YEARS_AHEAD:
        message = f"the year {year} is implausible for most data"
        issues.append(Issue(f"{kind}_out_of_range", message, "warning"))
    return issues


def _is_placeholder_moment(moment: datetime, kind: Kind) -> bool:
    day = moment.date()
    if kind == "datetime" and day == _UNIX_EPOCH_DAY:
        return moment.time() == time(0)
    return day in _PLACEHOLDER_DAYS and moment.time() == time(0)


def is_placeholder_day(iso_day: str) -> bool:
    """True for an ISO 8601 day that is a common default for an unknown date (`1900-01-01`,
    `1899-12-30`, `0001-01-01`; the Unix epoch is not one, as people are born on it)."""
    try:
        return date.fromisoformat(iso_day[:10]) in _PLACEHOLDER_DAYS
    except ValueError:
        return False


def _read_value(text: str, column: DateColumnOptions) -> _Reading | _Failure:
    cleaned = " ".join(text.split())
    if len(cleaned) > _MAX_INPUT_LENGTH:
        return _Failure("invalid", "too long to be a date")
    return _read(cleaned, column)


def count_times_of_day(texts: Sequence[str]) -> tuple[int, int]:
    """How many of `texts` read as dates (in the column's inferred order), and how many of
    those carry a time of day: what tells a timestamp column from a date column."""
    column = infer_date_options(texts, FieldOptions())
    readings = [_read_value(text, column) for text in texts]
    dated = [reading for reading in readings if isinstance(reading, _Reading)]
    return len(dated), sum(reading.has_time for reading in dated)


def _result(text: str, options: FieldOptions, kind: Kind) -> FieldResult:
    column = options if isinstance(options, DateColumnOptions) else None
    column = column or infer_date_options([text], options)
    reading = _read_value(text, column)
    if isinstance(reading, _Failure):
        return _failure_result(text, kind, reading)
    value = _output_value(reading.moment, kind, options.date_format)
    placeholder = _is_placeholder_moment(reading.moment, kind)
    return FieldResult(
        input=text,
        type=kind,
        valid=True,
        value=value,
        issues=_issues(reading, kind, date.today(), placeholder),
        components=_components(reading, kind),
        confidence=reading.confidence,
        rule=None if value == text else f"{kind}.{reading.rule}",
        placeholder=placeholder,
    )


def _failure_result(text: str, kind: Kind, failure: _Failure) -> FieldResult:
    return FieldResult(
        input=text,
        type=kind,
        valid=False,
        value=None,
        issues=[Issue(f"{kind}_{failure.code}", failure.message, "error")],
        components={"format": failure.fmt} if failure.fmt else {},
        suggestion=failure.suggestion,
        confidence=0.0,
    )


def _validate_date(text: str, options: FieldOptions) -> FieldResult:
    return _result(text, options, "date")


def _validate_datetime(text: str, options: FieldOptions) -> FieldResult:
    return _result(text, options, "datetime")


FIELD = FieldType("date", _validate_date, infer=infer_date_options)
DATETIME_FIELD = FieldType("datetime", _validate_datetime, infer=infer_date_options)
