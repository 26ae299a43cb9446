"""Embeddings of text-heavy fields and nearest-neighbour candidates."""

from __future__ import annotations

import numpy as np
import pytest

from cleara.engine.dedupe import embeddings
from cleara.engine.dedupe.data import encode_field
from cleara.engine.dedupe.fields import FieldSpec

pytestmark = pytest.mark.skipif(not embeddings.available(), reason="MiniLM not installed")


def test_similar_titles_are_neighbours() -> None:
    titles = [
        "apple iphone 12 pro max 256gb graphite",
        "iphone 12 pro max 256 gb graphite by apple",
        "samsung galaxy s21 ultra 128gb phantom black",
        "galaxy s21 ultra phantom black 128 gb samsung",
        "sony wh-1000xm4 wireless noise cancelling headphones",
    ]
    data = encode_field(FieldSpec("title", "long_text", "text"), titles, embed=True)
    assert data.vectors is not None
    assert np.allclose(np.linalg.norm(data.vectors, axis=1), 1.0, atol=1e-4)
    left, right = embeddings.neighbour_pairs(data, 1, None)
    pairs = set(zip(left.tolist(), right.tolist(), strict=True))
    assert {(0, 1), (2, 3)} <= pairs


def test_backends_agree_and_unknown_backend_is_refused() -> None:
    texts = ["sony 16gb class 4 sd memory card", "apple iphone 12 pro max"]
    default = embeddings.embed_texts(texts)
    port = embeddings.embed_texts(texts, backend="numpy")
    assert np.all(np.einsum("ij,ij->i", default, port) > 0.99)
    assert embeddings.resolve_backend("numpy") == "numpy"
    with pytest.raises(ValueError, match="unknown embeddings backend"):
        embeddings.resolve_backend("gpu-please")


@pytest.mark.skipif(embeddings.resolve_backend() != "torch", reason="torch backend not installed")
def test_loading_the_torch_model_prints_no_progress_bar(capfd: pytest.CaptureFixture[str]) -> None:
    from transformers.utils import logging as transformers_logging

    assert transformers_logging.is_progress_bar_enabled()
    capfd.readouterr()
    embeddings._TorchEncoder()
    assert "Loading weights" not in capfd.readouterr().err
    assert transformers_logging.is_progress_bar_enabled()  # the caller's setting is kept


def test_dtype_setting_is_resolved_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    assert embeddings.resolve_dtype("float32") == "float32"
    assert embeddings.resolve_dtype("BFloat16") == "bfloat16"
    monkeypatch.setenv("CLEARA_EMBEDDINGS_DTYPE", "bfloat16")
    assert embeddings.resolve_dtype() == "bfloat16"
    monkeypatch.setenv("CLEARA_EMBEDDINGS_DTYPE", "auto")
    assert embeddings.resolve_dtype() == ("bfloat16" if embeddings._has_amx() else "float32")
    with pytest.raises(ValueError, match="unknown embeddings dtype 'half'"):
        embeddings.resolve_dtype("half")


@pytest.mark.skipif(embeddings.resolve_backend() != "torch", reason="torch backend not installed")
def test_bfloat16_vectors_agree_with_float32() -> None:
    texts = ["sony 16gb class 4 sd memory card", "apple iphone 12 pro max", "Ann Müller, Zürich"]
    full = embeddings.embed_texts(texts, dtype="float32", backend="torch")
    half = embeddings.embed_texts(texts, dtype="bfloat16", backend="torch")
    assert half.dtype == np.float32
    assert np.allclose(np.linalg.norm(half, axis=1), 1.0, atol=1e-4)
    assert np.all(np.einsum("ij,ij->i", full, half) > 0.999)
    assert not np.array_equal(full, half)  # the bfloat16 pass did run


def test_long_text_is_embedded_but_an_address_is_not() -> None:
    addresses = ["4195 lake road franklin mt 33826", "4195 lake rd franklin mt 33826"]
    address = encode_field(FieldSpec("address", "long_text", "address"), addresses, embed=True)
    assert address.vectors is None  # words and house numbers compare addresses
    title = encode_field(FieldSpec("title", "long_text", "text"), addresses, embed=True)
    assert title.vectors is not None
