"""Schema detection: the semantic type of every column, with calibrated confidence.

    >>> result = detect_schema([{"E-mail Addr": "ann@example.com", "Tel.": "+1 415 555 2671"}])
    >>> [c.type for c in result.columns]
    ['email', 'phone']

Each column gets value evidence (the trained value classifier on a sample of its values) and
header evidence (synonyms, trigram and MiniLM similarity), combined by weights fitted on
held-out data into probabilities over the taxonomy; the top type, its confidence and the top
three alternatives are reported. Headerless tables (`header=False`, or generic names such as
`col7`) are typed from values alone. Models load lazily on the first call.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from cleara.engine.fields.base import JsonScalar, as_text, is_null
from cleara.engine.schema import header_model
from cleara.engine.schema.auto_schema import ColumnProfile, profile_column, table_schema
from cleara.engine.schema.code_lists import apply_code_lists
from cleara.engine.schema.combine import Combiner
from cleara.engine.schema.features import feature_names, type_validity
from cleara.engine.schema.numeric_form import apply_numeric_form
from cleara.engine.schema.person_names import apply_person_names
from cleara.engine.schema.table_context import apply_table_context
from cleara.engine.schema.types import SEMANTIC_TYPES
from cleara.engine.schema.value_model import load_value_models
from cleara.engine.table import to_table

DEFAULT_SAMPLE_ROWS = 1000
CLEANER_MIN_CONFIDENCE = 0.5
"""`detect_column_types` reports `text` for columns typed with less confidence than this."""

VALUE_SOURCES = ("lightgbm", "embed_head", "ensemble")


@dataclass(frozen=True, slots=True)
class Alternative:
    type: str
    confidence: float

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, "confidence": self.confidence}


@dataclass(slots=True)
class ColumnSchema:
    """The detected type of one column and why."""

    name: str
    type: str
    confidence: float
    alternatives: list[Alternative]
    evidence: dict[str, Any]
    nullable: bool
    unique: bool
    profile: ColumnProfile = field(repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "confidence": self.confidence,
            "alternatives": [a.as_dict() for a in self.alternatives],
            "nullable": self.nullable,
            "unique": self.unique,
            "evidence": self.evidence,
        }


@dataclass(slots=True)
class SchemaResult:
    """Detected column types, in the table's column order."""

    columns: list[ColumnSchema]
    rows_sampled: int
    header: bool
    model: dict[str, Any] = field(default_factory=dict)

    def types(self) -> dict[str, str]:
        """Column -> detected type."""
        return {c.name: c.type for c in self.columns}

    def mapping(self) -> dict[str, Any]:
        """Cleara's schema mapping, accepted by `clean(schema=...)` and `column_types()`."""
        return {
            "columns": {c.name: {"type": c.type, "confidence": c.confidence} for c in self.columns}
        }

    def json_schema(self, title: str | None = None) -> dict[str, Any]:
        """A JSON Schema (draft 2020-12) describing the table's records."""
        return table_schema(
            [(c.name, c.type, c.confidence, c.profile) for c in self.columns], title
        )

    def as_dict(self) -> dict[str, Any]:
        """The public JSON shape (CLI and API): columns in order plus the JSON Schema."""
        return {
            "columns": [c.as_dict() for c in self.columns],
            "json_schema": self.json_schema(),
            "rows_sampled": self.rows_sampled,
            "model": self.model,
        }


def _sample(rows: Sequence[Mapping[str, JsonScalar]], limit: int) -> list[Mapping[str, JsonScalar]]:
    """Up to `limit` rows spread evenly over the table (deterministic)."""
    if limit <= 0 or len(rows) <= limit:
        return list(rows)
    step = len(rows) / limit
    return [rows[int(i * step)] for i in range(limit)]


def _runtime_mode(value_model: str | None, use_embeddings: bool | None) -> tuple[str, bool]:
    models = load_value_models()
    source = value_model or str(models.card.params.get("default_value_source", "lightgbm"))
    if source not in VALUE_SOURCES:
        raise ValueError(f"unknown value model {source!r}; expected one of {VALUE_SOURCES}")
    embed_ok = header_model.embeddings_enabled()
    if source != "lightgbm" and (models.head is None or not embed_ok):
        source = "lightgbm"  # the embedding head needs the MiniLM package
    embed = embed_ok if use_embeddings is None else (use_embeddings and embed_ok)
    return source, embed


def _combiner(source: str, embed: bool) -> Combiner:
    combiners: dict[str, list[float]] = load_value_models().card.params["combiners"]
    key = f"{source}/{'embed' if embed else 'plain'}"
    weights = combiners.get(key) or combiners["lightgbm/plain"]
    return Combiner.from_list(weights)


def _round(value: float) -> float:
    return round(float(value), 4)


def _evidence(
    value_probs: NDArray[np.float64],
    header: header_model.HeaderEvidence,
    has_values: bool,
    context: list[str],
) -> dict[str, Any]:
    values: dict[str, Any] = {"type": None, "confidence": 0.0}
    if has_values:
        best = int(value_probs.argmax())
        values = {"type": SEMANTIC_TYPES[best], "confidence": _round(value_probs[best])}
    head: dict[str, Any] = {"type": None, "score": 0.0, "source": None}
    if header.informative:
        signals = {"synonym": header.exact, "ngram": header.ngram}
        if header.embed is not None:
            signals["embedding"] = header.embed
        source, scores = max(signals.items(), key=lambda item: float(item[1].max()))
        if float(scores.max()) > 0:
            best = int(scores.argmax())
            head = {"type": SEMANTIC_TYPES[best], "score": _round(scores[best]), "source": source}
    return {"header": head, "values": values, "table": context}


