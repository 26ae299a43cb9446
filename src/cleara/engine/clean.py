"""Cleaning a whole table: column types -> column-level inference -> per-value cleaning ->
record-level checks -> cleaned rows, a change log, problems and a per-column summary.

The work is split into `TableCleaner.fit` (decide per-column settings from a sample) and
`TableCleaner.clean_rows` (clean any number of chunks), so files of any size stream through
with flat memory while decisions such as day-first dates hold for the whole column.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np

from cleara.engine.fields.base import (
    FieldOptions,
    FieldResult,
    FieldType,
    JsonScalar,
    as_text,
    is_null,
)
from cleara.engine.fields.registry import get_field
from cleara.engine.fillers import (
    MIN_PLACEHOLDER_RECORDS,
    PERSON_NAME_TYPES,
    PLACEHOLDER_TYPES,
    frequent_fillers,
    witnesses,
)
from cleara.engine.gc_tuning import batch_gc
from cleara.engine.schema.resolve import resolve_column_types
from cleara.engine.schema.types import cleaner_for
from cleara.engine.table import InputError, Record, column_values, to_table

logger = logging.getLogger(__name__)

_CACHE_LIMIT = 200_000  # distinct values remembered per column before the cache is reset
_COUNTRY_AWARE = frozenset({"phone", "address", "postal_code", "state", "date", "datetime"})
_ZIP_STATE_COUNTRIES = frozenset({"US", "PR", "GU", "VI", "AS", "MP"})
_NOT_WORD = re.compile(r"\W+")


@dataclass(frozen=True, slots=True)
class CleanOptions:
    """What to clean and how to render it."""

    columns: tuple[str, ...] | None = None  # only these columns; None cleans every column
    country: str | None = None  # default country (ISO alpha-2) for phones, dates, addresses
    phone_format: Literal["e164", "international", "national"] = "e164"
    date_format: str | None = None  # strftime pattern; None writes ISO 8601
    dayfirst: bool | None = None  # force the day/month order of every date column
    name_case: Literal["title", "keep"] = "title"
    invalid: Literal["keep", "null"] = "keep"  # what to write for values that fail validation
    placeholders: Literal["keep", "null"] = "keep"  # what to write for fillers (`1900-01-01`)
    check_mx: bool = False

    def field_options(self) -> FieldOptions:
        return FieldOptions(
            country=self.country.upper() if self.country else None,
            phone_format=self.phone_format,
            date_format=self.date_format,
            dayfirst=self.dayfirst,
            name_case=self.name_case,
            check_mx=self.check_mx,
        )


@dataclass(frozen=True, slots=True)
class Change:
    row: int
    column: str
    before: JsonScalar
    after: JsonScalar
    rule: str
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Problem:
    row: int
    column: str
    code: str
    severity: str
    message: str


@dataclass(slots=True)
class ColumnCounts:
    """What happened to one column's values in some rows."""

    values: int = 0  # non-null values after cleaning
    changed: int = 0
    invalid: int = 0
    null: int = 0
    issues: dict[str, int] = field(default_factory=dict)

    def add(self, other: ColumnCounts) -> None:
        self.values += other.values
        self.changed += other.changed
        self.invalid += other.invalid
        self.null += other.null
        for code, count in other.issues.items():
            self.issues[code] = self.issues.get(code, 0) + count


@dataclass(slots=True)
class ColumnSummary(ColumnCounts):
    column: str = ""
    type: str = "text"  # the semantic or field type the column was cleaned as
    cleaner: str = "text"  # the field type that cleaned it
    type_source: str = "default"  # "schema" (caller), "header", "detected" (values) or "default"
    inferred: dict[str, Any] = field(default_factory=dict)  # column-level decisions

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, the column's name and types first."""
        head = ("column", "type", "cleaner", "type_source")
        data = asdict(self)
        return {**{k: data[k] for k in head}, **{k: v for k, v in data.items() if k not in head}}


