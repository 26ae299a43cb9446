"""Enrichment of a whole table: geographic fields, contact intelligence and (optionally)
model predictions for the remaining missing values.

    >>> result = enrich([{"zip": "02134", "city": None, "state": None}])
    >>> result.records[0]["city"], result.records[0]["state"]
    ('Allston', 'MA')

Only missing values are filled; values already present are never changed. Contradicting
values are reported in `conflicts`. Every filled value is listed in `enrichments` with its
source, calibrated confidence and an explanation; fields the table lacks (coordinates,
time zone, email and phone facts) are appended as new columns on the right.
"""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cleara.engine.enrich.base import (
    GEO_FIELDS,
    Candidate,
    Conflict,
    Enrichment,
    Source,
    collector_paused,
    is_missing,
)
from cleara.engine.enrich.contact import ContactEnricher
from cleara.engine.enrich.geo import GeoEnricher, read_country
from cleara.engine.enrich.impute import ColumnModel, impute
from cleara.engine.fields.base import JsonScalar
from cleara.engine.fields.country import country_info
from cleara.engine.fields.state import state_name
from cleara.engine.schema.headers import header_type
from cleara.engine.schema.resolve import resolve_column_types
from cleara.engine.schema.types import column_types
from cleara.engine.table import InputError, Record, to_table

_STYLE_SAMPLE = 500
_PLAN_CACHE_LIMIT = 200_000  # distinct lookup keys kept; bounds memory on unique-valued tables


@dataclass(slots=True)
class _Plan:
    """What the lookups fill in every record with the same looked-up values."""

    cells: dict[str, JsonScalar] = field(default_factory=dict)  # input column -> value
    extras: list[tuple[list[JsonScalar], JsonScalar]] = field(default_factory=list)
    filled: list[tuple[str, JsonScalar, Source, float, str]] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


@dataclass(slots=True)
class EnrichResult:
    """Enriched records and everything needed to explain them."""

    columns: list[str]  # the input's columns in order, then the added ones
    records: list[Record]
    enrichments: list[Enrichment]
    conflicts: list[Conflict]
    added_columns: list[str] = field(default_factory=list)
    models: list[ColumnModel] = field(default_factory=list)

    def report(self) -> dict[str, Any]:
        """Enrichments, conflicts, added columns and per-column model figures as JSON data."""
        counts = Counter(e.source for e in self.enrichments)
        return {
            "rows": len(self.records),
            "filled": {"total": len(self.enrichments), **dict(sorted(counts.items()))},
            "added_columns": self.added_columns,
            "enrichments": [e.as_dict() for e in self.enrichments],
            "conflicts": [c.as_dict() for c in self.conflicts],
            "models": [m.as_dict() for m in self.models],
        }

    def to_dataframe(self) -> Any:
        """The enriched records as a pandas DataFrame, input columns first."""
        import pandas as pd

        return pd.DataFrame.from_records(self.records, columns=self.columns)


# -- column roles -----------------------------------------------------------------------------


