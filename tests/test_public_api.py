"""The public `cleara` namespace."""

from __future__ import annotations

import pytest

import cleara


def test_entry_points_are_reachable() -> None:
    assert callable(cleara.clean)
    assert callable(cleara.validate)
    assert callable(cleara.clean_file)
    assert callable(cleara.detect_schema)
    assert callable(cleara.dedupe)
    assert callable(cleara.enrich)
    assert set(cleara.__all__) >= {"clean", "validate", "detect_schema", "dedupe", "enrich"}


def test_detect_schema_through_the_package() -> None:
    rows = [{"E-mail": f"user{i}@example.com"} for i in range(5)]
    assert cleara.detect_schema(rows).types() == {"E-mail": "email"}


def test_unknown_attribute() -> None:
    with pytest.raises(AttributeError, match="no attribute"):
        _ = cleara.nothing_here