@dataclass(slots=True)
class ChunkResult:
    rows: list[Record]
    changes: list[Change]
    problems: list[Problem]
    counts: dict[str, ColumnCounts] = field(default_factory=dict)


@dataclass(slots=True)
class CleanResult:
    """Cleaned records plus everything needed to explain them."""

    columns: list[str]
    records: list[Record]
    changes: list[Change]
    problems: list[Problem]
    summary: list[ColumnSummary]

    def report(self) -> dict[str, Any]:
        """The change log, problems and summary as plain JSON-ready data."""
        return {
            "changes": [asdict(c) for c in self.changes],
            "problems": [asdict(p) for p in self.problems],
            "summary": [s.as_dict() for s in self.summary],
        }

    def to_dataframe(self) -> Any:
        """The cleaned records as a pandas DataFrame, in the input's column order."""
        import pandas as pd

        return pd.DataFrame.from_records(self.records, columns=self.columns)


@dataclass(slots=True)
class _ColumnPlan:
    column: str
    summary: ColumnSummary
    cleaner: FieldType
    options: FieldOptions
    cache: dict[Hashable, FieldResult] = field(default_factory=dict)
    fillers: dict[str, int] = field(default_factory=dict)  # filler key -> records in the sample


class TableCleaner:
    """Cleans rows of one table shape. Call `fit` once, then `clean_rows` for each chunk."""

    def __init__(
        self,
        columns: Sequence[str],
        *,
        schema: Mapping[str, str] | None = None,
        options: CleanOptions | None = None,
        sample: Sequence[Mapping[str, JsonScalar]] = (),
    ) -> None:
        """`sample` rows let schema detection type the columns whose headers say nothing."""
        self.columns = list(columns)
        self.options = options or CleanOptions()
        self._plans = self._plan_columns(schema or {}, sample)
        self._country_column = self._first_column_cleaned_as("country")
        self._state_column = self._first_column_cleaned_as("state")
        self._cross_checked = [
            (column, plan.summary.cleaner)
            for column, plan in self._plans.items()
            if plan.summary.cleaner in ("phone", "address", "postal_code")
        ]

    @property
    def summary(self) -> list[ColumnSummary]:
        return [plan.summary for plan in self._plans.values()]

    def fit(self, rows: Sequence[Mapping[str, JsonScalar]]) -> TableCleaner:
        """Decide column-level settings (date order, decimal mark, phone region) from `rows`."""
        requested = self.options.field_options()
        base = requested
        if base.country is None:
            base = base.with_country(self._dominant_country(rows))
        for plan in self._plans.values():
            plan.options = plan.cleaner.infer(column_values(rows, plan.column), base)
            plan.summary.inferred = _decisions(base, plan.options)
            if base.country != requested.country and plan.summary.cleaner in _COUNTRY_AWARE:
                plan.summary.inferred.setdefault("country", base.country)
        self._find_fillers(rows)
        return self

    def _find_fillers(self, rows: Sequence[Mapping[str, JsonScalar]]) -> None:
        """In columns that identify a person, the values that are fillers by their counts
        in `rows` (`fillers.frequent_fillers`, told by the names or, without a name column,
        the other identifying columns), reported under `inferred["fillers"]`."""
        identifying = [p for p in self._plans.values() if p.summary.type in PLACEHOLDER_TYPES]
        named = [p for p in self._plans.values() if p.summary.type in PERSON_NAME_TYPES]
        if len(rows) < MIN_PLACEHOLDER_RECORDS or len(identifying) < (1 if named else 2):
            return  # nothing tells whose records hold a value
        names = [_codes(rows, plan.column, _name_key)[0] for plan in named]
        read = [_codes(rows, plan.column, _filler_key_of(plan)) for plan in identifying]
        every_code = [codes for codes, _, _ in read]
        for number, (plan, (codes, keys, examples)) in enumerate(
            zip(identifying, read, strict=True)
        ):
            counts = np.bincount(codes[codes >= 0], minlength=len(keys))
            found = frequent_fillers(codes, counts, witnesses(number, every_code, names))
            plan.fillers = {keys[code]: int(counts[code]) for code in found}
            if found:
                plan.summary.inferred["fillers"] = [examples[code] for code in found]

    def _dominant_country(self, rows: Sequence[Mapping[str, JsonScalar]]) -> str | None:
        """The most common country of the country column, the default for other columns."""
        if self._country_column is None:
            return None
        plan = self._plans[self._country_column]
        counts: dict[str, int] = {}
        for row in rows:
            result = self._clean_cell(plan, row, None)
            if result.valid and isinstance(result.value, str):
                counts[result.value] = counts.get(result.value, 0) + 1
        return max(counts, key=lambda code: counts[code]) if counts else None

    def clean_rows(self, rows: Sequence[Mapping[str, JsonScalar]], start: int = 0) -> ChunkResult:
        """Clean a chunk of rows; `start` is the index of its first row in the whole table."""
        chunk = ChunkResult([], [], [], {column: ColumnCounts() for column in self._plans})
        for offset, row in enumerate(rows):
            index = start + offset
            cleaned = dict(row)
            results = self._clean_record(row, cleaned, index, chunk)
            chunk.problems.extend(self._record_checks(index, results))
            chunk.rows.append(cleaned)
        self.add_counts(chunk.counts)
        return chunk

    def add_counts(self, counts: Mapping[str, ColumnCounts]) -> None:
        """Add a chunk's counts to the summary (for chunks cleaned in other processes)."""
        for column, count in counts.items():
            self._plans[column].summary.add(count)

    def clear_caches(self) -> None:
        """Forget cached results (e.g. before sending the cleaner to another process)."""
        for plan in self._plans.values():
            plan.cache.clear()

    # -- planning ---------------------------------------------------------------------------

    def _plan_columns(
        self, schema: Mapping[str, str], sample: Sequence[Mapping[str, JsonScalar]]
    ) -> dict[str, _ColumnPlan]:
        unknown = [c for c in schema if c not in self.columns]
        if unknown:
            raise InputError(f"schema names columns the data does not have: {unknown}")
        selected = self.options.columns
        if selected is not None:
            missing = [c for c in selected if c not in self.columns]
            if missing:
                raise InputError(f"options.columns names columns the data lacks: {missing}")
        wanted = [c for c in self.columns if selected is None or c in selected]
        types = resolve_column_types(wanted, sample, schema)
        plans: dict[str, _ColumnPlan] = {}
        for column in wanted:
            type_name, source = types[column]
            cleaner = cleaner_for(type_name)
            summary = ColumnSummary(
                column=column, type=type_name, cleaner=cleaner, type_source=source
            )
            plans[column] = _ColumnPlan(column, summary, get_field(cleaner), FieldOptions())
        return plans

    def _first_column_cleaned_as(self, cleaner: str) -> str | None:
        for plan in self._plans.values():
            if plan.summary.cleaner == cleaner:
                return plan.column
        return None

    # -- cleaning ---------------------------------------------------------------------------

    def _clean_record(
        self,
        row: Mapping[str, JsonScalar],
        cleaned: Record,
        index: int,
        chunk: ChunkResult,
    ) -> dict[str, FieldResult]:
        results: dict[str, FieldResult] = {}
        row_country: str | None = None
        if self._country_column is not None:
            country = self._clean_cell(self._plans[self._country_column], row, None)
            results[self._country_column] = country
            row_country = (
                country.value if country.valid and isinstance(country.value, str) else None
            )
        for column, plan in self._plans.items():
            result = results.get(column) or self._clean_cell(plan, row, row_country)
            results[column] = result
            self._apply(plan, index, row.get(column), result, cleaned, chunk)
        return results

    def _clean_cell(
        self, plan: _ColumnPlan, row: Mapping[str, JsonScalar], row_country: str | None
    ) -> FieldResult:
        value = row.get(plan.column)
        key = (type(value).__name__, value, row_country)
        result = plan.cache.get(key)
        if result is None:
            options = plan.options.with_country(row_country) if row_country else plan.options
            result = plan.cleaner.validate(value, options)
            if len(plan.cache) >= _CACHE_LIMIT:
                plan.cache.clear()
            plan.cache[key] = result
        return result

    def _apply(
        self,
        plan: _ColumnPlan,
        index: int,
        before: JsonScalar,
        result: FieldResult,
        cleaned: Record,
        chunk: ChunkResult,
    ) -> None:
        summary = chunk.counts[plan.column]
        column = plan.column
        if result.value is None and result.valid:
            summary.null += 1
        else:
            summary.values += 1
        for issue in result.issues:
            summary.issues[issue.code] = summary.issues.get(issue.code, 0) + 1
            chunk.problems.append(Problem(index, column, issue.code, issue.severity, issue.message))
        placeholder = result.placeholder
        if result.valid and not placeholder and plan.fillers:
            holders = plan.fillers.get(_filler_key_of(plan)(before) or "")
            if holders is not None:
                placeholder = True
                self._report_filler(plan, index, holders, summary, chunk)
        if placeholder and self.options.placeholders == "null":  # valid in form or not
            if not result.valid:
                summary.invalid += 1
            after, rule = None, "placeholder_to_null"
        elif result.valid:
            after = result.value
            rule = (
                "null_token"
                if after is None
                else result.rule or f"{plan.summary.cleaner}.normalize"
            )
        else:
            summary.invalid += 1
            if self.options.invalid == "keep":
                return
            after, rule = None, "invalid_to_null"
        if before is None and after is None:
            return
        if _unchanged(before, after):
            if before != after:
                cleaned[column] = before  # same text; keep the caller's representation
            return
        cleaned[column] = after
        summary.changed += 1
        chunk.changes.append(
            Change(index, column, before, after, rule, round(result.confidence, 4))
        )

    @staticmethod
    def _report_filler(
        plan: _ColumnPlan, index: int, holders: int, summary: ColumnCounts, chunk: ChunkResult
    ) -> None:
        code = f"{plan.summary.cleaner}_placeholder"
        message = f"{holders} records of different people hold this value: likely a filler"
        summary.issues[code] = summary.issues.get(code, 0) + 1
        chunk.problems.append(Problem(index, plan.column, code, "warning", message))

    def _record_checks(self, index: int, results: Mapping[str, FieldResult]) -> list[Problem]:
        problems: list[Problem] = []
        row_country = _valid_value(results, self._country_column)
        for column, cleaner in self._cross_checked:
            result = results[column]
            if not result.valid or result.value is None:
                continue
            found = result.components.get("country")
            if row_country and found and str(found).upper() != row_country:
                problems.append(_country_mismatch(index, column, cleaner, found, row_country))
            if cleaner == "postal_code" and self._state_column is not None:
                problem = self._zip_state_check(index, column, result, results, row_country)
                if problem is not None:
                    problems.append(problem)
        return problems

    def _zip_state_check(
        self,
        index: int,
        column: str,
        result: FieldResult,
        results: Mapping[str, FieldResult],
        row_country: str | None,
    ) -> Problem | None:
        if row_country is not None and row_country not in _ZIP_STATE_COUNTRIES:
            return None
        zip_state = result.components.get("state")
        state = _valid_value(results, self._state_column)
        if not zip_state or not state or str(zip_state).upper() == state.upper():
            return None
        return Problem(
            index,
            column,
            "zip_state_mismatch",
            "warning",
            f"ZIP code {result.value} belongs to {zip_state}, but the state column says {state}",
        )


