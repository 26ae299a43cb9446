"""Which type each column has, for the engine parts that rewrite values (clean, enrich).

One policy, so that every such part reads a table the same way: the caller's schema; else a
recognized header name (a date header's values choosing between `date` and `datetime`); else
schema detection from the values, only where they are plentiful and detection is sure; else
generic text. A detector that fails (a missing model, say) never stops the work: columns then
keep their header types, and the source says so.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from cleara.engine.fields.base import JsonScalar, as_text, is_null
from cleara.engine.schema.headers import header_type
from cleara.engine.schema.types import is_known_type
from cleara.engine.table import InputError, column_values

logger = logging.getLogger(__name__)

DETECTION_SAMPLE = 200  # rows schema detection looks at
MIN_DETECTION_VALUES = 5  # non-null values a column needs before its values may type it
MIN_DETECTION_CONFIDENCE = 0.85
_DATE_SAMPLE = 50  # distinct values read to choose between date and datetime

TypeSource = tuple[str, str]
"""(type, source): source is `schema`, `header`, `detected` or `default`."""


def resolve_column_types(
    columns: Sequence[str],
    sample: Sequence[Mapping[str, JsonScalar]],
    schema: Mapping[str, str] | None = None,
) -> dict[str, TypeSource]:
    """Column -> (type, source) by the policy above; InputError for an unknown schema type."""
    schema = schema or {}
    types: dict[str, TypeSource] = {}
    unknown: list[str] = []
    for column in columns:
        if column in schema:
            if not is_known_type(schema[column]):
                raise InputError(f"unknown type {schema[column]!r} in schema", column=column)
            types[column] = (schema[column], "schema")
        elif (found := header_type(column)) is not None:
            if found in _DATE_FAMILY:
                found = _date_or_datetime(found, column_values(sample[:DETECTION_SAMPLE], column))
            types[column] = (found, "header")
        else:
            unknown.append(column)
            types[column] = ("text", "default")
    unknown = [c for c in unknown if _non_null_count(sample, c) >= MIN_DETECTION_VALUES]
    if unknown:
        detected = _detect(unknown, sample)
        for column in unknown:
            if detected.get(column, "text") != "text":
                types[column] = (detected[column], "detected")
    return types


_DATE_FAMILY = ("date", "datetime")


def _date_or_datetime(named: str, values: Sequence[JsonScalar]) -> str:
    """`datetime` when most values that read as dates carry a time of day, else `date`.

    Headers such as `created at` or `timestamp` are written over both; cleaning timestamps
    as dates would drop their times, and dates as timestamps would invent midnights."""
    from cleara.engine.fields.date import count_times_of_day

    texts = list(dict.fromkeys(as_text(v) for v in values if not is_null(v)))[:_DATE_SAMPLE]
    dated, timed = count_times_of_day(texts)
    if not dated:
        return named
    return "datetime" if timed * 2 > dated else "date"


def _detect(columns: list[str], sample: Sequence[Mapping[str, JsonScalar]]) -> dict[str, str]:
    from cleara.engine.schema.detect import detect_column_types

    try:
        return detect_column_types(columns, sample, min_confidence=MIN_DETECTION_CONFIDENCE)
    except Exception:  # detection only refines types: it must never stop the work
        logger.warning("schema detection failed; typing columns by header only", exc_info=True)
        return {}


def _non_null_count(sample: Sequence[Mapping[str, JsonScalar]], column: str) -> int:
    return sum(1 for row in sample[:DETECTION_SAMPLE] if not is_null(row.get(column)))
