"""Header evidence: synonyms, trigram similarity and MiniLM similarity."""

from __future__ import annotations

import numpy as np
import pytest

from cleara.engine.schema import minilm
from cleara.engine.schema.header_model import (
    _load_embedding_cache,
    _synonym_table,
    header_evidence,
    is_generic,
    ngram_scores,
)
from cleara.engine.schema.headers import normalize_header
from cleara.engine.schema.types import SEMANTIC_TYPES


def _best(scores: np.ndarray) -> str:
    return SEMANTIC_TYPES[int(scores.argmax())]


@pytest.mark.parametrize("header", ["", "col7", "Unnamed: 3", "field_12", "42", None])
def test_generic_headers(header: str | None) -> None:
    assert is_generic(header)
    (evidence,) = header_evidence([header], use_embeddings=False)
    assert not evidence.informative


@pytest.mark.parametrize(
    ("header", "expected"),
    [("E-mail Addr", "email"), ("PLZ", "postal_code"), ("Código Postal", "postal_code"),
     ("fname", "first_name"), ("telefono", "phone")],
)  # fmt: skip
def test_exact_synonyms(header: str, expected: str) -> None:
    (evidence,) = header_evidence([header], use_embeddings=False)
    assert evidence.informative
    assert _best(evidence.exact) == expected


def test_trigrams_catch_typos() -> None:
    assert _best(ngram_scores(normalize_header("emial adress"))) == "email"
    assert _best(ngram_scores(normalize_header("postleitzahll"))) == "postal_code"


@pytest.mark.skipif(not minilm.is_available(), reason="MiniLM package not installed")
def test_embeddings_rank_paraphrases() -> None:
    (evidence,) = header_evidence(["surname of the customer"], use_embeddings=True)
    assert evidence.embed is not None
    top = [SEMANTIC_TYPES[i] for i in np.argsort(-evidence.embed)[:3]]
    assert "last_name" in top


def test_ambiguous_and_neighbouring_headers_leave_the_choice_to_the_values() -> None:
    name, weight, year = header_evidence(["name", "Weight_in_lbs", "Year"], use_embeddings=False)
    named = {SEMANTIC_TYPES[i] for i in np.flatnonzero(name.exact)}
    assert {"full_name", "city", "country", "company"} <= named
    assert weight.exact[SEMANTIC_TYPES.index("integer")] == 1.0
    assert weight.exact[SEMANTIC_TYPES.index("number")] == 1.0
    assert year.exact[SEMANTIC_TYPES.index("date")] == 1.0
    (email,) = header_evidence(["E-mail Addr"], use_embeddings=False)
    assert email.exact.sum() == 1.0


def test_the_shipped_synonym_embeddings_match_the_synonym_list() -> None:
    """Else every process embeds the whole list at start (rebuild: `cleara train schema`)."""
    texts, _ = _synonym_table()
    cached = _load_embedding_cache(texts)
    assert cached is not None
    assert cached.shape[0] == len(texts)