def _valid_value(results: Mapping[str, FieldResult], column: str | None) -> str | None:
    if column is None or column not in results:
        return None
    result = results[column]
    return result.value if result.valid and isinstance(result.value, str) else None


def _country_mismatch(index: int, column: str, cleaner: str, found: Any, row: str) -> Problem:
    return Problem(
        index,
        column,
        f"{cleaner}_country_mismatch",
        "warning",
        f"{cleaner.replace('_', ' ')} is from {found}, but the record's country is {row}",
    )


def _unchanged(before: JsonScalar, after: JsonScalar) -> bool:
    if before == after and type(before) is type(after):
        return True
    return isinstance(before, str) and after is not None and as_text(after) == before


def _decisions(base: FieldOptions, inferred: FieldOptions) -> dict[str, Any]:
    """The column-level settings that inference decided, for the summary."""
    decided: dict[str, Any] = {}
    for name in getattr(type(inferred), "__dataclass_fields__", {}):
        value = getattr(inferred, name)
        if name not in FieldOptions.__dataclass_fields__ or value != getattr(base, name):
            decided[name] = value
    return decided


def filler_key(value: JsonScalar) -> str | None:
    """What two spellings of one filler share (`NoEmail@x.com` and `noemail@x.com`, `000-000-0000`
    and `(000) 000 0000`): letters and digits, case folded."""
    if is_null(value):
        return None
    return _NOT_WORD.sub("", as_text(value)).casefold() or None


