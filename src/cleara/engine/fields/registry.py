"""Look up field types by name. Modules are imported on first use, so start-up stays fast."""

from __future__ import annotations

import importlib
from functools import cache

from cleara.engine.fields.base import FieldType

# type name -> (module, attribute)
_FIELD_MODULES: dict[str, tuple[str, str]] = {
    "email": ("email", "FIELD"),
    "phone": ("phone", "FIELD"),
    "name": ("name", "FIELD"),
    "address": ("address", "FIELD"),
    "date": ("date", "FIELD"),
    "datetime": ("date", "DATETIME_FIELD"),
    "country": ("country", "FIELD"),
    "state": ("state", "FIELD"),
    "postal_code": ("postal_code", "FIELD"),
    "url": ("url", "FIELD"),
    "text": ("text", "FIELD"),
    "number": ("number", "FIELD"),
    "boolean": ("boolean", "FIELD"),
    "currency": ("currency", "FIELD"),
    "gender": ("gender", "FIELD"),
}

FIELD_TYPES: tuple[str, ...] = tuple(_FIELD_MODULES)
"""Every field type the engine can clean."""

VALIDATE_TYPES: tuple[str, ...] = (
    "email", "phone", "name", "date", "address", "country", "postal_code", "url",
    "datetime", "state", "text", "number", "boolean", "currency", "gender",
)  # fmt: skip
"""Types accepted by `validate` (the CLI documents the first eight as its core set)."""


class UnknownFieldTypeError(ValueError):
    """Raised for a type name the engine does not know."""

    def __init__(self, name: str) -> None:
        known = ", ".join(FIELD_TYPES)
        super().__init__(f"unknown field type {name!r}; expected one of: {known}")
        self.name = name


@cache
def get_field(name: str) -> FieldType:
    """The field type called `name`; UnknownFieldTypeError when there is none."""
    try:
        module_name, attribute = _FIELD_MODULES[name]
    except KeyError:
        raise UnknownFieldTypeError(name) from None
    module = importlib.import_module(f"cleara.engine.fields.{module_name}")
    field: FieldType = getattr(module, attribute)
    return field
