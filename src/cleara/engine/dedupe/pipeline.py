"""The deduplication and record-linkage pipeline.

    >>> result = dedupe([{"name": "Ann Lee", "email": "ann@x.com"},
    ...                  {"name": "Anne Lee", "email": "ann@x.com"},
    ...                  {"name": "Bob Stone", "email": "bob@y.org"}])
    >>> [c.members for c in result.clusters if len(c.members) > 1]
    [[0, 1]]

Stages: column types -> field-aware normalization -> blocking -> comparison -> scoring
(Fellegi-Sunter with EM, or gradient boosting on labels) -> threshold -> clustering without
chaining -> golden records. Every stage takes settings; none needs them.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from cleara.engine.dedupe import cluster, fellegi_sunter, pseudo_labels, supervised
from cleara.engine.dedupe.best_match import best_for_either
from cleara.engine.dedupe.blocking import (
    DEFAULT_WINDOW,
    BlockingRule,
    candidate_pairs,
    reduction_ratio,
    unique_pairs,
)
from cleara.engine.dedupe.cluster import Clustering, cluster_records
from cleara.engine.dedupe.compare import Comparison, compare
from cleara.engine.dedupe.data import Dataset, FloatArray, IntArray, build_dataset
from cleara.engine.dedupe.explain import explain_pairs
from cleara.engine.dedupe.fields import FieldSpec, is_embedded, plan_fields
from cleara.engine.dedupe.golden import (
    ColumnForms,
    Survivorship,
    golden_record,
    recency_column,
)
from cleara.engine.dedupe.threshold import (
    DEFAULT_THRESHOLD,
    expected_f1_threshold,
    parse_threshold,
    rank_threshold,
    stable_f1_threshold,
)
from cleara.engine.fields.base import FieldOptions, JsonScalar
from cleara.engine.gc_tuning import batch_gc
from cleara.engine.table import InputError, Record, Table, to_table

_OVERMATCH = 2.0  # clusters holding twice the possible matches are implausible
_AGREES = 0.9  # Fellegi-Sunter's F1 on the labels from which it may replace the classifier
MAX_CLUSTER_PAIRS = 50
"""Clusters with more members report only their strongest links (a maximum spanning tree,
one pair fewer than the members), not every member pair."""


@dataclass(frozen=True, slots=True)
class Label:
    left_id: JsonScalar
    right_id: JsonScalar
    match: bool


@dataclass(frozen=True, slots=True)
class DedupeOptions:
    """Settings of every stage; the defaults need no configuration."""

    id_field: str | None = None
    link_id_field: str | None = None  # the link records' id field, when it has another name
    fields: tuple[str | Mapping[str, Any], ...] | None = None
    schema: Mapping[str, str] | None = None
    threshold: float | str | None = "auto"
    country: str | None = None
    blocking: tuple[BlockingRule, ...] | None = None
    window: int = DEFAULT_WINDOW
    embeddings: bool | str = "auto"  # MiniLM for text-heavy fields when installed
    survivorship: Survivorship | None = None
    explain: bool = True
    golden: bool = True
    best_match: bool = True  # when linking: a pair links only as a best candidate (best_match.py)
    clean: bool = False  # clean the records first: golden records in clean form (`clean_tables`)

    @property
    def right_id_field(self) -> str | None:
        """The id field of the link records: `link_id_field`, or else `id_field`."""
        return self.link_id_field or self.id_field


@dataclass(slots=True)
class Member:
    table: str  # "records" or "link_records"
    id: JsonScalar


@dataclass(slots=True)
class Cluster:
    id: int
    members: list[JsonScalar]
    golden: dict[str, JsonScalar] = field(default_factory=dict)
    provenance: dict[str, dict[str, Any]] = field(default_factory=dict)
    tables: list[str] | None = None  # in link mode, the table of each member

    def as_dict(self) -> dict[str, Any]:
        members: list[Any] = list(self.members)
        if self.tables is not None:
            members = [
                {"table": t, "id": m} for t, m in zip(self.tables, self.members, strict=True)
            ]
        return {
            "id": self.id,
            "members": members,
            "golden": self.golden,
            "provenance": self.provenance,
        }


@dataclass(slots=True)
class MatchedPair:
    left_id: JsonScalar
    right_id: JsonScalar
    score: float
    explanation: dict[str, Any] | None = None
    left_index: int = -1
    right_index: int = -1

    def as_dict(self) -> dict[str, Any]:
        return {
            "left_id": self.left_id,
            "right_id": self.right_id,
            "score": round(self.score, 6),
            "explanation": self.explanation or {},
        }


@dataclass(slots=True)
class DedupeResult:
    clusters: list[Cluster]
    pairs: list[MatchedPair]
    threshold: float
    model: str
    fields: list[FieldSpec]
    stats: dict[str, Any]
    cluster_of: list[int]  # per record (records, then link records): its cluster id
    scorer: Scorer | None = field(default=None, repr=False)
    rules: list[BlockingRule] = field(default_factory=list)
    best_match_links: bool = False  # two tables linked by best-match links only

    def as_dict(self) -> dict[str, Any]:
        return {
            "clusters": [c.as_dict() for c in self.clusters],
            "pairs": [p.as_dict() for p in self.pairs],
            "threshold": round(self.threshold, 6),
            "model": self.model,
            "fields": [f.as_dict() for f in self.fields],
            "stats": self.stats,
        }


class Scorer:
    """A fitted model over a dataset: scores and explains any record pairs."""

    def __init__(
        self,
        data: Dataset,
        fs_model: fellegi_sunter.FellegiSunterModel | None,
        classifier: supervised.SupervisedModel | None,
    ) -> None:
        self.data = data
        self.fs_model = fs_model
        self.classifier = classifier
        self.candidate_trees: tuple[Comparison, FloatArray] | None = None
        """The classifier's trees' log-odds of the candidates it was fitted with."""

    @property
    def model_name(self) -> str:
        return "gradient_boosting" if self.classifier is not None else "fellegi_sunter"

    def score(
        self, comparison: Comparison, matrix: NDArray[np.float32] | None = None
    ) -> FloatArray:
        """Match probabilities; records identical in every compared field always match.
        `matrix`: the classifier's `design_matrix` of the pairs, if at hand."""
        if self.classifier is not None:
            scores = self.classifier.probability(comparison, self.data, matrix)
        else:
            assert self.fs_model is not None
            weights = self.fs_model.field_weights(self.data, comparison)
            scores = self.fs_model.probability(weights, comparison.levels)
        identical = identical_pairs(self.data, comparison.left, comparison.right)
        return np.where(identical, 1.0, scores)

    def tree_probability(self, comparison: Comparison) -> FloatArray:
        """The classifier's trees' own probabilities (kept ones for its candidates)."""
        assert self.classifier is not None
        if self.candidate_trees is not None and self.candidate_trees[0] is comparison:
            logit = np.clip(self.candidate_trees[1], -500.0, 500.0)
            result: FloatArray = 1.0 / (1.0 + np.exp(-logit))
            return result
        return self.classifier.tree_probability(comparison, self.data)

    def score_pairs(self, left: IntArray, right: IntArray) -> FloatArray:
        return self.score(compare(self.data, left, right))

    def explain(self, comparison: Comparison, scores: FloatArray) -> list[dict[str, Any]]:
        if self.classifier is not None:
            contributions, base, adjustments = self.classifier.contributions(comparison, self.data)
        else:
            assert self.fs_model is not None
            contributions = self.fs_model.field_weights(self.data, comparison)
            base = self.fs_model.scoring_prior_weight
            adjustments = self.fs_model.adjustments(contributions, comparison.levels)
        return explain_pairs(
            self.data,
            comparison,
            contributions,
            scores,
            model=self.model_name,
            base=base,
            adjustments=adjustments,
        )


