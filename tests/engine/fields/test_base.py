"""FieldType: the shared validate / accepts / clean_column behaviour."""

from __future__ import annotations

from cleara.engine.fields.base import FieldOptions, FieldResult, FieldType, invalid


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
