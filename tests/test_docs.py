"""The README documents every setting."""

from __future__ import annotations

from pathlib import Path

from cleara.settings import Settings

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_setting_is_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    missing = [
        f"CLEARA_{name.upper()}"
        for name in Settings.model_fields
        if f"CLEARA_{name.upper()}" not in text
    ]
    assert missing == []


def test_readme_starts_with_the_two_commands() -> None:
    head = README.read_text(encoding="utf-8")[:400]
    assert "make run" in head
    assert "make test" in head