def identical_pairs(data: Dataset, left: IntArray, right: IntArray) -> NDArray[np.bool_]:
    """Pairs whose normalized values are equal in every field (and not all missing)."""
    same = np.ones(len(left), dtype=bool)
    present = np.zeros(len(left), dtype=bool)
    for field_data in data.fields:
        a = field_data.codes[left]
        same &= a == field_data.codes[right]
        present |= a >= 0
    result: NDArray[np.bool_] = same & present
    return result


def dedupe(
    records: Iterable[Mapping[str, Any]] | Any,
    link_records: Iterable[Mapping[str, Any]] | Any | None = None,
    *,
    id_field: str | None = None,
    link_id_field: str | None = None,
    fields: Sequence[str | Mapping[str, Any]] | None = None,
    labels: Iterable[Mapping[str, Any] | Label] | None = None,
    threshold: float | str | None = "auto",
    schema: Mapping[str, str] | None = None,
    options: DedupeOptions | None = None,
) -> DedupeResult:
    """Find duplicate records (or, with `link_records`, matches between two tables).

    `id_field` names the column of record ids (row numbers without it); `link_id_field` the
    link records' own, where it has another name. `labels` are known pairs
    `{"left_id", "right_id", "match"}`: with them a classifier is trained and the threshold
    maximizes F1 on them. `threshold` is "auto" or a probability.
    """
    options = options or DedupeOptions()
    options = DedupeOptions(
        **{
            **{name: getattr(options, name) for name in DedupeOptions.__dataclass_fields__},
            "id_field": id_field or options.id_field,
            "link_id_field": link_id_field or options.link_id_field,
            "fields": tuple(fields) if fields else options.fields,
            "threshold": threshold if threshold != "auto" else options.threshold,
            "schema": schema or options.schema,
        }
    )
    started = time.perf_counter()
    with batch_gc():  # millions of small objects, few cycles (`gc_tuning`)
        table = to_table(records)
        link_table = to_table(link_records) if link_records is not None else None
        timings: dict[str, float] = {}
        cleaning = None
        given: list[Mapping[str, JsonScalar]] | None = None  # golden ties: lengths as typed
        if options.clean:
            clock = time.perf_counter()
            given = [*table.rows, *(link_table.rows if link_table is not None else [])]
            table, link_table, cleaning = clean_tables(table, link_table, options)
            timings["clean"] = time.perf_counter() - clock
        data, specs = prepare(table.columns, table.rows, link_table, options)
        data.given_rows = given
        timings["prepare"] = time.perf_counter() - started - timings.get("clean", 0.0)
        label_list = _parse_labels(labels)
        result = _run(data, specs, label_list, options, timings, table.columns, link_table)
    if cleaning is not None:
        result.stats["cleaning"] = cleaning
    return result


