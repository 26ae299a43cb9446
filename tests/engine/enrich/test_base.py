"""Shared enrichment types and the collector pause."""

from __future__ import annotations

import gc

import pytest

from cleara.engine.enrich.base import Enrichment, collector_paused


def test_enrichment_is_an_immutable_record() -> None:
    item = Enrichment(3, "city", "Allston", "geo", 0.9, "why")
    assert item.row == 3
    assert item.as_dict()["column"] == "city"
    with pytest.raises(AttributeError):
        item.row = 4  # type: ignore[misc]


def test_collector_is_paused_and_restored() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_collector_left_off_when_it_was_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_collector_restored_after_an_error() -> None:
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("boom")
    assert gc.isenabled()
