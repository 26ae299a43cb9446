"""City names in another script read as the city's own name."""

from __future__ import annotations

import numpy as np
import pytest

from cleara.engine.dedupe.compare import compare
from cleara.engine.dedupe.data import build_dataset
from cleara.engine.dedupe.fields import FieldSpec, fold
from cleara.engine.dedupe.places import city_form


@pytest.mark.parametrize(
    ("city", "form"),
    [
        ("Москва", "moscow"),
        ("Αθήνα", "athens"),  # Athens, Greece: the larger of the cities of that name
        ("北京", "beijing"),
        ("Казань", "kazan"),
        ("Moskva", "moskva"),  # Latin letters stay as they are
        ("York", "york"),
        ("Деревня Нигде", "деревня нигде"),  # no listed city: as it is
    ],
)
def test_city_form(city: str, form: str) -> None:
    assert city_form(fold(city)) == form


def test_a_city_in_two_scripts_agrees_exactly() -> None:
    spec = FieldSpec("city", "text", "city")
    rows = [{"city": "Москва"}, {"city": "Moscow"}, {"city": "Казань"}]
    data = build_dataset([spec], rows, [0, 1, 2])
    levels = compare(data, np.array([0, 0]), np.array([1, 2])).levels[:, 0].tolist()
    assert levels[0] == 0
    assert levels[1] == len(("exact", "very similar", "similar", "different")) - 1