def clean_tables(
    table: Table, link_table: Table | None, options: DedupeOptions
) -> tuple[Table, Table | None, dict[str, int]]:
    """The tables as the cleaning engine writes them (`engine.clean`; every column but the
    ids, with the caller's schema and country), and how many values it changed and how many
    problems it found. Matching compares the same values either way (it reads each field in
    a comparison form); golden records then hold clean values, and spellings of one value
    (`JOHN@X.COM`, `john@x.com`) count as one when the most frequent is chosen."""
    from cleara.engine.clean import CleanOptions, clean

    counts = {"changed_values": 0, "problems": 0}
    cleaned_tables: list[Table] = []
    for source, id_field in ((table, options.id_field), (link_table, options.right_id_field)):
        if source is None:
            continue
        columns = tuple(c for c in source.columns if c != id_field)
        schema = {c: t for c, t in (options.schema or {}).items() if c in columns}
        result = clean(
            source.rows,
            schema=schema or None,
            options=CleanOptions(columns=columns, country=options.country),
        )
        counts["changed_values"] += len(result.changes)
        counts["problems"] += len(result.problems)
        cleaned_tables.append(Table(source.columns, result.records))
    return cleaned_tables[0], cleaned_tables[1] if link_table is not None else None, counts


def prepare(
    columns: list[str],
    rows: list[Record],
    link_table: Any,
    options: DedupeOptions,
) -> tuple[Dataset, list[FieldSpec]]:
    """Plan the fields and build the comparison-ready dataset."""
    right_rows = link_table.rows if link_table is not None else None
    specs = plan_fields(
        columns,
        rows,
        right_columns=link_table.columns if link_table is not None else None,
        right_rows=right_rows,
        fields=options.fields,
        schema=options.schema,
        id_field=options.id_field,
        right_id_field=options.right_id_field,
    )
    left_ids = record_ids(rows, options.id_field, "records")
    right_ids = (
        record_ids(right_rows, options.right_id_field, "link_records")
        if right_rows is not None
        else None
    )
    embed = _use_embeddings(options.embeddings, specs)
    field_options = FieldOptions(country=options.country.upper() if options.country else None)
    data = build_dataset(
        specs,
        rows,
        left_ids,
        right_rows=right_rows,
        right_ids=right_ids,
        options=field_options,
        embed=embed,
    )
    return data, specs


def _use_embeddings(setting: bool | str, specs: Sequence[FieldSpec]) -> bool:
    if not any(is_embedded(s) for s in specs):
        return False
    if setting == "auto":
        from cleara.engine.dedupe.embeddings import available

        return available()
    return bool(setting)


def record_ids(
    rows: Sequence[Mapping[str, JsonScalar]], id_field: str | None, table: str
) -> list[JsonScalar]:
    """The id of each record: the id field's values (unique, present), or row numbers."""
    if id_field is None:
        return list(range(len(rows)))
    ids = [row.get(id_field) for row in rows]
    if rows and not any(id_field in row for row in rows):
        hint = " (name the link records' own in link_id_field)" if table == "link_records" else ""
        raise InputError(f"{table}: no record has the id field {id_field!r}{hint}")
    missing = next((i for i, value in enumerate(ids) if value is None or value == ""), None)
    if missing is not None:
        raise InputError(f"{table}: the id field {id_field!r} is empty", row=missing)
    _reject_repeated_ids(ids, id_field, table)
    return ids


def _reject_repeated_ids(ids: Sequence[JsonScalar], id_field: str, table: str) -> None:
    """An InputError naming the first repeated id and the rows that hold it."""
    first_row: dict[str, int] = {}
    for row, value in enumerate(ids):
        key = _id_key(value)
        if key in first_row:
            raise InputError(
                f"{table}: the id field {id_field!r} repeats the value {value!r} "
                f"(first at row {first_row[key]})",
                row=row,
            )
        first_row[key] = row


def _id_key(value: JsonScalar) -> str:
    return str(value)


