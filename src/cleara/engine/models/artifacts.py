"""Versioned model artifacts shipped in `cleara.engine.data`.

An artifact is a payload file (`schema_value_model.npz`, ...) plus a JSON card beside it
(`schema_value_model.json`) with the format version, the date it was built, the seed, a
SHA-256 hash of the training data, the metrics measured when it was built and anything the
runtime needs (class order, feature names). Loading checks the format version, so a stale
artifact fails loudly instead of predicting garbage.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

FORMAT_VERSION = 1
"""Bump when the payload layout changes; loaders refuse other versions."""


class ArtifactError(RuntimeError):
    """An artifact is missing, unreadable or of another format version."""


@dataclass(slots=True)
class ArtifactCard:
    """What is known about one artifact."""

    name: str
    version: str
    created: str
    seed: int
    training_data_sha256: str
    metrics: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> ArtifactCard:
        data = json.loads(text)
        if data.get("format_version") != FORMAT_VERSION:
            raise ArtifactError(
                f"artifact {data.get('name')!r} has format version "
                f"{data.get('format_version')}; this release reads {FORMAT_VERSION}"
            )
        return cls(**data)


def data_dir() -> Path:
    """The folder of the engine's shipped data files (artifacts are written here)."""
    # `cleara.engine.data` is a namespace package, so resolve it beside `cleara.engine`.
    import cleara.engine

    return Path(cleara.engine.__file__).resolve().parent / "data"


def artifact_path(filename: str, directory: Path | None = None) -> Path:
    """Where an artifact file lives (the shipped data folder unless `directory` is given)."""
    return (directory or data_dir()) / filename


def load_card(name: str, directory: Path | None = None) -> ArtifactCard:
    """The card of artifact `name` (e.g. `schema_value_model`)."""
    path = artifact_path(f"{name}.json", directory)
    try:
        return ArtifactCard.from_json(path.read_text("utf-8"))
    except OSError as exc:
        raise ArtifactError(f"artifact card {path} cannot be read: {exc}") from exc


def save_card(card: ArtifactCard, directory: Path | None = None) -> Path:
    """Write the card of an artifact; returns its path."""
    path = artifact_path(f"{card.name}.json", directory)
    path.write_text(card.to_json(), "utf-8")
    return path


def sha256_of(chunks: list[bytes]) -> str:
    """A SHA-256 hex digest over `chunks`, in order."""
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()
