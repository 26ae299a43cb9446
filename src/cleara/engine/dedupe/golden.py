"""Golden records: one best record per cluster, with the source of every value.

Survivorship rules per column: `most_frequent` (the value most members share; ties go to the
most recent, then the most complete), `most_complete` (the longest value) and `most_recent`
(the value of the most recently updated member, by a date column such as `updated_at`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cleara.engine.fields.base import JsonScalar, as_text, is_null
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
        return (self.columns or {}).get(column, self.default)


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
) -> tuple[dict[str, JsonScalar], dict[str, dict[str, Any]]]:
    """The golden values of one cluster and, per column, the rule and member ids behind it."""
    recency = _recency_ranks(rows, survivorship.recency_column)
    values: dict[str, JsonScalar] = {}
    provenance: dict[str, dict[str, Any]] = {}
    for column in columns:
        candidates = [
            (position, row.get(column))
            for position, row in enumerate(rows)
            if not is_null(row.get(column)) and as_text(row.get(column)).strip()
        ]
        if not candidates:
            values[column] = None
            provenance[column] = {"rule": "all_empty", "source": None, "support": []}
            continue
        rule = survivorship.rule_for(column)
        if rule == "most_recent" and survivorship.recency_column is None:
            rule = "most_frequent"
        position = _choose(rule, candidates, recency)
        chosen = rows[position].get(column)
        key = _key(chosen)
        values[column] = chosen
        provenance[column] = {
            "rule": rule,
            "source": ids[position],
            "support": [ids[p] for p, value in candidates if _key(value) == key],
        }
    return values, provenance


def _choose(rule: str, candidates: list[tuple[int, JsonScalar]], recency: list[float]) -> int:
    def completeness(item: tuple[int, JsonScalar]) -> int:
        return len(as_text(item[1]).strip())

    if rule == "most_complete":
        return max(candidates, key=lambda item: (completeness(item), -item[0]))[0]
    if rule == "most_recent":
        return max(candidates, key=lambda item: (recency[item[0]], -item[0]))[0]
    counts: dict[str, int] = {}
    for _, value in candidates:
        counts[_key(value)] = counts.get(_key(value), 0) + 1
    return max(
        candidates,
        key=lambda item: (counts[_key(item[1])], recency[item[0]], completeness(item), -item[0]),
    )[0]


def _key(value: JsonScalar) -> str:
    return " ".join(as_text(value).split()).casefold()


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