def _parse_labels(labels: Iterable[Mapping[str, Any] | Label] | None) -> list[Label]:
    if labels is None:
        return []
    parsed = []
    for index, entry in enumerate(labels):
        if isinstance(entry, Label):
            parsed.append(entry)
            continue
        if not isinstance(entry, Mapping) or not {"left_id", "right_id", "match"} <= set(entry):
            raise InputError("each label needs left_id, right_id and match", row=index)
        parsed.append(Label(entry["left_id"], entry["right_id"], _truth(entry["match"], index)))
    return parsed


def _truth(value: Any, index: int) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "y", "t", "match"):
        return True
    if text in ("0", "false", "no", "n", "f", "non-match", "nonmatch"):
        return False
    raise InputError(f"label match must be true/false or 1/0, got {value!r}", row=index)


def label_indices(
    data: Dataset, labels: Sequence[Label]
) -> tuple[IntArray, IntArray, NDArray[np.bool_]]:
    """Record indices of labeled pairs (InputError for ids that are not in the tables)."""
    left_index = {_id_key(v): i for i, v in enumerate(data.ids[: data.n_left])}
    right_index = (
        {_id_key(v): data.n_left + i for i, v in enumerate(data.ids[data.n_left :])}
        if data.link
        else left_index
    )
    left, right, truth = [], [], []
    for row, label in enumerate(labels):
        i = left_index.get(_id_key(label.left_id))
        j = right_index.get(_id_key(label.right_id))
        if i is None or j is None:
            raise InputError(
                f"label refers to an unknown id: {label.left_id!r}/{label.right_id!r}", row=row
            )
        if i == j:
            continue
        left.append(min(i, j))
        right.append(max(i, j))
        truth.append(label.match)
    return (
        np.array(left, dtype=np.int64),
        np.array(right, dtype=np.int64),
        np.array(truth, dtype=bool),
    )


def fit_scorer(
    data: Dataset, candidates: Comparison, labels: Sequence[Label], threshold: float | None
) -> tuple[Scorer, float, dict[str, Any]]:
    """Train the model (supervised with labels, Fellegi-Sunter without) and pick the threshold."""
    scorer, threshold, info, _ = fit_and_score(data, candidates, labels, threshold)
    return scorer, threshold, info


def fit_and_score(
    data: Dataset,
    candidates: Comparison,
    labels: Sequence[Label],
    threshold: float | None,
    *,
    unsupervised: fellegi_sunter.FellegiSunterModel | None = None,
) -> tuple[Scorer, float, dict[str, Any], FloatArray]:
    """`fit_scorer`, plus the candidates' scores (computed once: the threshold needs them).

    `unsupervised`: Fellegi-Sunter already fitted on these candidates (else it is fitted).
    Labels too few to train or test a classifier on leave the scoring to Fellegi-Sunter
    (`stats.model_choice` says why); `_run` still applies them to their pairs."""
    if unsupervised is None and (len(candidates) or not labels):
        unsupervised = fellegi_sunter.fit(data, candidates)
    if not labels:
        assert unsupervised is not None
        return _fellegi_sunter_scoring(data, candidates, unsupervised, threshold)
    left, right, truth = label_indices(data, labels)
    reason = supervised.untrainable(truth)
    if reason is not None:
        reason = f"{reason} to train"
    else:
        labelled = compare(data, left, right)
        classifier, held_out = supervised.fit(
            labelled, truth, data=data, fellegi_sunter=unsupervised
        )
        if held_out is not None or len(truth) < supervised.STACK_LABELS:
            # Token features take most of the time: computed once for both fits' scores.
            matrix = supervised.design_matrix(candidates, data, classifier.tokens)
            scoring = _classifier_scoring(
                data, (candidates, matrix), classifier, (truth, held_out), threshold
            )
            if unsupervised is None:
                return scoring
            return _with_pseudo_labels(
                data, (candidates, matrix), (labelled, truth), unsupervised, scoring, threshold
            )
        reason = f"too few matches or non-matches among the {len(truth)} labels to test"
    scorer, threshold, info, scores = fit_and_score(
        data, candidates, [], threshold, unsupervised=unsupervised
    )
    info["labels"] = len(truth)
    info["model_choice"] = f"fellegi_sunter: {reason} a classifier on"
    return scorer, threshold, info, scores


