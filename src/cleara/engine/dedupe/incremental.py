"""Incremental matching: new records against stored clusters, without recomputing them.

A `MatchIndex` keeps what matching needs and nothing more: the fitted model and threshold,
how each field was read (its country, the day/month order its dates settled), each record's
normalized values and cluster, term frequencies, the blocking keys as an inverted index and,
for text records (products, beers), a whole-record TF-IDF index as in batch blocking
(`text_neighbours`). `match` blocks each new record against the index (blocking keys and its
nearest records by text), scores it against the members of the candidate clusters, joins
the cluster with the highest mean match probability (if at or above the threshold) or starts
a new one, merges other clusters it joins too where average linkage would (`_bridge`), and
adds it to the index. Fields the model compares by MiniLM embedding are
embedded as in the batch run: an index built from a result keeps the run's vectors, a loaded
one embeds the texts it meets (one batch per `match` call). The state is plain JSON
(`to_state` / `from_state`, without vectors); storing it is the caller's business.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from cleara.engine.dedupe import fellegi_sunter, supervised
from cleara.engine.dedupe.blocking import TEXT_NEIGHBOURS, BlockingRule, Key, _transform
from cleara.engine.dedupe.compare import compare
from cleara.engine.dedupe.data import (
    Dataset,
    FieldData,
    encode_field,
    known_filler_test,
    phonetic_key,
)
from cleara.engine.dedupe.embeddings import available as embeddings_available
from cleara.engine.dedupe.fields import (
    ADDRESS_TYPES,
    ORGANIZATION_TYPES,
    FieldSpec,
    address_words,
    company_forms_apply,
    normalize_values,
)
from cleara.engine.dedupe.pipeline import DedupeResult
from cleara.engine.dedupe.places import city_form
from cleara.engine.dedupe.text_neighbours import TextIndex, searchable_kinds
from cleara.engine.fields.base import FieldOptions, JsonScalar
from cleara.engine.fields.company import company_words
from cleara.engine.table import InputError

STATE_VERSION = 1
FORMS_VERSION = 5
"""Comparison forms of the stored values; 2: addresses in one spelling (`address_words`);
3: phones by their national significant number (`fields.phone_form`); 4: company names
without their legal form (`company_words`, applied to older indexes' names on loading) and
web addresses without scheme and `www.` (`fields.url_form`); 5: cities by their own name
(`places.city_form`, applied to older indexes' cities on loading). Stored phones of an index
before 3 keep their last ten digits as typed, which no longer agree with new records'
numbers of other than ten national digits typed with their country code, and stored web
addresses of one before 4 their old form: rebuild it."""
EMBEDDING_SIZE = 384
MAX_BRIDGE_PAIRS = 10_000
"""Two clusters a new record joins are merged only if scoring all their pairs stays cheap."""
MAX_BLOCK = 200
"""Candidates taken from one blocking key (the most recent ones), so common keys stay cheap."""


class BlockIndex:
    """One blocking rule's inverted index: key -> positions of the records with that key.

    Records indexed in bulk sit in two NumPy arrays sorted by a 64-bit hash of the key (a
    100,000-person index has 3 million entries: as Python lists they took gigabytes and
    seconds to build), records added one at a time in a dict. A hash collision only adds
    candidates, which scoring then rejects."""

    def __init__(self) -> None:
        self._hashes = np.zeros(0, dtype=np.uint64)
        self._positions = np.zeros(0, dtype=np.int64)
        self._recent: dict[str, list[int]] = {}

    def add_many(self, keys: list[str | None], start: int) -> None:
        """Index the keys of the records at positions start, start + 1, ... (None: no key)."""
        present = np.array([k is not None for k in keys], dtype=bool)
        if not present.any():
            return
        texts = np.array([k for k in keys if k is not None], dtype=object)
        hashes = np.concatenate([self._hashes, _hash(texts)])
        positions = np.concatenate([self._positions, np.flatnonzero(present) + start])
        order = np.lexsort((positions, hashes))
        self._hashes, self._positions = hashes[order], positions[order]

    def recent_keys(self) -> list[str]:
        """The keys of the records added one at a time (bulk keys are kept as hashes)."""
        return list(self._recent)

    def add(self, key: str, position: int) -> None:
        self._recent.setdefault(key, []).append(position)

    def get(self, key: str, last: int | None = None) -> list[int]:
        """Positions of the records with this key, oldest first (only the `last` ones)."""
        recent = self._recent.get(key, [])
        if last is not None:
            recent = recent[-last:] if last > 0 else []
        found: list[int] = []
        wanted = None if last is None else last - len(recent)
        if len(self._hashes) and (wanted is None or wanted > 0):
            value = _hash(np.array([key], dtype=object))[0]
            low = int(np.searchsorted(self._hashes, value, side="left"))
            high = int(np.searchsorted(self._hashes, value, side="right"))
            if wanted is not None:
                low = max(low, high - wanted)
            found = self._positions[low:high].tolist()
        return found + recent


def _hash(texts: NDArray[np.object_]) -> NDArray[np.uint64]:
    hashes: NDArray[np.uint64] = pd.util.hash_array(texts, categorize=False)
    return hashes


@dataclass(frozen=True, slots=True)
class MatchOutcome:
    id: JsonScalar
    cluster_id: int
    score: float  # mean match probability with the joined cluster (0 for a new cluster)
    new_cluster: bool
    matched_ids: list[JsonScalar]  # the joined cluster's members, merged clusters' included
    merged_cluster_ids: list[int] = field(default_factory=list)
    """Stored clusters the record showed to be one with the joined cluster, now part of it."""


class MatchIndex:
    """Stored records and clusters that new records are matched against."""

    def __init__(
        self,
        specs: list[FieldSpec],
        threshold: float,
        fs_model: fellegi_sunter.FellegiSunterModel | None,
        classifier: supervised.SupervisedModel | None,
        rules: list[BlockingRule],
        settings: list[dict[str, Any]] | None = None,
        *,
        merges: bool = False,
    ) -> None:
        if fs_model is None and classifier is None:
            raise InputError("a match index needs a fitted model")
        self.specs = specs
        self.threshold = threshold
        self.fs_model = fs_model
        self.classifier = classifier
        self.rules = rules
        self.settings = settings or [{} for _ in specs]
        """Per field, how the stored values were read (country, day/month order)."""
        self.merges = merges
        """Whether a new record may merge stored clusters (not for two tables linked by
        best-match links: there a record links to its best match only, as in the batch run)."""
        self.placeholders: list[frozenset[str]] = [frozenset() for _ in specs]
        """Per field, the batch run's fillers (`placeholder_values`), read as missing."""
        self.embedded = [False] * len(specs)
        """Per field, whether the model compares its values' MiniLM embeddings."""
        self._vectors: list[dict[str, NDArray[np.float32]]] = [{} for _ in specs]
        self._totals = [0] * len(specs)
        self.ids: list[JsonScalar] = []
        self.values: list[list[str | None]] = [[] for _ in specs]
        self.clusters: list[int] = []
        self.frequencies: list[dict[str, int]] = [{} for _ in specs]
        self.blocks = [BlockIndex() for _ in rules]
        self.members: dict[int, list[int]] = {}
        self._next_cluster = 0
        """The id a new cluster gets (ids of clusters merged away are not given again)."""
        self._positions: dict[str, int] = {}
        self.texts = TextIndex() if searchable_kinds({s.kind for s in specs}) else None

    # -- building --------------------------------------------------------------------------

    @classmethod
    def from_result(cls, result: DedupeResult) -> MatchIndex:
        """The index of a finished deduplication (its records, clusters and model)."""
        scorer = result.scorer
        if scorer is None:
            raise InputError("the result carries no model to match with")
        data = scorer.data
        index = cls(
            result.fields,
            result.threshold,
            scorer.fs_model,
            scorer.classifier,
            result.rules,
            [dict(f.settings) for f in data.fields],
            merges=not result.best_match_links,
        )
        for f, field_data in enumerate(data.fields):
            index.placeholders[f] = frozenset(field_data.placeholders)
            if field_data.vectors is not None:
                index.embedded[f] = True
                index._vectors[f] = dict(zip(field_data.uniques, field_data.vectors, strict=True))
        columns = [f.texts(np.arange(data.size, dtype=np.int64)) for f in data.fields]
        index._add_all(
            data.ids, [[v or None for v in column] for column in columns], result.cluster_of
        )
        return index

    def _add_all(
        self, ids: Sequence[JsonScalar], columns: list[list[str | None]], clusters: Sequence[int]
    ) -> None:
        """`_add` for many records at once: each distinct value's blocking key parts are
        computed once (a loaded index of 100,000 people: 12 s one by one)."""
        start = len(self.ids)
        for offset, record_id in enumerate(ids):
            key = str(record_id)
            if key in self._positions:
                raise InputError(f"record id {record_id!r} is already in the index")
            self._positions[key] = start + offset
        self.ids.extend(ids)
        self.clusters.extend(int(c) for c in clusters)
        for position, cluster in enumerate(self.clusters[start:], start=start):
            self.members.setdefault(cluster, []).append(position)
        self._next_cluster = max([self._next_cluster, *(c + 1 for c in self.clusters[start:])])
        for f, column in enumerate(columns):
            self.values[f].extend(column)
            counts = Counter(v for v in column if v is not None)
            for value, count in counts.items():
                self.frequencies[f][value] = self.frequencies[f].get(value, 0) + count
            self._totals[f] += sum(counts.values())
        field_of = {spec.name: f for f, spec in enumerate(self.specs)}
        parts: dict[Key, list[str | None]] = {}
        for block_key in {k for rule in self.rules for k in rule.keys}:
            field_index = field_of.get(block_key.field)
            column = columns[field_index] if field_index is not None else [None] * len(ids)
            distinct = {v: _key_part(block_key, v) for v in set(column)}
            parts[block_key] = [distinct[v] for v in column]
        for r, rule in enumerate(self.rules):
            if len(rule.keys) == 1:  # the key is the part itself
                joined: list[str | None] = parts[rule.keys[0]]
            else:
                combinations = zip(*(parts[k] for k in rule.keys), strict=True)
                joined = [
                    None if None in parts_ else "\x1f".join(parts_) for parts_ in combinations
                ]
            self.blocks[r].add_many(joined, start)
        if self.texts is not None:
            for offset, values in enumerate(zip(*columns, strict=True)):
                self.texts.add(start + offset, _whole_text(list(values)))

    def _add(self, record_id: JsonScalar, values: list[str | None], cluster: int) -> int:
        key = str(record_id)
        if key in self._positions:
            raise InputError(f"record id {record_id!r} is already in the index")
        position = len(self.ids)
        self._positions[key] = position
        self.ids.append(record_id)
        self.clusters.append(cluster)
        self.members.setdefault(cluster, []).append(position)
        for f, value in enumerate(values):
            self.values[f].append(value)
            if value is not None:
                self.frequencies[f][value] = self.frequencies[f].get(value, 0) + 1
                self._totals[f] += 1
        for r, block_key in enumerate(self._keys(values)):
            if block_key is not None:
                self.blocks[r].add(block_key, position)
        if self.texts is not None:
            self.texts.add(position, _whole_text(values))
        return position

    def _keys(self, values: list[str | None]) -> list[str | None]:
        by_name = {spec.name: values[f] for f, spec in enumerate(self.specs)}
        keys: list[str | None] = []
        for rule in self.rules:
            parts = [_key_part(k, by_name.get(k.field)) for k in rule.keys]
            keys.append(None if any(p is None for p in parts) else "\x1f".join(map(str, parts)))
        return keys

    # -- matching --------------------------------------------------------------------------

    def match(
        self, records: Sequence[Mapping[str, JsonScalar]], ids: Sequence[JsonScalar] | None = None
    ) -> list[MatchOutcome]:
        """Assign each new record to a stored cluster or a new one, and index it.

        Records name their fields as the first table did or, for an index of two linked
        tables, as the second did. Nothing is added when a record is refused (an id stored
        or given twice, or none of the index's fields)."""
        if ids is None:
            ids = list(range(len(self.ids), len(self.ids) + len(records)))
        if len(ids) != len(records):
            raise InputError("give one id per record")
        self._check_new_ids(ids)
        rows = [self._by_field_name(record, row) for row, record in enumerate(records)]
        company_forms = company_forms_apply(self.specs)
        normalized = [
            _without_known_fillers(
                spec,
                normalize_values(
                    spec, spec.values(rows), FieldOptions(**settings), company_forms=company_forms
                ),
                fillers,
            )
            for spec, settings, fillers in zip(
                self.specs, self.settings, self.placeholders, strict=True
            )
        ]
        new_values = [[column[row] for column in normalized] for row in range(len(ids))]
        start = len(self.ids)
        stored = [self._candidates(values) for values in new_values]
        self._embed_ahead(new_values, stored)
        return [  # the stored candidates, and those among the records this call added
            self._match_one(record_id, values, candidates | self._candidates(values, start))
            for record_id, values, candidates in zip(ids, new_values, stored, strict=True)
        ]

    def _candidates(self, values: list[str | None], since: int = 0) -> set[int]:
        """Records at position `since` or later that share a blocking key with the record
        (the last MAX_BLOCK of a key) or are among its nearest by text."""
        candidates: set[int] = set()
        for r, block_key in enumerate(self._keys(values)):
            if block_key is not None:
                found = self.blocks[r].get(block_key, MAX_BLOCK)
                candidates.update(p for p in found if p >= since)
        if self.texts is not None:
            text = _whole_text(values)
            candidates.update(self.texts.nearest(text, TEXT_NEIGHBOURS, since))
        return candidates

    def _embed_ahead(self, new_values: list[list[str | None]], stored: list[set[int]]) -> None:
        """Embed the new records' texts and their stored candidates' in one batch (many small
        batches cost several times as much)."""
        positions = set().union(*stored)
        for f, embedded in enumerate(self.embedded):
            if embedded:
                texts = {v[f] for v in new_values} | {self.values[f][p] for p in positions}
                self._embeddings(f, sorted(t for t in texts if t is not None))

    def _by_field_name(
        self, record: Mapping[str, JsonScalar], row: int
    ) -> Mapping[str, JsonScalar]:
        """The record keyed by the fields' names (a second table's columns renamed)."""
        if not self.specs:
            raise InputError("the index has no fields to compare (it holds no records)")
        if any(spec.column in record for spec in self.specs):
            return record
        if any(spec.right_name in record for spec in self.specs):
            return {spec.column: record.get(spec.right_name) for spec in self.specs}
        names = ", ".join(dict.fromkeys(spec.column for spec in self.specs))
        raise InputError(f"the record has none of the index's fields ({names})", row=row)

    def _check_new_ids(self, ids: Sequence[JsonScalar]) -> None:
        """InputError, before any record is added, for an id stored or given twice."""
        seen: set[str] = set()
        for row, record_id in enumerate(ids):
            if record_id is None:
                raise InputError("a record has no id", row=row)
            key = str(record_id)
            if key in self._positions:
                raise InputError(f"record id {record_id!r} is already in the index", row=row)
            if key in seen:
                raise InputError(f"record id {record_id!r} is given twice", row=row)
            seen.add(key)

    def _match_one(
        self, record_id: JsonScalar, values: list[str | None], candidates: set[int]
    ) -> MatchOutcome:
        scores = self._scores(values, sorted(candidates))
        means = self._cluster_means(values, scores)
        joined = sorted((c for c, m in means.items() if m >= self.threshold), key=means.__getitem__)
        if not joined:
            cluster = self._next_cluster
            self._next_cluster += 1
            self._add(record_id, values, cluster)
            return MatchOutcome(record_id, cluster, 0.0, True, [])
        best = joined.pop()
        merged = self._bridge(best, reversed(joined), scores) if self.merges else []
        matched = [self.ids[m] for m in self.members[best]]
        self._add(record_id, values, best)
        return MatchOutcome(record_id, best, means[best], False, matched, merged)

    def _cluster_means(
        self, values: list[str | None], scores: dict[int, float]
    ) -> dict[int, float]:
        """Mean match probability with each cluster that has a member at or above the
        threshold (members blocking did not propose are scored now; `scores` gains them)."""
        means: dict[int, float] = {}
        for cluster in {self.clusters[p] for p, s in scores.items() if s >= self.threshold}:
            members = self.members[cluster]
            scores.update(self._scores(values, [m for m in members if m not in scores]))
            means[cluster] = float(np.mean([scores[m] for m in members]))
        return means

    def _bridge(self, cluster: int, others: Iterable[int], scores: dict[int, float]) -> list[int]:
        """Merge into `cluster` the other clusters the new record also joins, each while the
        mean probability over all pairs between the two (the new record counted in
        `cluster`) stays at or above the threshold: the batch run's average linkage, so a
        record does not chain two different entities together. Returns the merged ids."""
        merged: list[int] = []
        for other in others:
            mine, theirs = self.members[cluster], self.members[other]
            if len(mine) * len(theirs) > MAX_BRIDGE_PAIRS:
                continue
            total = sum(scores[t] for t in theirs)
            for member in mine:
                row = [column[member] for column in self.values]
                total += sum(self._scores(row, theirs).values())
            if total / ((len(mine) + 1) * len(theirs)) >= self.threshold:
                for member in theirs:
                    self.clusters[member] = cluster
                mine.extend(self.members.pop(other))
                merged.append(other)
        return merged

    def _scores(self, values: list[str | None], positions: list[int]) -> dict[int, float]:
        if not positions:
            return {}
        data = self._dataset(values, positions)
        size = len(positions)
        left = np.arange(size, dtype=np.int64)
        right = np.full(size, size, dtype=np.int64)
        comparison = compare(data, left, right)
        if self.classifier is not None:
            probabilities = self.classifier.probability(comparison, data)
        else:
            assert self.fs_model is not None
            weights = self.fs_model.field_weights(data, comparison)
            probabilities = self.fs_model.probability(weights, comparison.levels)
        return dict(zip(positions, probabilities.tolist(), strict=True))

    def _dataset(self, values: list[str | None], positions: list[int]) -> Dataset:
        """The candidates and the new record, with term frequencies of the whole index."""
        fields: list[FieldData] = []
        for f, spec in enumerate(self.specs):
            column = [self.values[f][p] for p in positions] + [values[f]]
            data = encode_field(spec, column, embed=False)
            frequency = self.frequencies[f]
            data.counts = np.array([max(frequency.get(u, 0), 1) for u in data.uniques], np.int64)
            data.total = max(self._totals[f], 1)
            if self.embedded[f]:
                data.vectors = self._embeddings(f, data.uniques)
            fields.append(data)
        return Dataset([*positions, -1], len(positions) + 1, False, fields)

    def _embeddings(self, field: int, texts: list[str]) -> NDArray[np.float32]:
        """The texts' embeddings, each computed once (those of the batch run are kept)."""
        cache = self._vectors[field]
        missing = [t for t in dict.fromkeys(texts) if t not in cache]
        if missing:
            from cleara.engine.dedupe.embeddings import embed_texts

            cache.update(zip(missing, embed_texts(missing), strict=True))
        if not texts:
            return np.zeros((0, EMBEDDING_SIZE), dtype=np.float32)
        return np.stack([cache[t] for t in texts])

    # -- state -----------------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        """Everything the index holds, as JSON-ready data."""
        return {
            "version": STATE_VERSION,
            "forms": FORMS_VERSION,
            "fields": [s.as_dict() for s in self.specs],
            "threshold": self.threshold,
            "fellegi_sunter": self.fs_model.as_dict() if self.fs_model else None,
            "classifier": (
                {
                    "model": self.classifier.to_string(),
                    "feature_fields": self.classifier.feature_fields,
                }
                if self.classifier
                else None
            ),
            "rules": [[f"{k.transform}:{k.field}" for k in r.keys] for r in self.rules],
            "settings": self.settings,
            "embedded": [f for f, embedded in enumerate(self.embedded) if embedded],
            "ids": self.ids,
            "clusters": self.clusters,
            "next_cluster": self._next_cluster,
            "merges": self.merges,
            "placeholders": [sorted(p) for p in self.placeholders],
            "values": self.values,
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> MatchIndex:
        """Rebuild an index saved with `to_state` (blocks and frequencies are recomputed)."""
        if state.get("version") != STATE_VERSION:
            raise InputError(f"unsupported match index version {state.get('version')!r}")
        specs = [FieldSpec.from_dict(f) for f in state["fields"]]
        classifier = None
        if state.get("classifier"):
            saved = state["classifier"]
            classifier = supervised.SupervisedModel.from_string(
                saved["model"], list(saved["feature_fields"]), len(specs)
            )
        fs_state = state.get("fellegi_sunter")
        fs_model = fellegi_sunter.FellegiSunterModel.from_dict(fs_state) if fs_state else None
        rules = [
            BlockingRule(tuple(Key(k.split(":", 1)[1], k.split(":", 1)[0]) for k in keys))
            for keys in state["rules"]
        ]
        settings = state.get("settings")  # indexes saved before settings were kept: none
        merges = bool(state.get("merges", False))  # saved before merging: as it was then
        index = cls(
            specs, float(state["threshold"]), fs_model, classifier, rules, settings, merges=merges
        )
        for f, fillers in enumerate(state.get("placeholders") or []):
            index.placeholders[f] = frozenset(str(v) for v in fillers)
        if state.get("embedded") and embeddings_available():
            for f in state["embedded"]:
                index.embedded[int(f)] = True
        values = _stored_forms(specs, state["values"], int(state.get("forms", 1)))
        index._add_all(state["ids"], [list(column) for column in values], state["clusters"])
        index._next_cluster = max(index._next_cluster, int(state.get("next_cluster", 0)))
        return index

    def cluster_members(self) -> dict[int, list[JsonScalar]]:
        """Cluster id -> member ids."""
        return {c: [self.ids[p] for p in members] for c, members in self.members.items()}


def _stored_forms(
    specs: list[FieldSpec], values: list[list[str | None]], version: int
) -> list[list[str | None]]:
    """Stored values in today's comparison forms, where an older form can be converted:
    addresses in one spelling (before 2), company names without their legal form (before 4),
    cities by their own name (before 5)."""
    converted = []
    company_forms = version < 4 and company_forms_apply(specs)
    for spec, column in zip(specs, values, strict=True):
        if version < 2 and spec.type in ADDRESS_TYPES:
            column = [address_words(v) if v else v for v in column]
        if company_forms and spec.type in ORGANIZATION_TYPES:
            column = [(company_words(v) or None) if v else v for v in column]
        if version < 5 and spec.type == "city":
            column = [city_form(v) if v else v for v in column]
        converted.append(list(column))
    return converted


def _without_known_fillers(
    spec: FieldSpec, values: list[str | None], fillers: frozenset[str]
) -> list[str | None]:
    """New records' values with the batch run's fillers and known fillers read as missing."""
    known = known_filler_test(spec)
    return [
        None if value in fillers or (value is not None and known and known(value)) else value
        for value in values
    ]


def _whole_text(values: list[str | None]) -> str:
    """The record's fields joined, as the batch text search sees it."""
    return " ".join(v for v in values if v)


def _key_part(key: Key, value: str | None) -> str | None:
    if value is None:
        return None
    if key.transform == "phonetic":
        return phonetic_key(value)
    return _transform(key.transform, value)
