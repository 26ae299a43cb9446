"""JSON Schema (draft 2020-12) for a table from its detected column types and value profile."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cleara.engine.fields.base import JsonScalar, as_text, is_null

DRAFT = "https://json-schema.org/draft/2020-12/schema"
ENUM_LIMIT = 20  # categorical columns with more distinct values get no enum

_FORMATS = {
    "email": "email",
    "url": "uri",
    "date": "date",
    "date_of_birth": "date",
    "datetime": "date-time",
    "time": "time",
    "uuid": "uuid",
}
_INTEGER_TYPES = frozenset({"integer", "age", "year"})
_NUMBER_TYPES = frozenset({"number", "latitude", "longitude", "percentage", "currency_amount"})
_ENUM_TYPES = frozenset({"categorical", "boolean", "gender", "currency_code", "name_prefix"})
_PATTERN_TYPES = frozenset({
    "postal_code", "identifier", "national_id", "iban", "credit_card", "phone", "currency_code",
    "time", "year", "uuid", "ip_address",
})  # fmt: skip
_BOUNDS = {"latitude": (-90.0, 90.0), "longitude": (-180.0, 180.0)}
_NUMBER = re.compile(r"[-+]?\d+(\.\d+)?([eE][-+]?\d+)?")


@dataclass(slots=True)
class ColumnProfile:
    """What the values of one column look like (from the sampled rows)."""

    count: int
    nulls: int
    distinct: list[str]
    unique: bool
    numbers: list[float] | None  # every non-null value as a number, or None
    integers: bool


def profile_column(values: Sequence[JsonScalar]) -> ColumnProfile:
    """Null count, distinct values, uniqueness and numeric reading of a column sample."""
    present = [v for v in values if not is_null(v)]
    texts = [as_text(v).strip() for v in present]
    distinct = list(dict.fromkeys(texts))
    numbers = _as_numbers(present, texts)
    integers = bool(numbers) and all(n.is_integer() for n in numbers or [])
    unique = len(texts) > 1 and len(distinct) == len(texts)
    return ColumnProfile(
        len(values), len(values) - len(present), distinct, unique, numbers or None, integers
    )


def _as_numbers(present: list[JsonScalar], texts: list[str]) -> list[float] | None:
    """Every value as a number, or None when one is not numeric."""
    numbers: list[float] = []
    for value, text in zip(present, texts, strict=True):
        if isinstance(value, int | float) and not isinstance(value, bool):
            numbers.append(float(value))
        elif _NUMBER.fullmatch(text):
            numbers.append(float(text))
        else:
            return None
    return numbers


def shape_of(text: str) -> str:
    """A regex for the character shape of `text` (`AB-123` -> `[A-Z]{2}-\\d{3}`)."""
    parts: list[tuple[str, int]] = []
    for char in text:
        if char.isdigit() and char.isascii():
            token = r"\d"
        elif "A" <= char <= "Z":
            token = "[A-Z]"
        elif "a" <= char <= "z":
            token = "[a-z]"
        elif char == " ":
            token = " "
        else:
            token = re.escape(char)
        if parts and parts[-1][0] == token:
            parts[-1] = (token, parts[-1][1] + 1)
        else:
            parts.append((token, 1))
    return "".join(t if n == 1 else f"{t}{{{n}}}" for t, n in parts)


def common_pattern(distinct: Sequence[str], max_shapes: int = 3) -> str | None:
    """An anchored pattern matching every value, when at most `max_shapes` shapes cover them."""
    shapes = list(dict.fromkeys(shape_of(v) for v in distinct))
    if not shapes or len(shapes) > max_shapes:
        return None
    body = shapes[0] if len(shapes) == 1 else "(?:" + "|".join(shapes) + ")"
    return f"^{body}$"


def column_schema(type_name: str, profile: ColumnProfile) -> dict[str, Any]:
    """The JSON Schema of one column."""
    schema: dict[str, Any] = {}
    json_type = "string"
    if type_name in _INTEGER_TYPES and profile.numbers is not None and profile.integers:
        json_type = "integer"
    elif (type_name in _NUMBER_TYPES | _INTEGER_TYPES) and profile.numbers is not None:
        json_type = "number"
    elif type_name == "time" and profile.numbers is not None:  # HHMM clock numbers (`930`)
        json_type = "integer" if profile.integers else "number"
    elif (
        type_name == "boolean"
        and profile.distinct
        and all(v.lower() in ("true", "false") for v in profile.distinct)
    ):
        json_type = "boolean"
    schema["type"] = [json_type, "null"] if profile.nulls or not profile.count else json_type
    if json_type in ("integer", "number") and profile.numbers:
        low, high = _BOUNDS.get(type_name, (min(profile.numbers), max(profile.numbers)))
        schema["minimum"] = int(low) if json_type == "integer" else low
        schema["maximum"] = int(high) if json_type == "integer" else high
    elif json_type == "string":
        if type_name in _FORMATS:
            schema["format"] = _FORMATS[type_name]
        elif type_name == "ip_address":
            schema["format"] = "ipv6" if any(":" in v for v in profile.distinct) else "ipv4"
        if type_name in _ENUM_TYPES and 0 < len(profile.distinct) <= ENUM_LIMIT:
            schema["enum"] = sorted(profile.distinct)
        elif type_name in _PATTERN_TYPES:
            pattern = common_pattern(profile.distinct)
            if pattern is not None:
                schema["pattern"] = pattern
        if profile.distinct:
            lengths = [len(v) for v in profile.distinct]
            schema["minLength"], schema["maxLength"] = min(lengths), max(lengths)
    return schema


def table_schema(
    columns: Sequence[tuple[str, str, float, ColumnProfile]], title: str | None = None
) -> dict[str, Any]:
    """The JSON Schema of the table: an array of records with one property per column.

    Per column: `x-cleara-type` and `x-cleara-confidence` (the detected type) and
    `x-cleara-unique` (no repeated value in the sample), besides the standard keywords.
    """
    properties: dict[str, Any] = {}
    required: list[str] = []
    for name, type_name, confidence, profile in columns:
        spec = column_schema(type_name, profile)
        spec["x-cleara-type"] = type_name
        spec["x-cleara-confidence"] = round(confidence, 4)
        spec["x-cleara-unique"] = profile.unique
        properties[name] = spec
        if profile.count and not profile.nulls:
            required.append(name)
    return {
        "$schema": DRAFT,
        **({"title": title} if title else {}),
        "type": "array",
        "items": {
            "type": "object",
            "properties": properties,
            "required": required,
        },
    }