def _with_pseudo_labels(
    data: Dataset,
    candidates: tuple[Comparison, NDArray[np.float32]],
    labelled: tuple[Comparison, NDArray[np.bool_]],
    unsupervised: fellegi_sunter.FellegiSunterModel,
    scoring: tuple[Scorer, float, dict[str, Any], FloatArray],
    threshold: float | None,
) -> tuple[Scorer, float, dict[str, Any], FloatArray]:
    """`scoring` again after training on Fellegi-Sunter's confident decisions too, where the
    classifier overrules many of them and the labels give no reason to (`pseudo_labels`).
    `candidates`: the candidate pairs and their design matrix."""
    labelled_pairs, truth = labelled
    left, right = labelled_pairs.left, labelled_pairs.right
    pairs = candidates[0]
    scorer, chosen, _, scores = scoring
    size = np.int64(max(data.size, 1))
    rows, decided = pseudo_labels.choose(
        supervised.fellegi_sunter_logit(unsupervised, pairs, data),
        supervised.fellegi_sunter_logit(unsupervised, labelled_pairs, data),
        truth,
        eligible=~np.isin(pairs.left * size + pairs.right, left * size + right),
        matched=scores >= chosen,
    )
    if not len(rows):
        return scoring
    training = compare(
        data, np.concatenate([left, pairs.left[rows]]), np.concatenate([right, pairs.right[rows]])
    )
    assert scorer.classifier is not None
    classifier, held_out = supervised.fit(
        training,
        np.concatenate([truth, decided]),
        data=data,
        fellegi_sunter=unsupervised,
        tokens=scorer.classifier.tokens,  # the same columns: the matrix serves both models
    )
    if held_out is not None:  # the threshold is judged on the given labels alone
        held_out = held_out[: len(truth)] if len(truth) >= supervised.STACK_LABELS else None
    result = _classifier_scoring(data, candidates, classifier, (truth, held_out), threshold)
    result[2]["pseudo_labels"] = len(rows)
    return result


def _classifier_scoring(
    data: Dataset,
    candidates: tuple[Comparison, NDArray[np.float32]],
    classifier: supervised.SupervisedModel,
    labelled: tuple[NDArray[np.bool_], FloatArray | None],
    threshold: float | None,
) -> tuple[Scorer, float, dict[str, Any], FloatArray]:
    """The classifier's scorer, threshold (best F1 on held-out labels), info and scores.
    `candidates`: the candidate pairs and their design matrix."""
    truth, held_out = labelled
    scorer = Scorer(data, None, classifier)
    names = ("intercept", "trees", "level_odds", "fellegi_sunter")
    info: dict[str, Any] = {"stacking": dict(zip(names, classifier.stack, strict=True))}
    if threshold is None:
        if held_out is not None:
            threshold = stable_f1_threshold(held_out, truth)
            info["threshold_source"] = "best_f1_on_labels"
        else:
            threshold = DEFAULT_THRESHOLD
            info["threshold_source"] = "default"
    info["labels"] = len(truth)
    pairs, matrix = candidates
    scorer.candidate_trees = (pairs, classifier.tree_logit(pairs, data, matrix))
    return scorer, threshold, info, scorer.score(pairs, matrix)


def _fellegi_sunter_scoring(
    data: Dataset,
    candidates: Comparison,
    model: fellegi_sunter.FellegiSunterModel,
    threshold: float | None,
) -> tuple[Scorer, float, dict[str, Any], FloatArray]:
    """Fellegi-Sunter's scorer, threshold (expected F1), info and scores."""
    scorer = Scorer(data, model, None)
    info: dict[str, Any] = {"em_iterations": model.iterations, "prior": model.prior}
    if model.has_households:
        info["household_rate"] = model.household
    if model.has_colleagues:
        info["colleague_rate"] = model.colleagues
    scores = scorer.score(candidates)
    if threshold is None:
        threshold, info["threshold_source"] = _unsupervised_threshold(
            data, model, candidates, scores
        )
    return scorer, threshold, info, scores


def _unsupervised_threshold(
    data: Dataset,
    model: fellegi_sunter.FellegiSunterModel,
    candidates: Comparison,
    scores: FloatArray,
) -> tuple[float, str]:
    """The expected-F1 threshold; no lower than the possible match count allows.

    When EM's match rate reaches its bound, the model would call more pairs matches than the
    records can have, so its probabilities are inflated: keep only the best-ranked pairs.
    """
    threshold = expected_f1_threshold(scores)
    cap = fellegi_sunter.max_prior(data, len(candidates))
    if model.prior < fellegi_sunter.CAPPED_PRIOR * cap:
        return threshold, "expected_f1"
    ranked = rank_threshold(scores, round(cap * len(candidates)))
    return max(threshold, ranked), "expected_f1_within_possible_matches"


