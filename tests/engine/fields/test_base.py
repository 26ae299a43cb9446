"""FieldType: the shared validate / accepts / clean_column behaviour."""

from __future__ import annotations

import pytest

from cleara.engine.fields.base import FieldOptions, FieldResult, FieldType, invalid, is_null
from cleara.engine.fields.registry import get_field


def _upper_only(text: str, options: FieldOptions) -> FieldResult:
    if not text.isupper():
        return invalid(text, "shout", "shout_lower", "Not upper case.")
    value = None if text == "NONE" else text
    return FieldResult(input=text, type="shout", valid=True, value=value)


FIELD = FieldType("shout", _upper_only)


def test_accepts_follows_validate_when_the_module_gives_no_shortcut() -> None:
    assert FIELD.accepts("HELLO")
    assert not FIELD.accepts("hello")
    assert not FIELD.accepts("NONE")  # valid but without a value
    assert not FIELD.accepts(None)
    assert not FIELD.accepts("")


def test_accepts_uses_the_modules_shortcut() -> None:
    calls: list[str] = []

    def shortcut(text: str, options: FieldOptions) -> bool:
        calls.append(text)
        return text == "YES"

    field = FieldType("shout", _upper_only, accepts=shortcut)
    assert field.accepts("YES")
    assert not field.accepts("HELLO")
    assert calls == ["YES", "HELLO"]


@pytest.mark.parametrize(
    "text",
    [
        "N/A",
        " n/a ",
        "N/A N/A",
        "N/A, N/A, N/A",
        "Unknown Unknown",
        "-;-",
        "null | NULL",
        "? ?",
        "TBD",
        "To be determined",
        "Not applicable",
    ],
)
def test_null_tokens_alone_or_joined_are_null(text: str) -> None:
    assert is_null(text)


@pytest.mark.parametrize(
    "text", ["N/A x", "none of them", "Nan Lee", "- 5", "n a", "unknown7", "NA", "TBD Ltd"]
)
def test_other_text_with_null_words_is_not_null(text: str) -> None:
    assert not is_null(text)


@pytest.mark.parametrize("type_name", ["address", "postal_code", "phone", "name", "text"])
def test_joined_null_tokens_are_null_for_every_type(type_name: str) -> None:
    result = get_field(type_name).validate("N/A, N/A, N/A")  # was `N/a, N/a, Namibia`
    assert result.valid
    assert result.value is None