def phone_filler_key(value: JsonScalar) -> str | None:
    """`filler_key` of a phone number: its last ten digits, with or without a country code
    (`+1 212 555 1234` and `212.555.1234`)."""
    key = filler_key(value)
    return key[-10:] if key else None


def _filler_key_of(plan: _ColumnPlan) -> Callable[[JsonScalar], str | None]:
    return phone_filler_key if plan.summary.cleaner == "phone" else filler_key


def _name_key(value: JsonScalar) -> str | None:
    return None if is_null(value) else " ".join(as_text(value).split()).casefold()


def _codes(
    rows: Sequence[Mapping[str, JsonScalar]],
    column: str,
    key: Callable[[JsonScalar], str | None],
) -> tuple[np.ndarray[Any, np.dtype[np.int64]], list[str], list[str]]:
    """Per row, a code of the column's value under `key` (-1: none); the keys by code; and
    the first value seen of each."""
    position: dict[str, int] = {}
    examples: list[str] = []
    codes = np.full(len(rows), -1, dtype=np.int64)
    for index, row in enumerate(rows):
        value = row.get(column)
        found = key(value)
        if found is None:
            continue
        code = position.get(found)
        if code is None:
            code = position[found] = len(examples)
            examples.append(as_text(value))
        codes[index] = code
    return codes, list(position), examples


