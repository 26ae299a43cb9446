"""Header evidence: how strongly a header name points to each semantic type.

Three signals per type, each in [0, 1]:

* `exact`: the curated multilingual synonym lookup (`headers.header_types`) names the type
  (an ambiguous header such as `name` or `code` names each type that lists it);
* `ngram`: the best character-trigram cosine between the normalized header and the type's
  synonyms (catches `emial`, `telephone_no`, `codpostal`);
* `embed`: the best MiniLM cosine between the header and the type's synonyms (catches
  paraphrases: `surname of customer`, `mobile contact`), when the model is installed.

Synonym trigram vectors and MiniLM embeddings are computed once per process and cached.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from cleara.engine.schema import minilm
from cleara.engine.schema.headers import (
    normalize_header,
    reading,
    reading_types,
    synonyms,
    table_readings,
)
from cleara.engine.schema.types import SEMANTIC_TYPES

_GENERIC = re.compile(
    r"^(col(umn)?|field|unnamed|attr(ibute)?|var(iable)?|[a-z]|data|value|feature)?\s*\d*$"
)


@dataclass(frozen=True, slots=True)
class HeaderEvidence:
    """Per-type header signals, each an array aligned with SEMANTIC_TYPES."""

    informative: bool
    exact: NDArray[np.float64]
    ngram: NDArray[np.float64]
    embed: NDArray[np.float64] | None


def is_generic(header: str | None) -> bool:
    """True for headers that say nothing about the column (``, `col7`, `Unnamed: 3`, `12`)."""
    if header is None:
        return True
    key = normalize_header(header)
    return not key or bool(_GENERIC.fullmatch(key))


def _trigrams(text: str) -> Counter[str]:
    padded = f"  {text} "
    return Counter(padded[i : i + 3] for i in range(len(padded) - 2))


@lru_cache(maxsize=1)
def _synonym_table() -> tuple[list[str], NDArray[np.int64]]:
    """Normalized synonyms (plus each type's own name) and the type index of each."""
    texts: list[str] = []
    owners: list[int] = []
    table = synonyms()
    for index, type_name in enumerate(SEMANTIC_TYPES):
        variants = {normalize_header(type_name.replace("_", " "))}
        variants |= {normalize_header(s) for s in table.get(type_name, ())}
        for text in sorted(v for v in variants if v):
            texts.append(text)
            owners.append(index)
    return texts, np.array(owners, dtype=np.int64)


@lru_cache(maxsize=1)
def _trigram_index() -> tuple[dict[str, list[tuple[int, float]]], NDArray[np.float64]]:
    """Inverted index trigram -> [(synonym, weight)] and each synonym's vector norm."""
    texts, _ = _synonym_table()
    index: dict[str, list[tuple[int, float]]] = {}
    norms = np.zeros(len(texts))
    for position, text in enumerate(texts):
        grams = _trigrams(text)
        norms[position] = math.sqrt(sum(c * c for c in grams.values()))
        for gram, count in grams.items():
            index.setdefault(gram, []).append((position, float(count)))
    return index, norms


def _per_type_max(similarities: NDArray[np.float64]) -> NDArray[np.float64]:
    _, owners = _synonym_table()
    best = np.zeros(len(SEMANTIC_TYPES))
    np.maximum.at(best, owners, similarities)
    return best


def ngram_scores(key: str) -> NDArray[np.float64]:
    """Best trigram cosine of the normalized header `key` against each type's synonyms."""
    index, norms = _trigram_index()
    grams = _trigrams(key)
    norm = math.sqrt(sum(c * c for c in grams.values()))
    dots = np.zeros(len(norms))
    for gram, count in grams.items():
        for position, weight in index.get(gram, ()):
            dots[position] += count * weight
    return _per_type_max(dots / (norms * norm + 1e-12))


@lru_cache(maxsize=1)
def _synonym_embeddings() -> NDArray[np.float32]:
    """MiniLM embeddings of every synonym: the shipped cache when it matches, else computed."""
    texts, _ = _synonym_table()
    cached = _load_embedding_cache(texts)
    if cached is not None:
        return cached
    return minilm.get_encoder().encode(texts)


def synonym_digest(texts: list[str]) -> str:
    """A hash of the synonym list that the embedding cache was computed from."""
    import hashlib

    return hashlib.sha256("\n".join(texts).encode()).hexdigest()


EMBEDDING_CACHE = "schema_header_embeddings.npz"


def _load_embedding_cache(texts: list[str]) -> NDArray[np.float32] | None:
    from cleara.engine.models.artifacts import artifact_path

    path = artifact_path(EMBEDDING_CACHE)
    if not path.is_file():
        return None
    with np.load(path) as data:
        if str(data["digest"][()]) != synonym_digest(texts):
            return None  # the synonym list changed since the cache was built
        vectors: NDArray[np.float32] = data["vectors"].astype(np.float32)
    return vectors


def write_embedding_cache(directory: Path | None = None) -> None:
    """Recompute and store the synonym embeddings shipped with the engine."""
    from cleara.engine.models.artifacts import artifact_path

    texts, _ = _synonym_table()
    vectors = minilm.get_encoder().encode(texts)
    np.savez_compressed(
        artifact_path(EMBEDDING_CACHE, directory),
        vectors=vectors.astype(np.float16),
        digest=np.array(synonym_digest(texts)),
    )


def embeddings_enabled() -> bool:
    """True when MiniLM header matching can run in this installation."""
    return minilm.is_available()


_EMBED_CACHE_SIZE = 4096
_embed_cache: dict[str, NDArray[np.float64]] = {}
_embed_lock = threading.Lock()


def embed_scores_many(keys: list[str]) -> NDArray[np.float64]:
    """Best MiniLM cosine of each normalized header against each type's synonyms.

    Results are cached per header (bounded), since the same headers come back request after
    request.
    """
    unique = list(dict.fromkeys(keys))
    with _embed_lock:
        known = {k: _embed_cache[k] for k in unique if k in _embed_cache}
    missing = [k for k in unique if k not in known]
    if missing:
        similarities = minilm.get_encoder().encode(missing) @ _synonym_embeddings().T
        fresh = {
            k: _per_type_max(row.astype(np.float64))
            for k, row in zip(missing, similarities, strict=True)
        }
        known.update(fresh)
        with _embed_lock:
            if len(_embed_cache) + len(fresh) > _EMBED_CACHE_SIZE:
                _embed_cache.clear()
            _embed_cache.update(fresh)
    return np.stack([known[k] for k in keys])


# A header naming one of these types says little about which of its neighbours the values
# take: `weight` holds whole pounds as often as decimals, a `year` column full dates.
_ALSO_NAMES: dict[str, tuple[str, ...]] = {
    "number": ("integer",),
    "integer": ("number",),
    "year": ("date",),
}


def header_evidence(headers: list[str | None], *, use_embeddings: bool) -> list[HeaderEvidence]:
    """Evidence for each header (one MiniLM batch for all informative headers)."""
    keys = [reading(normalize_header(h)) if h and not is_generic(h) else "" for h in headers]
    keys = table_readings(keys)
    embedded: dict[str, NDArray[np.float64]] = {}
    wanted = sorted({k for k in keys if k})
    if use_embeddings and wanted:
        embedded = dict(zip(wanted, embed_scores_many(wanted), strict=True))
    out = []
    zeros = np.zeros(len(SEMANTIC_TYPES))
    for key in keys:
        if not key:
            out.append(HeaderEvidence(False, zeros, zeros, zeros if use_embeddings else None))
            continue
        exact = zeros.copy()
        for named in reading_types(key):
            for related in (named, *_ALSO_NAMES.get(named, ())):
                exact[SEMANTIC_TYPES.index(related)] = 1.0
        embed = embedded.get(key) if use_embeddings else None
        out.append(HeaderEvidence(True, exact, ngram_scores(key), embed))
    return out
