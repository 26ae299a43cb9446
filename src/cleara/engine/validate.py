"""Validate single values of a given field type."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cleara.engine.fields.base import FieldOptions, FieldResult, JsonScalar
from cleara.engine.fields.registry import get_field


def validate(
    type_name: str,
    values: JsonScalar | Iterable[JsonScalar],
    *,
    country: str | None = None,
    **options: Any,
) -> list[FieldResult]:
    """Check and normalize values of one type, each on its own; one result per value.

    `values` may be one value or an iterable of values. Extra keywords are FieldOptions
    (e.g. `phone_format="national"`, `check_mx=True`).

    >>> validate("email", "info@GMAIL.com")[0].value
    'info@gmail.com'
    """
    field = get_field(type_name)
    opts = FieldOptions(country=country.upper() if country else None, **options)
    if values is None or isinstance(values, str | int | float | bool):
        return [field.validate(values, opts)]
    return [field.validate(v, opts) for v in values]