def _run(
    data: Dataset,
    specs: list[FieldSpec],
    labels: list[Label],
    options: DedupeOptions,
    timings: dict[str, float],
    columns: list[str],
    link_table: Any,
) -> DedupeResult:
    clock = time.perf_counter()
    candidates = candidate_pairs(data, options.blocking, window=options.window)
    left, right = candidates.left, candidates.right
    if labels:
        li, lj, _ = label_indices(data, labels)
        left, right = unique_pairs([left, li], [right, lj], max(data.size, 1))
    timings["blocking"] = time.perf_counter() - clock
    clock = time.perf_counter()
    # Fellegi-Sunter needs only agreement levels; explanations compare the matches again.
    comparison = compare(data, left, right, features=bool(labels))
    timings["compare"] = time.perf_counter() - clock
    clock = time.perf_counter()
    # With labels Fellegi-Sunter is stacked into the classifier and may replace it (below).
    unsupervised = fellegi_sunter.fit(data, comparison) if labels else None
    scorer, threshold, info, scores = fit_and_score(
        data, comparison, labels, parse_threshold(options.threshold), unsupervised=unsupervised
    )
    timings["scoring"] = time.perf_counter() - clock
    clock = time.perf_counter()
    labelled = _LabelledPairs.locate(data, labels, left, right)
    clustering = _cluster(data, (left, right, scores), labelled, threshold, scorer, options, info)
    if labels and scorer.classifier is not None:
        fallback = _instead_of_a_misled_classifier(
            data,
            comparison,
            (left, right, scores),
            (labelled, threshold, clustering, scorer, unsupervised),
            info,
            options,
        )
        scorer.candidate_trees = None  # the result keeps no hold on the candidates
        if fallback is not None:
            scorer, threshold, info, scores = fallback
            clustering = _cluster(
                data, (left, right, scores), labelled, threshold, scorer, options, info
            )
    timings["clustering"] = time.perf_counter() - clock
    clock = time.perf_counter()
    clusters = _clusters(data, clustering, columns, link_table, options)
    pairs = _pairs(data, clustering, scorer, options.explain)
    timings["output"] = time.perf_counter() - clock
    stats = {
        "records": data.n_left,
        "link_records": data.size - data.n_left if data.link else None,
        "candidate_pairs": len(left),
        "reduction_ratio": reduction_ratio(data, len(left)),
        "blocking_rules": [str(r) for r in candidates.rules],
        "matched_pairs": len(pairs),
        "clusters": len(clusters),
        "oversized_components": clustering.oversized,
        "placeholders": {f.spec.name: f.placeholders for f in data.fields if f.placeholders},
        "seconds": {k: round(v, 4) for k, v in timings.items()},
        **info,
    }
    return DedupeResult(
        clusters,
        pairs,
        threshold,
        scorer.model_name,
        specs,
        stats,
        clustering.labels.tolist(),
        scorer,
        list(candidates.rules),
        data.link and options.best_match,
    )


def _cluster(
    data: Dataset,
    pairs: tuple[IntArray, IntArray, FloatArray],
    labelled: _LabelledPairs,
    threshold: float,
    scorer: Scorer,
    options: DedupeOptions,
    info: dict[str, Any],
) -> Clustering:
    """Cluster the scored candidates; labelled pairs take their labels.

    When linking, a pair joins records only as a best match (`best_match.py`), judged on the
    model's scores: a labelled match always links, but does not push its records' other
    candidates out (one record may rightly match several in the other table).
    """
    left, right, model_scores = pairs
    scores = labelled.apply(model_scores)
    eligible = _eligible(data, (left, right, model_scores), labelled, options)
    if eligible is not None:
        info["links_beaten_on_both_sides"] = int(((scores >= threshold) & ~eligible).sum())
    return cluster_records(
        data.size, left, right, scores, threshold, scorer.score_pairs, eligible=eligible
    )


def _eligible(
    data: Dataset,
    pairs: tuple[IntArray, IntArray, FloatArray],
    labelled: _LabelledPairs,
    options: DedupeOptions,
) -> NDArray[np.bool_] | None:
    """When linking with best-match links: the pairs that may link (None: every pair)."""
    if not (data.link and options.best_match):
        return None
    left, right, model_scores = pairs
    result: NDArray[np.bool_] = best_for_either(left, right, model_scores)
    result[labelled.matches()] = True
    return result


def _links(
    data: Dataset,
    pairs: tuple[IntArray, IntArray, FloatArray],
    labelled: _LabelledPairs,
    threshold: float,
    options: DedupeOptions,
) -> int:
    """How many candidate pairs link the two tables, labels applied."""
    linked = labelled.apply(pairs[2]) >= threshold
    eligible = _eligible(data, pairs, labelled, options)
    return int((linked if eligible is None else linked & eligible).sum())


def _overmatched(data: Dataset, clustering: Clustering) -> bool:
    """Whether one table's clusters hold far more matching pairs than its records can have:
    over `_OVERMATCH` times the bound of `fellegi_sunter.possible_matches`."""
    pairs = cluster.pairs_within(clustering.labels)
    return pairs > _OVERMATCH * fellegi_sunter.possible_matches(data)


def _trees_overmatch(
    data: Dataset,
    comparison: Comparison,
    scorer: Scorer,
    labelled: _LabelledPairs,
    threshold: float,
) -> bool:
    """Whether the clusters of the classifier's trees alone would be `_overmatched`: they
    learn the labels most literally, so they show labels unlike the candidates first."""
    assert scorer.classifier is not None
    if not any(scorer.classifier.stack[2:]):
        return False  # the trees score alone: `_overmatched` has judged them

    def trees(left: IntArray, right: IntArray) -> FloatArray:  # member pairs not yet seen
        return scorer.tree_probability(compare(data, left, right))

    scores = labelled.apply(scorer.tree_probability(comparison))
    clustering = cluster_records(
        data.size, comparison.left, comparison.right, scores, threshold, trees
    )
    return _overmatched(data, clustering)


