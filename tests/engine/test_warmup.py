"""Warm-up: one small table that exercises every field type, once per process."""

from __future__ import annotations

from cleara.engine.clean import clean
from cleara.engine.fields.registry import FIELD_TYPES
from cleara.engine.warmup import SAMPLE, warm_up


def test_the_sample_is_cleaned_with_every_field_type() -> None:
    cleaners = {column.cleaner for column in clean(list(SAMPLE)).summary}
    assert cleaners == set(FIELD_TYPES)


def test_warm_up_runs_once() -> None:
    first = warm_up()
    assert first > 0
    assert warm_up() == first  # the second call does nothing and reports the first run


def test_warm_up_loads_the_names_of_cities_in_other_scripts() -> None:
    from cleara.engine.dedupe.places import _aliases

    warm_up()
    assert _aliases.cache_info().currsize == 1
