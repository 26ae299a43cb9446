"""Yes/no values to JSON true/false.

Accepted (case-insensitive, surrounding spaces and a trailing period ignored): `true/false`,
`t/f`, `yes/no`, `y/n`, `1/0`, `on/off`, `checked/unchecked`, `enabled/disabled`, check
marks (`x`, `✓`, `✔`, `☑` for true; `✗`, `✘`, `☐` for false) and the words in Spanish,
French, German, Portuguese, Dutch, Italian and Scandinavian languages (`sí/no`, `oui/non`,
`ja/nein`, `sim/não`, `ja/nee`, `ja/nej`, ...).

An empty cell stays null even in a column of `x` marks: an empty box may mean "no" or "not
answered", and only the user can tell which.
"""

from __future__ import annotations

import unicodedata
from types import MappingProxyType

from cleara.engine.fields.base import FieldOptions, FieldResult, FieldType, invalid

TYPE_NAME = "boolean"
RULE = "boolean.normalize"

_TRUE = (
    "true t yes y 1 on checked check enabled enable x ✓ ✔ ☑ ☒ "
    "sí sì si verdadero s oui vrai ja j wahr sim verdade verdadeiro waar vero"
)
_FALSE = (
    "false f no n 0 off unchecked unticked disabled disable ✗ ✘ ☐ "
    "falso non faux nein nej falsch não nao nee onwaar"
)
TOKENS = MappingProxyType(
    {**dict.fromkeys(_TRUE.split(), True), **dict.fromkeys(_FALSE.split(), False)}
)
# Numeric forms of 1 and 0 (`1.0`, `0.00`) come from spreadsheets.
_NUMERIC_ONE = frozenset({"1.0", "1.00", "+1"})
_NUMERIC_ZERO = frozenset({"0.0", "0.00", "-0"})


def parse_boolean(text: str) -> bool | None:
    """True or False for a recognized yes/no token, else None."""
    token = unicodedata.normalize("NFC", text).strip().rstrip(".").strip().casefold()
    known = TOKENS.get(token)
    if known is not None:
        return known
    if token in _NUMERIC_ONE:
        return True
    if token in _NUMERIC_ZERO:
        return False
    return None


def _validate_value(text: str, _options: FieldOptions) -> FieldResult:
    value = parse_boolean(text)
    if value is None:
        return invalid(text, TYPE_NAME, "boolean_invalid", f"{text!r} is not a yes/no value.")
    canonical = "true" if value else "false"
    return FieldResult(
        input=text,
        type=TYPE_NAME,
        valid=True,
        value=value,
        rule=None if text == canonical else RULE,
    )


FIELD = FieldType(TYPE_NAME, _validate_value)