def _links_far_more(
    data: Dataset,
    pairs: tuple[IntArray, IntArray, FloatArray],
    fellegi_sunter_fit: tuple[Scorer, float, dict[str, Any], FloatArray],
    labelled: _LabelledPairs,
    threshold: float,
    info: dict[str, Any],
    options: DedupeOptions,
) -> bool:
    """Whether the classifier links over `_OVERMATCH` times the pairs Fellegi-Sunter links,
    while Fellegi-Sunter agrees with the labels (F1 on them of at least `_AGREES`).

    Across two tables products can match many to many, so the number of links alone says
    little; and where Fellegi-Sunter disagrees with the labels (on product tables it often
    finds half the matches) the classifier is the better judge, whatever it links.
    """
    left, right, _ = pairs
    _, fs_threshold, _, fs_scores = fellegi_sunter_fit
    mine = _links(data, pairs, labelled, threshold, options)
    theirs = _links(data, (left, right, fs_scores), labelled, fs_threshold, options)
    agreement = labelled.f1(fs_scores >= fs_threshold)
    info["links_against_fellegi_sunter"] = [mine, theirs]
    info["fellegi_sunter_f1_on_labels"] = round(agreement, 4)
    return mine > _OVERMATCH * max(theirs, 1) and agreement >= _AGREES


def _instead_of_a_misled_classifier(
    data: Dataset,
    comparison: Comparison,
    pairs: tuple[IntArray, IntArray, FloatArray],
    outcome: tuple[
        _LabelledPairs,
        float,
        Clustering,
        Scorer,
        fellegi_sunter.FellegiSunterModel | None,
    ],
    info: dict[str, Any],
    options: DedupeOptions,
) -> tuple[Scorer, float, dict[str, Any], FloatArray] | None:
    """Fellegi-Sunter's fit when the classifier's matches are implausible; else None.

    The classifier's trees and level odds learn from the labelled pairs alone; when those do
    not resemble the candidates (known duplicates plus random record pairs as non-matches),
    it can call most candidates matches. Fellegi-Sunter is fitted on the candidates
    themselves and does not depend on how the labels were drawn; the labelled pairs keep
    their labels either way.
    One table: `_overmatched` (by the classifier, or by its trees alone: the stacked parts
    soften the symptom, not the labels' bias); two tables: `_links_far_more`. Fellegi-Sunter
    is the run's own (`unsupervised`, fitted once whenever there are labels)."""
    labelled, threshold, clustering, classifier_scorer, unsupervised = outcome
    given = parse_threshold(options.threshold)
    if data.link:
        fallback = fit_and_score(data, comparison, [], given, unsupervised=unsupervised)
        if not _links_far_more(data, pairs, fallback, labelled, threshold, info, options):
            return None
        reason = f"the classifier linked over {_OVERMATCH:g} times the pairs Fellegi-Sunter links"
    else:
        if _overmatched(data, clustering):
            whose = "the classifier's clusters held"
        elif _trees_overmatch(data, comparison, classifier_scorer, labelled, threshold):
            whose = "the classifier's trees alone would cluster"
        else:
            return None
        fallback = fit_and_score(data, comparison, [], given, unsupervised=unsupervised)
        reason = f"{whose} far more matching pairs than the records can have"
    scorer, fs_threshold, fs_info, scores = fallback
    fs_info["labels"] = info.get("labels")
    for key in ("links_against_fellegi_sunter", "fellegi_sunter_f1_on_labels"):
        if key in info:
            fs_info[key] = info[key]
    fs_info["model_choice"] = f"fellegi_sunter: {reason}; its labels do not resemble the candidates"
    return scorer, fs_threshold, fs_info, scores


@dataclass(frozen=True, slots=True)
class _LabelledPairs:
    """Where the labelled pairs sit among the candidate pairs, and their answers."""

    size: int  # candidate pairs
    positions: IntArray  # per label: its candidate's index (every label is a candidate)
    truth: NDArray[np.bool_]

    @classmethod
    def locate(
        cls, data: Dataset, labels: list[Label], left: IntArray, right: IntArray
    ) -> _LabelledPairs:
        """Found once per run; the candidates hold every labelled pair (see `_run`)."""
        if not labels:
            return cls(len(left), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool))
        li, lj, truth = label_indices(data, labels)
        size = np.int64(max(data.size, 1))
        keys = left * size + right
        order = np.argsort(keys, kind="stable")
        wanted = li * size + lj
        found = np.minimum(np.searchsorted(keys[order], wanted), len(keys) - 1)
        if not (keys[order][found] == wanted).all():  # pragma: no cover - see `_run`
            raise AssertionError("a labelled pair is missing from the candidates")
        return cls(len(left), order[found].astype(np.int64), truth)

    def apply(self, scores: FloatArray) -> FloatArray:
        """Labeled pairs take their label: a person's answer beats the model."""
        if not len(self.positions):
            return scores
        result = scores.copy()
        result[self.positions] = self.truth.astype(np.float64)
        return result

    def matches(self) -> NDArray[np.bool_]:
        """Per candidate: whether it is labelled a match."""
        result = np.zeros(self.size, dtype=bool)
        result[self.positions[self.truth]] = True
        return result

    def f1(self, matched: NDArray[np.bool_]) -> float:
        """F1 of `matched` (one flag per candidate) on the labelled pairs."""
        predicted = matched[self.positions]
        hits = int((predicted & self.truth).sum())
        return 2 * hits / max(int(predicted.sum() + self.truth.sum()), 1)


