"""The semantic type taxonomy and how each type is cleaned."""

from __future__ import annotations

SEMANTIC_TYPES: tuple[str, ...] = (
    "email", "phone", "url", "ip_address", "full_name", "first_name", "last_name",
    "middle_name", "name_prefix", "name_suffix", "gender", "date_of_birth", "age",
    "street_address", "address_line2", "address", "city", "state", "postal_code", "country",
    "county", "latitude", "longitude", "company", "job_title", "department", "industry", "date",
    "datetime", "time", "year", "currency_amount", "currency_code", "percentage", "boolean",
    "integer", "number", "identifier", "uuid", "credit_card", "iban", "national_id", "language",
    "timezone", "categorical", "text",
)  # fmt: skip
"""Exact type names other tools depend on."""

# Semantic type -> the field type whose cleaner normalizes it. Types not listed are cleaned
# as generic text (trim, whitespace, Unicode) so no value is ever reinterpreted by accident.
_CLEANER_OF: dict[str, str] = {
    "email": "email",
    "phone": "phone",
    "url": "url",
    "full_name": "name",
    "first_name": "name",
    "last_name": "name",
    "middle_name": "name",
    "gender": "gender",
    "date_of_birth": "date",
    "date": "date",
    "datetime": "datetime",
    "address": "address",
    "street_address": "address",  # as street lines (`FieldOptions.street_lines`)
    "state": "state",
    "postal_code": "postal_code",
    "country": "country",
    "age": "number",
    "latitude": "number",
    "longitude": "number",
    "integer": "number",
    "number": "number",
    "percentage": "number",
    "year": "number",
    "currency_amount": "currency",
    "boolean": "boolean",
}

# Field types are also accepted directly in a caller's schema.
_FIELD_TYPE_NAMES = frozenset(
    {"email", "phone", "name", "address", "date", "datetime", "country", "state",
     "postal_code", "url", "text", "number", "boolean", "currency", "gender"}
)  # fmt: skip


def cleaner_for(type_name: str) -> str:
    """The field type that cleans a column of `type_name` (a semantic or a field type)."""
    if type_name in _FIELD_TYPE_NAMES:
        return type_name
    return _CLEANER_OF.get(type_name, "text")


def is_known_type(type_name: str) -> bool:
    """True for a semantic type or a field type name."""
    return type_name in _FIELD_TYPE_NAMES or type_name in SEMANTIC_TYPES


def column_types(schema: object) -> dict[str, str]:
    """Column -> type from a caller's schema.

    Accepts the flat form `{"email": "email"}` and Cleara's auto-schema mapping form
    `{"columns": {"email": {"type": "email", ...}}}`; raises ValueError on anything else.
    """
    if not isinstance(schema, dict):
        raise ValueError("schema must be an object mapping column names to types")
    columns = schema.get("columns") if isinstance(schema.get("columns"), dict) else None
    source: dict[str, object] = columns if columns is not None else schema
    mapping: dict[str, str] = {}
    for column, spec in source.items():
        type_name = spec.get("type") if isinstance(spec, dict) else spec
        if not isinstance(type_name, str):
            raise ValueError(f"schema entry for column {column!r} has no type name")
        if not is_known_type(type_name):
            raise ValueError(f"schema gives column {column!r} the unknown type {type_name!r}")
        mapping[str(column)] = type_name
    return mapping
