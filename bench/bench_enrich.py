"""Enrichment benchmarks: geographic fill accuracy on real places, imputation quality against
scikit-learn's imputers on real public datasets, calibration of confidences, and speed.

    python -m bench.bench_enrich            # everything (a few minutes on 2 cores)
    python -m bench.bench_enrich geo impute speed
"""

from __future__ import annotations

import itertools
import random
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bench.report import print_table
from cleara.engine.enrich import enrich
from cleara.engine.enrich.geo import city_key, world_cities, zip_index
from cleara.engine.enrich.impute import NUMERIC_TOLERANCE

SEED = 7
MASK_SEEDS = (7, 8, 9, 10, 11)  # one mask per seed; every method sees the same masks
MASK_SHARE = 0.2
THRESHOLD = 0.9


# -- geo ----------------------------------------------------------------------------------------


def _us_addresses(count: int) -> list[dict[str, Any]]:
    """Real US places: the ZIP, primary city and state of standard, populated ZIP codes."""
    records = [
        {"zip": info.zip5, "city": info.city, "state": info.state}
        for info in zip_index().values()
        if info.us and info.state not in ("AA", "AE", "AP")
    ]
    random.Random(SEED).shuffle(records)
    return records[:count]


def _world_places(count: int) -> list[dict[str, Any]]:
    """Real world cities (GeoNames): name, country, coordinates and time zone."""
    places = [
        {
            "city": c.name,
            "country": c.country,
            "latitude": c.latitude,
            "longitude": c.longitude,
            "timezone": c.timezone,
        }
        for group in world_cities().values()
        for c in group
    ]
    random.Random(SEED).shuffle(places)
    return places[:count]


def _blank(rows: list[dict[str, Any]], columns: Sequence[str]) -> list[dict[str, Any]]:
    generator = random.Random(SEED)
    blanked = []
    for row in rows:
        copy = dict(row)
        for column in columns:
            if generator.random() < MASK_SHARE:
                copy[column] = None
        blanked.append(copy)
    return blanked


def _same(column: str, filled: Any, truth: Any) -> bool:
    if column == "city":
        return city_key(str(filled)) == city_key(str(truth))
    return str(filled) == str(truth)


def _geo_rows(name: str, truth: list[dict[str, Any]], columns: Sequence[str]) -> list[list[object]]:
    blanked = _blank(truth, columns)
    result = enrich(blanked)
    table = []
    for column in columns:
        missing = [i for i, row in enumerate(blanked) if row[column] is None]
        filled = [i for i in missing if result.records[i][column] is not None]
        right = sum(1 for i in filled if _same(column, result.records[i][column], truth[i][column]))
        table.append(
            [
                f"{name}: {column}",
                len(missing),
                len(filled),
                len(filled) / max(1, len(missing)),
                right / max(1, len(filled)),
            ]
        )
    return table


def geo() -> list[list[object]]:
    rows = _geo_rows("US ZIP/city/state", _us_addresses(20_000), ("zip", "city", "state"))
    rows += _geo_rows("world cities", _world_places(5_000), ("country", "timezone"))
    print_table(
        f"Geo enrichment on real places ({MASK_SHARE:.0%} of values blanked)",
        ["dataset: column", "blanked", "filled", "fill rate", "accuracy"],
        rows,
    )
    return rows


# -- imputation ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Dataset:
    name: str
    frame: Any  # pandas DataFrame, categorical columns as strings
    categorical: list[str]
    numeric: list[str] = field(default_factory=list)


def _datasets() -> list[Dataset]:
    from sklearn.datasets import load_iris, load_wine
    from vega_datasets import local_data

    found = []
    for name, loader in (("iris", load_iris), ("wine", load_wine)):
        bunch = loader(as_frame=True)
        frame = bunch.frame.copy()
        frame["target"] = [str(bunch.target_names[t]) for t in frame["target"]]
        found.append(Dataset(name, frame, ["target"]))
    cars = local_data.cars().drop(columns=["Name"])
    cars["Year"] = cars["Year"].dt.year
    found.append(Dataset("cars (vega)", cars, ["Origin"]))
    weather = local_data.seattle_weather().drop(columns=["date"])
    found.append(Dataset("seattle-weather (vega)", weather, ["weather"]))
    for dataset in found:
        dataset.numeric = [c for c in dataset.frame.columns if c not in dataset.categorical]
    return found


