"""Result types shared by the enrichment steps: filled values, conflicts and column roles."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from cleara.engine.fields.base import JsonScalar, is_null

Source = Literal["geo", "phone", "email", "model"]

GEO_FIELDS: tuple[str, ...] = (
    "city", "state", "county", "country", "postal_code", "latitude", "longitude", "timezone",
)  # fmt: skip
"""Geographic fields the geo step fills, in the order new columns are appended."""


class Enrichment(NamedTuple):
    """One value that enrichment filled in, with where it came from and how sure it is.

    A named tuple rather than a dataclass: large tables produce millions of these, and
    tuples are immutable and several times cheaper to create.
    """

    row: int
    column: str
    value: JsonScalar
    source: Source
    confidence: float
    explanation: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "source": self.source,
            "confidence": self.confidence,
            "explanation": self.explanation,
        }


@dataclass(frozen=True, slots=True)
class Conflict:
    """Values of one record that contradict each other; nothing is overwritten."""

    row: int
    columns: tuple[str, ...]
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "columns": list(self.columns),
            "code": self.code,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Candidate:
    """A value one source derived for a field of a record, before the fill decision."""

    value: JsonScalar
    source: Source
    confidence: float
    explanation: str


def is_missing(value: object) -> bool:
    """True for None, NaN, empty text and null tokens such as `N/A`."""
    return is_null(value)


def present_values(rows: Sequence[Mapping[str, JsonScalar]], column: str) -> list[JsonScalar]:
    """The non-missing values of `column`."""
    return [v for row in rows if not is_missing(v := row.get(column))]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a loop creates many long-lived objects.

    Enriching a large table creates hundreds of thousands of result objects and no reference
    cycles; each of them would count towards a full collection, which rescans every object in
    the process (the offline ZIP and city indexes included) several times per table. The
    collector is re-enabled afterwards only if this call was the one that paused it.
    """
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
