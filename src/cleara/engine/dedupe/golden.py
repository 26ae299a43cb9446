"""Golden records: one best record per cluster, with the source of every value.

Survivorship rules per column: `most_frequent` (the value most members share; ties go to the
most recent, then the most complete), `most_complete` (the longest value) and `most_recent`
(the value of the most recently updated member, by a date column such as `updated_at`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from cleara.engine.fields.base import JsonScalar, as_text, is_null, is_null_text
from cleara.engine.table import InputError

RULES = ("most_frequent", "most_complete", "most_recent")
_RECENCY_HEADER = re.compile(
    r"(updated|modified|changed|last[_ ]?(seen|update|modified)|timestamp|as[_ ]?of)", re.I
)


@dataclass(frozen=True, slots=True)
class Survivorship:
    """The default rule, per-column overrides and the column that tells which record is newer."""

    default: str = "most_frequent"
    columns: Mapping[str, str] | None = None
    recency_column: str | None = None

    def __post_init__(self) -> None:
        for rule in [self.default, *(self.columns or {}).values()]:
            if rule not in RULES:
                raise InputError(f"unknown survivorship rule {rule!r}; use one of {RULES}")

    def rule_for(self, column: str) -> str:
        """The rule applied to the column (`most_recent` without a recency column: the most
        frequent value)."""
        rule = (self.columns or {}).get(column, self.default)
        return "most_frequent" if rule == "most_recent" and self.recency_column is None else rule

    def rules_for(self, columns: Sequence[str]) -> dict[str, str]:
        """`rule_for` of each column, to look up once per run rather than once per cluster."""
        return {column: self.rule_for(column) for column in columns}


def is_recency_header(column: str) -> bool:
    """True for headers such as `updated_at` or `Last Modified`."""
    return _RECENCY_HEADER.search(column) is not None


def recency_column(columns: Sequence[str]) -> str | None:
    """A column that looks like a last-updated timestamp, if any."""
    return next((c for c in columns if is_recency_header(c)), None)


def golden_record(
    rows: Sequence[Mapping[str, JsonScalar]],
    ids: Sequence[JsonScalar],
    columns: Sequence[str],
    survivorship: Survivorship,
    fillers: Collection[tuple[int, str]] = (),
    rules: Mapping[str, str] | None = None,
    forms: Mapping[str, ColumnForms] | None = None,
    members: Sequence[int] | None = None,
    as_given: Sequence[Mapping[str, JsonScalar]] | None = None,
) -> tuple[dict[str, JsonScalar], dict[str, dict[str, Any]]]:
    """The golden values of one cluster and, per column, the rule and member ids behind it.

    `fillers` names the (member position, column) values that stand for "unknown"
    (`noemail@example.com`): they are chosen only when the column has nothing else, and then
    marked `"filler": true` in the provenance. `rules` is `survivorship.rules_for(columns)`,
    when the caller has it at hand. `forms` gives, for columns the matcher compared whole,
    every record's comparison form (`ColumnForms`), and `members` the cluster's records
    among them (by default, the first `len(rows)`): values of one form are one value when
    votes are counted (`(415) 555-2671` and `+1 415 555 2671`, `3/4/1985` and
    `1985-03-04`), and a tie goes to the form more records of the whole table hold (`John`
    over the typo `Jonh`, a first name over a last name typed in its place); other columns
    count values equal but for spacing and case. `as_given`: the members' records before
    cleaning, when `rows` are them cleaned; the length that decides a last tie is then the
    value's as typed (a standardized `8669 Ridge Pl` is shorter than the typo `8669 Ridge
    Plcae`, which no cleaner shortens)."""
    rules = rules if rules is not None else survivorship.rules_for(columns)
    if len(rows) == 1:  # most clusters: the record is its own golden record
        own, sources = _single(rows[0], ids[0], columns, rules)
        for _, column in fillers:
            if own.get(column) is not None:
                sources[column]["filler"] = True
        return own, sources
    recency = _recency_ranks(rows, survivorship.recency_column)
    values: dict[str, JsonScalar] = {}
    provenance: dict[str, dict[str, Any]] = {}
    members = members if members is not None else range(len(rows))
    for column in columns:
        codes = forms.get(column) if forms else None
        candidates = _candidates(rows, column, None if codes is None else (codes, members))
        if as_given is not None:
            candidates = [_typed_length(c, as_given, column) for c in candidates]
        if fillers:
            known = [c for c in candidates if (c.position, column) not in fillers]
            candidates = known or candidates
        if not candidates:
            values[column], provenance[column] = None, _all_empty()
            continue
        rule = rules[column]
        chosen = _choose(rule, candidates, recency)
        values[column] = rows[chosen.position].get(column)
        provenance[column] = {
            "rule": rule,
            "source": ids[chosen.position],
            "support": [ids[c.position] for c in candidates if c.key == chosen.key],
        }
        if (chosen.position, column) in fillers:
            provenance[column]["filler"] = True
    return values, provenance


def _single(
    row: Mapping[str, JsonScalar],
    record_id: JsonScalar,
    columns: Sequence[str],
    rules: Mapping[str, str],
) -> tuple[dict[str, JsonScalar], dict[str, dict[str, Any]]]:
    """`golden_record` of a cluster of one record, without comparing values."""
    values: dict[str, JsonScalar] = {}
    provenance: dict[str, dict[str, Any]] = {}
    for column in columns:
        value = row.get(column)
        if _stripped_text(value) is None:
            values[column], provenance[column] = None, _all_empty()
            continue
        values[column] = value
        provenance[column] = {"rule": rules[column], "source": record_id, "support": [record_id]}
    return values, provenance


def _all_empty() -> dict[str, Any]:
    return {"rule": "all_empty", "source": None, "support": []}


class ColumnForms(NamedTuple):
    """A column's comparison forms: each record's form as a code (-1: none), and the number
    of records that hold each code (empty: not to be counted)."""

    codes: Sequence[int]
    counts: Sequence[int]


class _Candidate(NamedTuple):
    """A member's non-empty value of one column: its position, text length, match key and
    how many records of the whole table hold its form (0 when unknown)."""

    position: int
    length: int
    key: str
    common: int = 0


def _stripped_text(value: JsonScalar) -> str | None:
    """The value as trimmed text; None when it is null, a null token or blank. (`is_null`
    and `as_text`, with strings, nearly all values, taken first.)"""
    if type(value) is str:
        text = value.strip()
        return None if is_null_text(text) else text
    if is_null(value):
        return None
    return as_text(value).strip() or None


def _candidates(
    rows: Sequence[Mapping[str, JsonScalar]],
    column: str,
    forms: tuple[ColumnForms, Sequence[int]] | None,
) -> list[_Candidate]:
    """The members' non-empty values; `forms`: the column's forms, and the members' records
    among them."""
    found = []
    for position, row in enumerate(rows):
        text = _stripped_text(row.get(column))
        if text is None:
            continue
        form = forms[0].codes[forms[1][position]] if forms is not None else -1
        if forms is not None and form >= 0:  # \x00: the start of no text key
            common = forms[0].counts[form] if forms[0].counts else 0
            found.append(_Candidate(position, len(text), f"\x00{form}", common))
        else:
            found.append(_Candidate(position, len(text), _key(text)))
    return found


def _typed_length(
    candidate: _Candidate, as_given: Sequence[Mapping[str, JsonScalar]], column: str
) -> _Candidate:
    text = _stripped_text(as_given[candidate.position].get(column))
    return candidate._replace(length=len(text) if text is not None else 0)


def _choose(rule: str, candidates: list[_Candidate], recency: list[float]) -> _Candidate:
    if len(candidates) == 1:  # most clusters are one record
        return candidates[0]
    if rule == "most_complete":
        return max(candidates, key=lambda c: (c.length, -c.position))
    if rule == "most_recent":
        return max(candidates, key=lambda c: (recency[c.position], -c.position))
    first = candidates[0].key
    if all(c.key == first for c in candidates):  # the members agree: frequency ties
        return max(candidates, key=lambda c: (recency[c.position], c.length, -c.position))
    counts = Counter(c.key for c in candidates)
    return max(
        candidates,
        key=lambda c: (counts[c.key], recency[c.position], c.common, c.length, -c.position),
    )


def _key(text: str) -> str:
    """What makes two values one (`Ann  Lee` and `ann lee`): spacing and case set aside."""
    return " ".join(text.split()).casefold()


def _recency_ranks(rows: Sequence[Mapping[str, JsonScalar]], column: str | None) -> list[float]:
    if column is None:
        return [0.0] * len(rows)
    return [_timestamp(row.get(column)) for row in rows]


def _timestamp(value: JsonScalar) -> float:
    if is_null(value):
        return float("-inf")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = as_text(value).strip().replace("Z", "+00:00")
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        try:
            from dateutil import parser  # type: ignore[import-untyped]

            moment = parser.parse(text)
        except (ValueError, OverflowError, ImportError):
            return float("-inf")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()