def column_roles(
    columns: Sequence[str],
    rows: Sequence[Mapping[str, JsonScalar]],
    schema: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Column -> semantic type, by the policy clean uses too (`schema.resolve`)."""
    unknown = [c for c in schema or {} if c not in columns]
    if unknown:
        raise InputError(f"schema names columns the data does not have: {unknown}")
    resolved = resolve_column_types(columns, rows, schema)
    return {column: type_name for column, (type_name, _source) in resolved.items()}


def _first_of_type(types: Mapping[str, str], wanted: str) -> str | None:
    """The column holding `wanted`; of several, the one whose header names it (detection
    from values alone can mistake a column of names for one of states)."""
    found = [c for c, t in types.items() if t == wanted]
    return next((c for c in found if header_type(c) == wanted), found[0] if found else None)


# -- value styles -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Styles:
    """How the table writes states, countries and cities, so filled values look the same."""

    state_names: bool = False
    country_form: str = "alpha_2"  # alpha_2, alpha_3 or name
    upper_cities: bool = False


def _styles(rows: Sequence[Mapping[str, JsonScalar]], roles: Mapping[str, str]) -> _Styles:
    def sample(role: str) -> list[str]:
        column = roles.get(role)
        if column is None:
            return []
        values = (row.get(column) for row in rows[:_STYLE_SAMPLE])
        return [str(v).strip() for v in values if not is_missing(v)]

    states, countries, cities = sample("state"), sample("country"), sample("city")
    long_states = sum(1 for s in states if len(s) > 3)
    lengths = Counter(3 if len(c) == 3 else 2 if len(c) == 2 else 0 for c in countries)
    form = (
        {2: "alpha_2", 3: "alpha_3", 0: "name"}[lengths.most_common(1)[0][0]]
        if countries
        else "alpha_2"
    )
    upper = sum(1 for c in cities if c.isupper())
    return _Styles(
        state_names=long_states * 2 > len(states),
        country_form=form,
        upper_cities=bool(cities) and upper * 2 > len(cities),
    )


def _styled(field_name: str, value: JsonScalar, styles: _Styles, country: str | None) -> JsonScalar:
    if not isinstance(value, str):
        return value
    if field_name == "state" and styles.state_names:
        return state_name(value, country or "US") or value
    if field_name == "country" and styles.country_form != "alpha_2":
        info = country_info(value)
        if info is not None:
            return info.alpha_3 if styles.country_form == "alpha_3" else info.name
    if field_name == "city" and styles.upper_cities:
        return value.upper()
    return value


# -- the pipeline -----------------------------------------------------------------------------


class _Selection:
    """Which fields and columns the caller asked to enrich (everything when None)."""

    def __init__(self, fields: Sequence[str] | None, known: set[str]) -> None:
        self.fields = None if fields is None else set(fields)
        if self.fields is not None:
            unknown = sorted(self.fields - known)
            if unknown:
                raise InputError(
                    f"fields names unknown fields {unknown}; choose from {sorted(known)}"
                )

    def wants(self, *names: str) -> bool:
        return self.fields is None or any(name in self.fields for name in names)


class _Enricher:
    def __init__(
        self,
        columns: list[str],
        rows: list[Record],
        types: Mapping[str, str],
        min_confidence: float,
        fields: Sequence[str] | None,
    ) -> None:
        self.columns = columns
        self.rows = rows
        self.min_confidence = min_confidence
        self.roles = {f: c for f in GEO_FIELDS if (c := _first_of_type(types, f)) is not None}
        emails = [c for c, t in types.items() if t == "email"]
        phones = [c for c, t in types.items() if t == "phone"]
        self.contact = ContactEnricher(emails, phones, rows)
        self.geo = GeoEnricher(self.roles, rows)
        self.styles = _styles(rows, self.roles)
        self.new_geo = {f: _free_name(f, columns) for f in GEO_FIELDS if f not in self.roles}
        self.new_contact = {name: _free_name(name, columns) for name in self.contact.new_columns()}
        known = set(GEO_FIELDS) | set(columns) | set(self.new_contact) | {"model"}
        self.selection = _Selection(fields, known)
        self.enrichments: list[Enrichment] = []
        self.conflicts: list[Conflict] = []
        self.extra: dict[str, list[JsonScalar]] = {}  # added column -> values by row

    def run_lookups(self) -> None:
        """Geographic and contact enrichment of every record.

        Tables repeat their values (the same ZIP, city and state on many rows), so each
        distinct combination of the columns the lookups read is resolved once into a plan of
        fills, and every record with that combination replays it.
        """
        read = self.lookup_columns()
        if not read:
            return
        key_of = operator.itemgetter(*read)
        plans: dict[Hashable, _Plan] = {}
        for index, row in enumerate(self.rows):
            key = key_of(row)
            plan = plans.get(key)
            if plan is None:
                plan = self._plan(row)
                if len(plans) >= _PLAN_CACHE_LIMIT:
                    plans.clear()
                plans[key] = plan
            self._replay(index, row, plan)

    def lookup_columns(self) -> tuple[str, ...]:
        """Every column the geographic and contact lookups read."""
        used = [*self.roles.values(), *self.contact.email_columns, *self.contact.phone_columns]
        return tuple(dict.fromkeys(used))

    def _plan(self, row: Record) -> _Plan:
        """The fills and conflicts of one record (and of every record with its values)."""
        country_column = self.roles.get("country")
        country_text = row.get(country_column) if country_column else None
        row_country = None if is_missing(country_text) else read_country(str(country_text))
        facts = self.contact.derive(row, row_country)
        candidates, conflicts = self.geo.derive(-1, row, facts.phone)
        plan = _Plan(conflicts=conflicts)
        for name, candidate in facts.candidates.items():
            self._plan_extra(plan, self.new_contact[name], name, candidate)
        country = candidates.get("country")
        country_code = str(country.value) if country is not None else None
        for name, candidate in candidates.items():
            column = self.roles.get(name)
            if column is None:
                self._plan_extra(plan, self.new_geo[name], name, candidate)
                continue
            if not is_missing(row.get(column)) or candidate.confidence < self.min_confidence:
                continue
            if not self.selection.wants(name, column):
                continue
            value = _styled(name, candidate.value, self.styles, country_code)
            plan.cells[column] = value
            plan.filled.append(_filled(column, value, candidate))
        return plan

    def _plan_extra(self, plan: _Plan, column: str, name: str, candidate: Candidate) -> None:
        if candidate.confidence < self.min_confidence or not self.selection.wants(name, column):
            return
        values = self.extra.get(column)
        if values is None:
            values = self.extra[column] = [None] * len(self.rows)
        plan.extras.append((values, candidate.value))
        plan.filled.append(_filled(column, candidate.value, candidate))

    def _replay(self, index: int, row: Record, plan: _Plan) -> None:
        for conflict in plan.conflicts:
            self.conflicts.append(
                Conflict(index, conflict.columns, conflict.code, conflict.message)
            )
        if plan.cells:
            row.update(plan.cells)
        for values, value in plan.extras:
            values[index] = value
        # tuple.__new__ skips the named tuple's Python-level constructor: one call per value.
        new = tuple.__new__
        self.enrichments.extend([new(Enrichment, (index, *filled)) for filled in plan.filled])

    def run_models(self) -> list[ColumnModel]:
        targets = [c for c in self.columns if self.selection.wants(c, "model")]
        result = impute(
            self.columns, self.rows, targets=targets, min_confidence=self.min_confidence
        )
        for prediction in result.predictions:
            self.rows[prediction.row][prediction.column] = prediction.value
            self.enrichments.append(
                Enrichment(
                    prediction.row,
                    prediction.column,
                    prediction.value,
                    "model",
                    prediction.confidence,
                    prediction.explanation,
                )
            )
        return result.models

    def result(self, models: list[ColumnModel]) -> EnrichResult:
        """The records with the added columns appended on the right, in the order of
        `new_geo` then `new_contact`."""
        used = {c for c, values in self.extra.items() if any(v is not None for v in values)}
        added = [c for c in [*self.new_geo.values(), *self.new_contact.values()] if c in used]
        for column in added:
            for row, value in zip(self.rows, self.extra[column], strict=True):
                row[column] = value
        if models:  # model predictions were appended after every lookup
            self.enrichments.sort(key=operator.attrgetter("row"))
        return EnrichResult(
            self.columns + added, self.rows, self.enrichments, self.conflicts, added, models
        )


def _filled(
    column: str, value: JsonScalar, candidate: Candidate
) -> tuple[str, JsonScalar, Source, float, str]:
    """An enrichment without its row: what a plan fills in every record it applies to."""
    confidence = round(candidate.confidence, 4)
    return column, value, candidate.source, confidence, candidate.explanation


def _complete(row: Record, columns: list[str]) -> Record:
    """The row with every column, in table order (rows of to_table are the caller's own)."""
    return row if list(row) == columns else {c: row.get(c) for c in columns}


def _free_name(name: str, columns: Sequence[str]) -> str:
    """`name`, or `enriched_<name>` when the table already has a column of that name."""
    return name if name not in columns else f"enriched_{name}"


def enrich(
    data: Iterable[Mapping[str, Any]] | Any,
    *,
    schema: Mapping[str, Any] | None = None,
    predict_missing: bool = False,
    min_confidence: float = 0.9,
    fields: Sequence[str] | None = None,
) -> EnrichResult:
    """Fill what is missing in records (a list of dicts) or a pandas DataFrame.

    `schema` gives column types (`{"zip": "postal_code"}` or the auto-schema mapping);
    `predict_missing` also trains a model per column for the values lookups cannot fill;
    only values with a calibrated confidence of at least `min_confidence` are filled;
    `fields` limits enrichment to these geographic fields (`city`, `timezone`, ...),
    columns (input or added) and `model` (predictions for every column).
    """
    if not 0.0 <= min_confidence <= 1.0:
        raise InputError(f"min_confidence must be between 0 and 1, got {min_confidence}")
    if isinstance(fields, str):
        raise InputError("fields must be a list of field or column names, not one string")
    try:
        types_given = column_types(dict(schema)) if schema is not None else None
    except ValueError as error:
        raise InputError(str(error)) from None
    with collector_paused():
        table = to_table(data)
        types = column_roles(table.columns, table.rows, types_given)
        rows = [_complete(row, table.columns) for row in table.rows]
        enricher = _Enricher(table.columns, rows, types, min_confidence, fields)
        enricher.run_lookups()
        models = enricher.run_models() if predict_missing else []
        return enricher.result(models)