def _clusters(
    data: Dataset,
    clustering: Clustering,
    columns: list[str],
    link_table: Any,
    options: DedupeOptions,
) -> list[Cluster]:
    labels = clustering.labels
    order = np.argsort(labels, kind="stable")
    bounds = np.flatnonzero(np.diff(labels[order])) + 1
    survivorship = options.survivorship or Survivorship(recency_column=recency_column(columns))
    golden_columns = list(columns)
    if link_table is not None:
        golden_columns += [c for c in link_table.columns if c not in golden_columns]
    golden_columns = [
        c for c in golden_columns if c not in (options.id_field, options.right_id_field)
    ]
    rules = survivorship.rules_for(golden_columns)
    filler_fields = [  # per field with fillers: its column, and which records hold one
        (f.spec.column, held.tolist()) for f in data.fields if (held := f.filler_rows) is not None
    ]
    form_codes = (  # per column compared whole: each record's comparison form; how common
        {  # an e-mail address is tells no right from wrong (a family's, `info@`): not counted
            f.spec.column: ColumnForms(
                f.codes.tolist(), f.counts.tolist() if f.spec.kind != "email" else []
            )
            for f in data.fields
            if f.spec.part is None
        }
        if options.golden
        else {}
    )
    clusters = []
    ordered = order.tolist()  # one conversion, then list slices: 600k clusters in a second
    ordered_ids = [data.ids[i] for i in ordered]
    starts = [0, *bounds.tolist()] if ordered else []
    stops = [*starts[1:], len(ordered)] if ordered else []
    for number, (start, stop) in enumerate(zip(starts, stops, strict=True)):
        indices = ordered[start:stop]
        ids = ordered_ids[start:stop]
        cluster = Cluster(number, ids)
        if data.link:
            cluster.tables = ["records" if i < data.n_left else "link_records" for i in indices]
        if options.golden:
            rows = [_renamed(data, i) for i in indices]
            fillers = {
                (position, column)
                for column, filler_rows in filler_fields
                for position, i in enumerate(indices)
                if filler_rows[i]
            }
            given = (
                [_renamed(data, i, data.given_rows[i]) for i in indices]
                if data.given_rows is not None and len(indices) > 1
                else None
            )
            cluster.golden, cluster.provenance = golden_record(
                rows, ids, golden_columns, survivorship, fillers, rules, form_codes, indices, given
            )
        clusters.append(cluster)
    return clusters


def _renamed(
    data: Dataset, index: int, row: Mapping[str, JsonScalar] | None = None
) -> Mapping[str, JsonScalar]:
    """A link record (`row`, else the dataset's) with its compared columns under the first
    table's names."""
    row = data.rows[index] if row is None else row
    if index < data.n_left:
        return row
    renamed = dict(row)
    for field_data in data.fields:
        spec = field_data.spec
        if spec.right_name != spec.column:
            renamed[spec.column] = row.get(spec.right_name)
            renamed.pop(spec.right_name, None)
    return renamed


def _pairs(
    data: Dataset, clustering: Clustering, scorer: Scorer, explain: bool
) -> list[MatchedPair]:
    left, right, scores = clustering.pair_left, clustering.pair_right, clustering.pair_score
    if data.link:  # a link reports pairs across the two tables only
        across = (left < data.n_left) & (right >= data.n_left)
        left, right, scores = left[across], right[across], scores[across]
    sizes = np.bincount(clustering.labels)
    big = sizes[clustering.labels[left]] > MAX_CLUSTER_PAIRS if len(left) else np.zeros(0, bool)
    keep = ~big
    keep[big] = cluster.strongest_links(data.size, left[big], right[big], scores[big])
    left, right, scores = left[keep], right[keep], scores[keep]
    order = np.lexsort((right, left))
    left, right, scores = left[order], right[order], scores[order]
    explanations: list[dict[str, Any] | None] = [None] * len(left)
    if explain and len(left):
        comparison = compare(data, left, right)
        explanations = list(scorer.explain(comparison, scores))
    ids = data.ids
    return [
        MatchedPair(ids[i], ids[j], float(s), e, i, j)
        for i, j, s, e in zip(
            left.tolist(), right.tolist(), scores.tolist(), explanations, strict=True
        )
    ]