def clean(
    data: Iterable[Mapping[str, Any]] | Any,
    *,
    schema: Mapping[str, str] | None = None,
    options: CleanOptions | None = None,
    **option_values: Any,
) -> CleanResult:
    """Clean records (a list of dicts) or a pandas DataFrame.

    >>> result = clean([{"email": " Ann@Example.COM ", "phone": "(415) 555-2671"}], country="US")
    >>> result.records[0]["phone"]
    '+14155552671'
    """
    if options is None:
        options = _options_from(option_values)
    elif option_values:
        raise TypeError("pass either options= or option keywords, not both")
    table = to_table(data)
    with batch_gc():
        cleaner = TableCleaner(
            table.columns, schema=schema, options=options, sample=table.rows
        ).fit(table.rows)
        chunk = cleaner.clean_rows(table.rows)
    return CleanResult(table.columns, chunk.rows, chunk.changes, chunk.problems, cleaner.summary)


def _options_from(values: Mapping[str, Any]) -> CleanOptions:
    known = set(CleanOptions.__dataclass_fields__)
    unknown = sorted(set(values) - known)
    if unknown:
        raise TypeError(f"unknown clean options: {unknown}; known: {sorted(known)}")
    settings = dict(values)
    if settings.get("columns") is not None:
        settings["columns"] = tuple(settings["columns"])
    return CleanOptions(**settings)