def detect_schema(
    data: Iterable[Mapping[str, Any]] | Any,
    *,
    sample_rows: int = DEFAULT_SAMPLE_ROWS,
    header: bool = True,
    value_model: str | None = None,
    use_embeddings: bool | None = None,
) -> SchemaResult:
    """Detect the semantic type of every column of records (list of dicts) or a DataFrame.

    `header=False` ignores the column names (typing from values alone). `value_model` picks
    the value classifier (`lightgbm`, `embed_head`, `ensemble`; default from the model card);
    `use_embeddings` turns MiniLM header matching on or off (default: on when installed).
    """
    table = to_table(data)
    return detect_columns(
        table.columns,
        table.rows,
        sample_rows=sample_rows,
        header=header,
        value_model=value_model,
        use_embeddings=use_embeddings,
    )


def detect_columns(
    columns: Sequence[str],
    rows: Sequence[Mapping[str, JsonScalar]],
    *,
    sample_rows: int = DEFAULT_SAMPLE_ROWS,
    header: bool = True,
    value_model: str | None = None,
    use_embeddings: bool | None = None,
) -> SchemaResult:
    """`detect_schema` for a column list and rows already in Cleara's plain shape."""
    source, embed = _runtime_mode(value_model, use_embeddings)
    sample = _sample(rows, sample_rows)
    values = [[row.get(c) for row in sample] for c in columns]
    models = load_value_models()
    features = models.feature_matrix(values) if values else np.zeros((0, len(feature_names())))
    value_probs = models.probabilities(values, source=source, features=features)
    validity = type_validity(features)
    names: list[str | None] = list(columns) if header else [None] * len(columns)
    evidence = header_model.header_evidence(names, use_embeddings=embed)
    combiner = _combiner(source, embed)
    uniform = np.full(len(SEMANTIC_TYPES), 1.0 / len(SEMANTIC_TYPES))
    combined, has_values = [], []
    for index in range(len(columns)):
        support = distinct_count(values[index])
        has_values.append(support > 0)
        probs = value_probs[index] if support else uniform
        column_probs = combiner.probabilities(probs, evidence[index], support, validity[index])
        if not support and not _strong_header(evidence[index]):
            column_probs = _empty_column_probabilities()
        combined.append(column_probs)
    profiles = [profile_column(v) for v in values]
    checks: list[list[str]] = [[] for _ in columns]
    combined = apply_code_lists(combined, features, evidence, checks)
    combined = apply_person_names(combined, features, evidence, values, checks)
    numbers = [p.numbers for p in profiles]
    combined = apply_numeric_form(combined, numbers, evidence, checks)
    combined, context = apply_table_context(combined, numbers)
    context = [c + t for c, t in zip(checks, context, strict=True)]
    detected = [
        _column(
            name, combined[i], value_probs[i], evidence[i], profiles[i], has_values[i], context[i]
        )
        for i, name in enumerate(columns)
    ]
    model = {"value_model": source, "header_embeddings": embed, **_card_summary()}
    return SchemaResult(detected, len(sample), header, model)


def distinct_count(values: Sequence[JsonScalar]) -> int:
    """Distinct non-null values (as text): how much value evidence a column offers."""
    return len({as_text(v).strip() for v in values if not is_null(v)})


STRONG_HEADER_NGRAM = 0.75
"""Trigram similarity from which a header alone types a column that has no values."""


def _strong_header(evidence: header_model.HeaderEvidence) -> bool:
    """A header that names a type by itself (synonym, or a near-identical spelling)."""
    if not evidence.informative:
        return False
    return bool(evidence.exact.max() > 0 or evidence.ngram.max() >= STRONG_HEADER_NGRAM)


def _empty_column_probabilities() -> NDArray[np.float64]:
    """Nothing to go on: `text` is the safe type (cleaned without reinterpretation)."""
    probs = np.full(len(SEMANTIC_TYPES), 0.5 / (len(SEMANTIC_TYPES) - 1))
    probs[SEMANTIC_TYPES.index("text")] = 0.5
    return probs


def _card_summary() -> dict[str, Any]:
    card = load_value_models().card
    return {"version": card.version, "created": card.created}


def _column(
    name: str,
    combined: NDArray[np.float64],
    value_probs: NDArray[np.float64],
    evidence: header_model.HeaderEvidence,
    profile: ColumnProfile,
    has_values: bool,
    context: list[str],
) -> ColumnSchema:
    order = np.argsort(-combined)[:3]
    alternatives = [Alternative(SEMANTIC_TYPES[i], _round(combined[i])) for i in order]
    return ColumnSchema(
        name=name,
        type=alternatives[0].type,
        confidence=alternatives[0].confidence,
        alternatives=alternatives,
        evidence=_evidence(value_probs, evidence, has_values, context),
        nullable=profile.nulls > 0 or not has_values,
        unique=profile.unique,
        profile=profile,
    )


def detect_column_types(
    columns: Sequence[str],
    rows: Sequence[Mapping[str, JsonScalar]],
    *,
    sample_rows: int = 200,
    min_confidence: float = CLEANER_MIN_CONFIDENCE,
) -> dict[str, str]:
    """Column -> semantic type for the table cleaner (fast: samples `sample_rows` rows).

    Columns detected with less than `min_confidence` are reported as `text`, so an unsure
    guess never makes the cleaner reinterpret values.
    """
    result = detect_columns(columns, rows, sample_rows=sample_rows)
    return {c.name: c.type if c.confidence >= min_confidence else "text" for c in result.columns}
