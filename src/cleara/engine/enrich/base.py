"""Result types shared by the enrichment steps: filled values, conflicts and column roles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from cleara.engine.fields.base import JsonScalar, is_null

Source = Literal["geo", "phone", "email", "model"]

GEO_FIELDS: tuple[str, ...] = (
    "city", "state", "county", "country", "postal_code", "latitude", "longitude", "timezone",
)  # fmt: skip
"""Geographic fields the geo step fills, in the order new columns are appended."""


@dataclass(frozen=True, slots=True)
class Enrichment:
    """One value that enrichment filled in, with where it came from and how sure it is."""

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