def _mask(frame: Any, seed: int) -> Any:
    generator = np.random.default_rng(seed)
    masked = frame.copy().astype(object)
    hidden = generator.random(frame.shape) < MASK_SHARE
    for index, column in enumerate(frame.columns):
        masked.loc[hidden[:, index], column] = None
    return masked, hidden


def _codes(frame: Any, dataset: Dataset) -> tuple[Any, dict[str, list[Any]]]:
    """Categorical columns as ordinal codes (NaN missing), for the scikit-learn imputers."""
    numeric = frame.copy()
    levels: dict[str, list[Any]] = {}
    for column in dataset.categorical:
        levels[column] = sorted(dataset.frame[column].dropna().unique())
        lookup = {v: i for i, v in enumerate(levels[column])}
        numeric[column] = [
            lookup.get(v, np.nan) if v is not None else np.nan for v in frame[column]
        ]
    return numeric.astype(float), levels


def _baseline(
    dataset: Dataset, masked: Any, make: Callable[[], Any], scale: bool
) -> dict[str, list[Any]]:
    coded, levels = _codes(masked, dataset)
    values = coded.to_numpy()
    mean, spread = np.nanmean(values, axis=0), np.nanstd(values, axis=0)
    spread[spread == 0] = 1.0
    data = (values - mean) / spread if scale else values
    filled = make().fit_transform(data)
    filled = filled * spread + mean if scale else filled
    out: dict[str, list[Any]] = {}
    for index, column in enumerate(dataset.frame.columns):
        column_values = filled[:, index]
        if column in levels:
            top = len(levels[column]) - 1
            out[column] = [levels[column][int(np.clip(round(v), 0, top))] for v in column_values]
        else:
            out[column] = list(column_values)
    return out


def _simple(dataset: Dataset, masked: Any) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for column in dataset.frame.columns:
        present = masked[column].dropna()
        fill = (
            present.mode().iloc[0]
            if column in dataset.categorical
            else present.astype(float).mean()
        )
        out[column] = [fill if v is None else v for v in masked[column]]
    return out


def _knn(dataset: Dataset, masked: Any) -> dict[str, list[Any]]:
    from sklearn.impute import KNNImputer

    return _baseline(dataset, masked, lambda: KNNImputer(n_neighbors=5), scale=True)


def _missforest(dataset: Dataset, masked: Any) -> dict[str, list[Any]]:
    from sklearn.ensemble import ExtraTreesRegressor
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.experimental import enable_iterative_imputer  # noqa: F401
    from sklearn.impute import IterativeImputer

    warnings.filterwarnings("ignore", category=ConvergenceWarning)

    def make() -> Any:
        trees = ExtraTreesRegressor(n_estimators=50, random_state=SEED, n_jobs=1)
        return IterativeImputer(estimator=trees, max_iter=5, random_state=SEED)

    return _baseline(dataset, masked, make, scale=False)


@dataclass(slots=True)
class _Scored:
    accuracy: float
    nrmse: float


def _score(dataset: Dataset, hidden: Any, filled: dict[str, list[Any]]) -> _Scored:
    right = total = 0
    errors = []
    for index, column in enumerate(dataset.frame.columns):
        truth = dataset.frame[column].to_numpy()
        known = ~dataset.frame[column].isna().to_numpy()
        rows = np.flatnonzero(hidden[:, index] & known)  # cells whose truth the data has
        if column in dataset.categorical:
            right += sum(1 for r in rows if filled[column][r] == truth[r])
            total += len(rows)
        elif len(rows):
            guess = np.array([float(filled[column][r]) for r in rows])
            actual = truth[rows].astype(float)
            spread = float(np.nanstd(dataset.frame[column].astype(float))) or 1.0
            errors.append(float(np.sqrt(np.mean((guess - actual) ** 2))) / spread)
    return _Scored(right / max(1, total), float(np.mean(errors)))


