"""The reproducible training pipeline behind `cleara train schema`.

From one seed: generate corrupted Faker columns (train / validation / test splits with
different seeds), compute features, train the LightGBM value classifier and the MiniLM
embedding head, compare them (and their ensemble), fit the header/value combination for each
runtime mode, measure calibration, and write the artifacts with their model card (version,
date, seed, training-data hash, metrics). Needs the training extras: lightgbm, scikit-learn,
scipy and the MiniLM package.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from cleara.engine.models.artifacts import ArtifactCard, data_dir, save_card, sha256_of
from cleara.engine.models.trees import TreeEnsemble, from_lightgbm_dump
from cleara.engine.schema import header_model, minilm
from cleara.engine.schema.combine import Combiner, expected_calibration_error, fit_combiner
from cleara.engine.schema.detect import distinct_count
from cleara.engine.schema.features import (
    available_validators,
    column_features,
    feature_names,
    type_validity,
)
from cleara.engine.schema.lexicons import lexicon_text
from cleara.engine.schema.synth import LOCALES, Column, generate_columns
from cleara.engine.schema.types import SEMANTIC_TYPES
from cleara.engine.schema.value_model import CARD_NAME, HEAD_FILE, TREES_FILE, EmbedHead

MODEL_VERSION = "1.7.0"
SOURCES = ("lightgbm", "embed_head", "ensemble")


@dataclass(slots=True)
class TrainConfig:
    """How much to generate and how to train."""

    seed: int = 20240601
    train_per_type: int = 900
    eval_per_type: int = 20
    combine_per_type: int = 100  # columns per type the header/value combination is fitted on
    rounds: int = 400
    leaves: int = 15
    learning_rate: float = 0.05
    embed_head: bool = True  # train the MiniLM value head (slow: embeds every column)
    header_embeddings: bool = True  # fit combinations with MiniLM header matching
    out: Path | None = None  # None writes into the package's data folder
    log: Callable[[str], None] = field(default=lambda _message: None)


@dataclass(slots=True)
class Split:
    columns: list[Column]
    features: NDArray[np.float64]
    labels: NDArray[np.int64]
    supports: list[int]
    embeddings: NDArray[np.float64] | None = None


def _split(seed: int, per_type: int, with_embeddings: bool) -> Split:
    columns = generate_columns(seed, per_type, SEMANTIC_TYPES)
    features = np.array([column_features(c.values) for c in columns], dtype=np.float64)
    labels = np.array([SEMANTIC_TYPES.index(c.type) for c in columns], dtype=np.int64)
    supports = [distinct_count(c.values) for c in columns]
    embeddings = None
    if with_embeddings:
        from cleara.engine.schema.value_model import mean_embeddings

        embeddings = mean_embeddings([c.values for c in columns])
    return Split(columns, features, labels, supports, embeddings)


def data_hash(columns: list[Column]) -> str:
    """SHA-256 over the generated training columns (type, locale, header, values)."""
    return sha256_of(
        [
            json.dumps([c.type, c.locale, c.header, c.values], ensure_ascii=False).encode()
            for c in columns
        ]
    )


def _train_trees(train: Split, valid: Split, config: TrainConfig) -> tuple[TreeEnsemble, Any]:
    import lightgbm as lgb

    params = {
        "objective": "multiclass",
        "num_class": len(SEMANTIC_TYPES),
        "num_leaves": config.leaves,
        "learning_rate": config.learning_rate,
        "min_data_in_leaf": 5,
        "feature_fraction": 0.8,
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        "lambda_l2": 1.0,
        "seed": config.seed,
        "deterministic": True,
        "force_row_wise": True,
        "num_threads": 2,
        "verbose": -1,
    }
    train_set = lgb.Dataset(train.features, train.labels, free_raw_data=False)
    valid_set = lgb.Dataset(valid.features, valid.labels, reference=train_set)
    booster = lgb.train(
        params,
        train_set,
        num_boost_round=config.rounds,
        valid_sets=[valid_set],
        callbacks=[lgb.early_stopping(15, verbose=False)],
    )
    dump = booster.dump_model(num_iteration=booster.best_iteration)
    return from_lightgbm_dump(dump), booster


def _train_head(train: Split, seed: int) -> EmbedHead:
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    assert train.embeddings is not None
    model = LogisticRegression(C=10.0, max_iter=2000, random_state=seed)
    model.fit(train.embeddings, train.labels)
    weights = np.zeros((train.embeddings.shape[1], len(SEMANTIC_TYPES)))
    bias = np.full(len(SEMANTIC_TYPES), -30.0)  # classes missing from training stay unlikely
    for position, klass in enumerate(model.classes_):
        weights[:, klass] = model.coef_[position]
        bias[klass] = model.intercept_[position]
    return EmbedHead(weights, bias)


def classification_metrics(
    probs: NDArray[np.float64], labels: NDArray[np.int64]
) -> dict[str, float]:
    """Top-1 accuracy, top-3 accuracy, macro F1 and log-loss."""
    predicted = probs.argmax(axis=1)
    top3 = np.argsort(-probs, axis=1)[:, :3]
    f1s = []
    for klass in np.unique(labels):
        tp = float(((predicted == klass) & (labels == klass)).sum())
        fp = float(((predicted == klass) & (labels != klass)).sum())
        fn = float(((predicted != klass) & (labels == klass)).sum())
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return {
        "top1": round(float((predicted == labels).mean()), 4),
        "top3": round(float((top3 == labels[:, None]).any(axis=1).mean()), 4),
        "macro_f1": round(float(np.mean(f1s)), 4),
        "log_loss": round(float(-np.log(probs[np.arange(len(labels)), labels] + 1e-12).mean()), 4),
    }


def _value_probs(
    split: Split, trees: TreeEnsemble, head: EmbedHead | None, source: str
) -> NDArray[np.float64]:
    tree_probs = trees.predict_proba(split.features)
    if source == "lightgbm" or head is None or split.embeddings is None:
        return tree_probs
    head_probs = head.predict_proba(split.embeddings)
    if source == "embed_head":
        return head_probs
    mixed = np.sqrt(tree_probs * head_probs)
    result: NDArray[np.float64] = mixed / mixed.sum(axis=1, keepdims=True)
    return result


def _evidence(split: Split, use_embed: bool) -> list[header_model.HeaderEvidence]:
    return header_model.header_evidence([c.header for c in split.columns], use_embeddings=use_embed)


def _combined(
    combiner: Combiner,
    probs: NDArray[np.float64],
    evidence: list[header_model.HeaderEvidence],
    split: Split,
) -> NDArray[np.float64]:
    validity = type_validity(split.features)
    return np.stack(
        [
            combiner.probabilities(p, e, n, v)
            for p, e, n, v in zip(probs, evidence, split.supports, validity, strict=True)
        ]
    )


def train_schema(config: TrainConfig) -> ArtifactCard:
    """Run the whole pipeline and write the artifacts; returns the model card."""
    started = time.perf_counter()
    out = config.out or data_dir()
    out.mkdir(parents=True, exist_ok=True)
    (out / "schema_lexicons.tsv").write_text(lexicon_text(), "utf-8")
    embed_headers = config.header_embeddings and minilm.is_available()
    use_embed = config.embed_head and embed_headers
    config.log(f"generating data (seed {config.seed}, {len(LOCALES)} locales)")
    train = _split(config.seed, config.train_per_type, use_embed)
    valid = _split(config.seed + 1, config.eval_per_type, use_embed)
    test = _split(config.seed + 2, config.eval_per_type, use_embed)
    combine = _split(config.seed + 3, config.combine_per_type, use_embed)
    config.log(f"features: {train.features.shape}; training LightGBM")
    trees, booster = _train_trees(train, valid, config)
    check = np.abs(
        trees.predict_proba(test.features)
        - booster.predict(test.features, num_iteration=booster.best_iteration)
    ).max()
    head = _train_head(train, config.seed) if use_embed else None
    metrics: dict[str, Any] = {"numpy_vs_lightgbm_max_abs_diff": float(check)}
    sources = SOURCES if head is not None else ("lightgbm",)
    for source in sources:
        metrics[f"values_{source}"] = classification_metrics(
            _value_probs(test, trees, head, source), test.labels
        )
    best = max(sources, key=lambda s: metrics[f"values_{s}"]["top1"])
    combiners: dict[str, list[float]] = {}
    for source in sources:
        for embed in (False, True) if embed_headers else (False,):
            key = f"{source}/{'embed' if embed else 'plain'}"
            combiner = fit_combiner(
                _value_probs(combine, trees, head, source), _evidence(combine, embed),
                combine.labels, use_embed=embed, supports=combine.supports,
                validity=type_validity(combine.features),
            )  # fmt: skip
            combiners[key] = combiner.as_list()
            probs = _combined(
                combiner,
                _value_probs(test, trees, head, source),
                _evidence(test, embed),
                test,
            )
            scores = classification_metrics(probs, test.labels)
            correct = probs.argmax(axis=1) == test.labels
            scores["ece"] = round(expected_calibration_error(probs.max(axis=1), correct), 4)
            metrics[f"combined_{key}"] = scores
            config.log(f"{key}: {scores}")
    trees.save(out / TREES_FILE)
    if head is not None:
        head.save(out / HEAD_FILE)
    else:
        # A head from an earlier run has no fitted combination with these trees.
        (out / HEAD_FILE).unlink(missing_ok=True)
    if embed_headers:
        header_model.write_embedding_cache(out)
    card = ArtifactCard(
        name=CARD_NAME,
        version=MODEL_VERSION,
        created=datetime.now(UTC).date().isoformat(),
        seed=config.seed,
        training_data_sha256=data_hash(train.columns),
        metrics=metrics,
        params={
            "classes": list(SEMANTIC_TYPES),
            "features": list(feature_names()),
            "validators": list(available_validators()),
            "locales": list(LOCALES),
            "train_columns": len(train.columns),
            "eval_columns": len(test.columns),
            "combine_columns": len(combine.columns),
            "rounds": int(booster.best_iteration or config.rounds),
            "leaves": config.leaves,
            "learning_rate": config.learning_rate,
            "best_value_source": best,
            "default_value_source": "lightgbm",
            "embed_head": head is not None,
            "combiners": combiners,
            "train_seconds": round(time.perf_counter() - started, 1),
        },
    )
    save_card(card, out)
    return card
