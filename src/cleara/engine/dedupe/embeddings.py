"""Sentence embeddings of text-heavy fields, and nearest-neighbour candidate pairs.

The encoder is the packaged all-MiniLM-L6-v2. On the CPU it runs through PyTorch
(sentence-transformers) when that is installed: measured on 2 cores it encodes 15-40 times
more records per second than the NumPy port in `cleara.engine.schema.minilm`, which remains
the fallback (`python -m bench.bench_dedupe embed` has the figures). On a CPU with AMX tiles
(Intel Xeon since Sapphire Rapids) its matrix products run in bfloat16 under autocast: 1.9-2.1
times as fast on 2 cores, each vector within a cosine of 0.9999 of the float32 one. Neighbours
come from exact inner products for small tables and from an HNSW index (hnswlib) for large ones.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from cleara.engine.dedupe.data import FieldData, IntArray

EXACT_LIMIT = 20_000
"""Up to this many vectors, neighbours are found exactly (blocked matrix products)."""
DEFAULT_BATCH = 32
"""Texts per forward pass in float32; the fastest measured on 2 CPU cores (larger batches
pad more)."""
BFLOAT16_BATCH = 64
"""Texts per forward pass in bfloat16, where larger matrix products pay (measured: 1.2-1.3
times as fast as 32; 128 is faster on short texts but slower on product titles)."""
MAX_TOKENS = 64
"""Longer texts are cut, as in the NumPy encoder: titles and names fit."""
BACKENDS = ("auto", "torch", "numpy")
DTYPES = ("auto", "float32", "bfloat16")
_BLOCK = 2048


class Encoder(Protocol):
    def encode(self, texts: Sequence[str], batch_size: int) -> NDArray[np.float32]: ...


def available() -> bool:
    """True when the MiniLM package and its runtime are installed."""
    from cleara.engine.schema import minilm

    return minilm.is_available()


def embed_texts(
    texts: Sequence[str],
    batch_size: int | None = None,
    backend: str | None = None,
    dtype: str | None = None,
) -> NDArray[np.float32]:
    """Unit-length 384-d embeddings, one row per text.

    `backend` is "torch", "numpy" or "auto" (default: the environment variable
    CLEARA_EMBEDDINGS_BACKEND, else "auto", which prefers PyTorch when it is installed).
    `dtype` is PyTorch's compute type (see `resolve_dtype`); `batch_size` defaults to the
    measured best of that type.
    """
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    chosen = resolve_backend(backend)
    compute = resolve_dtype(dtype) if chosen == "torch" else "float32"
    batch = batch_size or (BFLOAT16_BATCH if compute == "bfloat16" else DEFAULT_BATCH)
    return get_encoder(chosen, compute).encode(list(texts), batch)


def resolve_backend(backend: str | None = None) -> str:
    """The concrete backend ("torch" or "numpy") a setting stands for."""
    choice = (backend or os.environ.get("CLEARA_EMBEDDINGS_BACKEND") or "auto").lower()
    if choice not in BACKENDS:
        raise ValueError(f"unknown embeddings backend {choice!r}; use one of {BACKENDS}")
    if choice == "auto":
        return "torch" if _torch_installed() else "numpy"
    return choice


def resolve_dtype(dtype: str | None = None) -> str:
    """PyTorch's compute type ("float32" or "bfloat16") a setting stands for.

    The setting is `dtype`, else CLEARA_EMBEDDINGS_DTYPE, else "auto": bfloat16 where the CPU
    has AMX tiles (measured faster), float32 elsewhere (where bfloat16 is emulated or runs on
    vector units alone, its speed was not measured).
    """
    choice = (dtype or os.environ.get("CLEARA_EMBEDDINGS_DTYPE") or "auto").lower()
    if choice not in DTYPES:
        raise ValueError(f"unknown embeddings dtype {choice!r}; use one of {DTYPES}")
    if choice == "auto":
        return "bfloat16" if _has_amx() else "float32"
    return choice


@lru_cache(maxsize=1)
def _has_amx() -> bool:
    """True when PyTorch reports AMX tile support (private API: False if it is gone)."""
    if not _torch_installed():
        return False
    import torch

    check = getattr(torch.cpu, "_is_amx_tile_supported", None)
    try:
        return bool(check()) if callable(check) else False
    except Exception:  # a probe: any failure means "not known to be there"
        return False


@lru_cache(maxsize=1)
def _torch_installed() -> bool:
    try:
        import sentence_transformers  # noqa: F401
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=3)
def get_encoder(backend: str, dtype: str = "float32") -> Encoder:
    """The process-wide encoder of a backend (and PyTorch compute type), loaded on first use."""
    if backend == "torch":
        return _TorchEncoder(dtype)
    from cleara.engine.schema.minilm import get_encoder as numpy_encoder

    return numpy_encoder()


class _TorchEncoder:
    """MiniLM through sentence-transformers on the CPU (mean pooling, unit length); in
    bfloat16, the forward pass runs under autocast (matrix products in bfloat16, the
    operations autocast keeps in float32 as they are)."""

    def __init__(self, dtype: str = "float32") -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        from cleara.engine.schema.minilm import model_dir

        # Loading prints a "Loading weights" progress bar to stderr (into a CLI user's
        # terminal or a server's log): off while this model loads, then as it was.
        bars = transformers_logging.is_progress_bar_enabled()
        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        try:
            self._model: Any = SentenceTransformer(str(model_dir()), device="cpu")
        finally:
            if bars:
                transformers_logging.enable_progress_bar()  # type: ignore[no-untyped-call]
        self._model.max_seq_length = MAX_TOKENS
        self._lock = threading.Lock()  # one forward pass at a time: it uses every core
        self.bfloat16 = dtype == "bfloat16"

    def encode(self, texts: Sequence[str], batch_size: int) -> NDArray[np.float32]:
        import torch

        with self._lock, torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bfloat16):
            vectors = self._model.encode(
                list(texts),
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        result: NDArray[np.float32] = np.asarray(vectors, dtype=np.float32)
        return result


def neighbour_pairs(data: FieldData, k: int, n_left: int | None) -> tuple[IntArray, IntArray]:
    """Each record paired with the records whose embeddings are among its k nearest.

    With `n_left`, records of the first table look for neighbours in the second only.
    """
    empty = np.zeros(0, dtype=np.int64)
    if data.vectors is None:
        return empty, empty
    records = np.flatnonzero(data.codes >= 0)
    if n_left is None:
        queries, targets = records, records
    else:
        queries, targets = records[records < n_left], records[records >= n_left]
    if len(queries) == 0 or (len(targets) < 2 and n_left is None):
        return empty, empty
    query_vectors = data.vectors[data.codes[queries]]
    target_vectors = data.vectors[data.codes[targets]]
    k = min(k + (1 if n_left is None else 0), len(targets))
    found = _nearest(query_vectors, target_vectors, k)
    left = np.repeat(queries, k)
    right = targets[found.reshape(-1)]
    keep = left != right
    return np.minimum(left[keep], right[keep]), np.maximum(left[keep], right[keep])


def _nearest(queries: NDArray[np.float32], targets: NDArray[np.float32], k: int) -> IntArray:
    if len(targets) <= EXACT_LIMIT:
        return _exact(queries, targets, k)
    import hnswlib  # type: ignore[import-untyped]

    index = hnswlib.Index(space="ip", dim=targets.shape[1])
    index.init_index(max_elements=len(targets), ef_construction=100, M=16, random_seed=1)
    index.add_items(targets)
    index.set_ef(max(50, 2 * k))
    labels, _ = index.knn_query(queries, k=k)
    result: IntArray = labels.astype(np.int64)
    return result


def _exact(queries: NDArray[np.float32], targets: NDArray[np.float32], k: int) -> IntArray:
    result = np.zeros((len(queries), k), dtype=np.int64)
    for start in range(0, len(queries), _BLOCK):
        similarity = queries[start : start + _BLOCK] @ targets.T
        top = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        result[start : start + _BLOCK] = top
    return result