@dataclass(slots=True)
class _Confidences:
    confidence: list[float] = field(default_factory=list)
    right: list[bool] = field(default_factory=list)


def _cleara(
    dataset: Dataset, masked: Any, calibration: _Confidences
) -> tuple[dict[str, list[Any]], float]:
    records = [
        {k: (None if v is None else v) for k, v in row.items()} for row in masked.to_dict("records")
    ]
    started = time.perf_counter()
    result = enrich(records, predict_missing=True, min_confidence=0.0)
    elapsed = time.perf_counter() - started
    fallback = _simple(dataset, masked)  # cells no model could fill
    out = {c: list(fallback[c]) for c in dataset.frame.columns}
    for item in result.enrichments:
        if item.source != "model":
            continue
        out[item.column][item.row] = item.value
        truth = dataset.frame[item.column].iloc[item.row]
        if truth is None or truth != truth:  # the original data lacks this value too
            continue
        if item.column in dataset.categorical:
            right = item.value == truth
        else:
            spread = float(np.nanstd(dataset.frame[item.column].astype(float)))
            right = abs(float(item.value) - float(truth)) <= NUMERIC_TOLERANCE * spread  # type: ignore[arg-type]
        calibration.confidence.append(item.confidence)
        calibration.right.append(bool(right))
    return out, elapsed


