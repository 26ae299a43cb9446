"""Model artifact cards: round trip, version checks and the shipped schema model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleara.engine.models.artifacts import (
    FORMAT_VERSION,
    ArtifactCard,
    ArtifactError,
    load_card,
    save_card,
    sha256_of,
)


def _card() -> ArtifactCard:
    return ArtifactCard(
        name="demo", version="1.2.3", created="2024-01-01", seed=7,
        training_data_sha256=sha256_of([b"a", b"b"]), metrics={"top1": 0.9},
    )  # fmt: skip


def test_round_trip(tmp_path: Path) -> None:
    save_card(_card(), tmp_path)
    assert load_card("demo", tmp_path) == _card()


def test_other_format_version_is_refused(tmp_path: Path) -> None:
    path = save_card(_card(), tmp_path)
    data = json.loads(path.read_text())
    data["format_version"] = FORMAT_VERSION + 1
    path.write_text(json.dumps(data))
    with pytest.raises(ArtifactError, match="format version"):
        load_card("demo", tmp_path)


def test_missing_card(tmp_path: Path) -> None:
    with pytest.raises(ArtifactError, match="cannot be read"):
        load_card("absent", tmp_path)


def test_hash_depends_on_order() -> None:
    assert sha256_of([b"a", b"b"]) != sha256_of([b"b", b"a"])


def test_shipped_schema_model_card() -> None:
    card = load_card("schema_value_model")
    assert card.version
    assert len(card.training_data_sha256) == 64
    assert card.metrics["values_lightgbm"]["top1"] > 0.5
    assert len(card.params["locales"]) >= 10
