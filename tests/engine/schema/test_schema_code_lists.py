"""Closed code lists: currency codes only where the values are such codes."""

from __future__ import annotations

import numpy as np

from cleara.engine.schema.code_lists import MIN_CODE_SHARE, apply_code_lists
from cleara.engine.schema.detect import detect_schema
from cleara.engine.schema.features import column_features
from cleara.engine.schema.header_model import header_evidence
from cleara.engine.schema.types import SEMANTIC_TYPES

AIRPORTS = ["JFK", "EWR", "LGA", "SYR", "MEM", "BOS", "ORD", "ATL", "DEN", "SFO", "RDU", "MSP"]
CURRENCIES = ["EUR", "USD", "GBP", "JPY", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "EUR"]


def _currency_first() -> np.ndarray:
    probs = np.full(len(SEMANTIC_TYPES), 0.2 / (len(SEMANTIC_TYPES) - 1))
    probs[SEMANTIC_TYPES.index("currency_code")] = 0.8
    return probs


def test_codes_that_are_not_currencies_lose_the_currency_type() -> None:
    features = np.array([column_features(AIRPORTS), column_features(CURRENCIES)])
    notes: list[list[str]] = [[], []]
    headers = header_evidence([None, None], use_embeddings=False)
    airports, currencies = apply_code_lists([_currency_first()] * 2, features, headers, notes)
    index = SEMANTIC_TYPES.index("currency_code")
    assert airports[index] < 0.05
    assert currencies[index] == 0.8
    assert len(notes[0]) == 1
    assert "currency_code unlikely" in notes[0][0]
    assert notes[1] == []


def test_typos_and_stray_values_keep_a_currency_column() -> None:
    dirty = [*CURRENCIES[:8], "EUr", "usd ", "N/A", "XYZ"]
    features = np.array([column_features(dirty)])
    headers = header_evidence([None], use_embeddings=False)
    kept = apply_code_lists([_currency_first()], features, headers, [[]])[0]
    assert kept[SEMANTIC_TYPES.index("currency_code")] == 0.8
    assert MIN_CODE_SHARE < 0.5


def test_detection_types_airport_codes_as_codes_not_currencies() -> None:
    pairs = zip(AIRPORTS, AIRPORTS[::-1], strict=True)
    rows = [{"origin": code, "dest": dest} for code, dest in pairs] * 3
    result = detect_schema(rows, header=False)
    assert all(c.type != "currency_code" for c in result.columns)
    assert detect_schema([{"c": c} for c in CURRENCIES]).types()["c"] == "currency_code"


def test_a_header_naming_currency_codes_leaves_the_column_to_the_combination() -> None:
    names = ["Euro", "US Dollar", "Pound Sterling", "Euro", "Yen"]
    features = np.array([column_features(names), column_features(names)])
    headers = header_evidence(["currency", "label"], use_embeddings=False)
    notes: list[list[str]] = [[], []]
    named, unnamed = apply_code_lists([_currency_first()] * 2, features, headers, notes)
    index = SEMANTIC_TYPES.index("currency_code")
    assert named[index] == 0.8
    assert unnamed[index] < 0.05
    assert notes[0] == []


def test_generated_currency_columns_stay_above_the_share() -> None:
    """The threshold leaves room for the typos and stray values of training columns."""
    from cleara.engine.schema.features import feature_names
    from cleara.engine.schema.synth import generate_columns

    share_of = feature_names().index("iso_currency")
    columns = generate_columns(99, 60, ("currency_code",))
    shares = [column_features(c.values)[share_of] for c in columns]
    assert min(shares) >= MIN_CODE_SHARE