def expected_calibration_error(
    confidence: Sequence[float], right: Sequence[bool], bins: int = 10
) -> float:
    """Mean |accuracy - confidence| over equal-width confidence bins, weighted by size."""
    conf, hit = np.asarray(confidence), np.asarray(right, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for low, high in itertools.pairwise(edges):
        inside = (conf > low) & (conf <= high) if low > 0 else (conf >= low) & (conf <= high)
        if inside.any():
            total += inside.sum() * abs(hit[inside].mean() - conf[inside].mean())
    return total / max(1, len(conf))


def _spread(values: Sequence[float]) -> str:
    """Mean and sample standard deviation over mask seeds, as one table cell."""
    mean = float(np.mean(values))
    sd = float(np.std(values, ddof=1)) if len(values) > 1 else 0.0
    return f"{mean:.3f} ± {sd:.3f}"


def _impute_once(
    dataset: Dataset, seed: int, calibration: _Confidences
) -> tuple[dict[str, _Scored], float]:
    """Every method's score on one random mask of `dataset`, and Cleara's seconds."""
    masked, hidden = _mask(dataset.frame, seed)
    cleara_filled, seconds = _cleara(dataset, masked, calibration)
    methods = {
        "mode/mean": _simple(dataset, masked),
        "KNNImputer(5)": _knn(dataset, masked),
        "IterativeImputer(ExtraTrees)": _missforest(dataset, masked),
        "Cleara (LightGBM)": cleara_filled,
    }
    return {m: _score(dataset, hidden, filled) for m, filled in methods.items()}, seconds


def impute(seeds: Sequence[int] = MASK_SEEDS) -> list[list[object]]:
    quality: list[list[object]] = []
    calibration_rows: list[list[object]] = []
    everything = _Confidences()
    for dataset in _datasets():
        calibration = _Confidences()
        scores: dict[str, list[_Scored]] = {}
        seconds = []
        for seed in seeds:
            scored, elapsed = _impute_once(dataset, seed, calibration)
            seconds.append(elapsed)
            for method, score in scored.items():
                scores.setdefault(method, []).append(score)
        for method, runs in scores.items():
            accuracy = _spread([r.accuracy for r in runs])
            nrmse = _spread([r.nrmse for r in runs])
            quality.append([f"{dataset.name}: {method}", accuracy, nrmse])
        calibration_rows.append(
            _calibration_row(dataset.name, calibration, float(np.mean(seconds)))
        )
        everything.confidence += calibration.confidence
        everything.right += calibration.right
    calibration_rows.append(_calibration_row("all datasets", everything, 0.0))
    print_table(
        f"Imputation, {MASK_SHARE:.0%} of cells masked at random, "
        f"mean ± sd over {len(seeds)} mask seeds",
        ["dataset: method", "categorical accuracy", "numeric NRMSE"],
        quality,
    )
    print_table(
        f"Calibration of Cleara's confidences over {len(seeds)} mask seeds "
        f"(numeric right = within {NUMERIC_TOLERANCE:g} sd)",
        [
            "dataset",
            "predictions",
            "ECE",
            f"filled at {THRESHOLD}",
            f"accuracy at {THRESHOLD}",
            "seconds per mask",
        ],
        calibration_rows,
    )
    return quality + calibration_rows


def _calibration_row(name: str, data: _Confidences, seconds: float) -> list[object]:
    conf, hit = np.asarray(data.confidence), np.asarray(data.right, dtype=float)
    chosen = conf >= THRESHOLD
    return [
        name,
        len(conf),
        expected_calibration_error(data.confidence, data.right),
        int(chosen.sum()),
        float(hit[chosen].mean()) if chosen.any() else float("nan"),
        seconds,
    ]


# -- speed --------------------------------------------------------------------------------------


def _synthetic(rows: int, columns: int) -> list[dict[str, Any]]:
    """Numeric and categorical columns with dependencies between them, 20% missing."""
    generator = np.random.default_rng(SEED)
    base = generator.normal(size=(rows, 3))
    table: dict[str, Any] = {}
    for index in range(columns // 2):
        weights = generator.normal(size=3)
        table[f"num_{index}"] = np.round(base @ weights + generator.normal(0, 0.3, rows), 3)
    for index in range(columns - columns // 2):
        score = base @ generator.normal(size=3)
        labels = np.array(["a", "b", "c", "d", "e"])
        table[f"cat_{index}"] = labels[np.digitize(score, np.quantile(score, [0.2, 0.4, 0.6, 0.8]))]
    names = list(table)
    hidden = generator.random((rows, len(names))) < MASK_SHARE
    return [
        {name: None if hidden[r, c] else (table[name][r].item()) for c, name in enumerate(names)}
        for r in range(rows)
    ]


def _timed(task: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of `task` (CPU time shows the cost on a loaded machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    task()
    return time.perf_counter() - wall, time.process_time() - cpu


def geo_speed() -> list[list[object]]:
    addresses = _blank(_us_addresses(25_000), ("zip", "city", "state"))
    rows = (addresses * 4)[:100_000]
    enrich(rows[:1000])  # load the offline data once
    wall, cpu = _timed(lambda: enrich(rows))
    table: list[list[object]] = [
        ["geo, 100,000 rows (zip, city, state)", wall, 100_000 / wall, cpu, 100_000 / cpu]
    ]
    print_table(
        "Geo enrichment speed",
        ["task", "seconds", "rows/s", "CPU seconds", "rows per CPU second"],
        table,
    )
    return table


def model_speed() -> list[list[object]]:
    table = _synthetic(100_000, 20)
    enrich(table[:1000])  # load the offline data and the schema-detection model once
    found: list[Any] = []
    wall, cpu = _timed(lambda: found.append(enrich(table, predict_missing=True)))
    filled = sum(1 for e in found[0].enrichments if e.source == "model")
    rows: list[list[object]] = [
        [f"train + predict, 100,000 x 20 ({filled:,} filled)", wall, 100_000 / wall, cpu]
    ]
    print_table(
        "Missing-field prediction speed", ["task", "seconds", "rows/s", "CPU seconds"], rows
    )
    return rows


def speed() -> list[list[object]]:
    return geo_speed() + model_speed()


def run(parts: Sequence[str] = ("geo", "impute", "speed")) -> list[list[object]]:
    steps: dict[str, Callable[[], list[list[object]]]] = {
        "geo": geo,
        "impute": impute,
        "speed": speed,
        "geo_speed": geo_speed,
        "model_speed": model_speed,
    }
    results: list[list[object]] = []
    for part in parts:
        results += steps[part]()
    return results


if __name__ == "__main__":
    run(sys.argv[1:] or ("geo", "impute", "speed"))
