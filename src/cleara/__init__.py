"""Cleara: clean, validate, de-duplicate and enrich messy records.

The public Python API::

    import cleara

    cleara.validate("phone", "(415) 555-2671", country="US")[0].value   # '+14155552671'
    result = cleara.clean(records_or_dataframe, country="US")
    result.records, result.changes, result.problems, result.summary
    cleara.clean_file("contacts.csv", "clean.csv", report="report.json")
    cleara.detect_schema(records_or_dataframe).mapping()
    cleara.dedupe(records).clusters
    cleara.enrich(records, predict_missing=True).enrichments

`detect_schema`, `dedupe` and `enrich` load their models on first use.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from cleara.engine.clean import CleanOptions, CleanResult, clean
from cleara.engine.fields.base import FieldOptions, FieldResult
from cleara.engine.table import InputError
from cleara.engine.validate import validate

if TYPE_CHECKING:
    from cleara.engine.dedupe import DedupeResult, dedupe
    from cleara.engine.enrich import EnrichResult, enrich
    from cleara.engine.schema.detect import SchemaResult, detect_schema
    from cleara.files import clean_file

try:
    __version__ = version("cleara")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

# Heavier entry points, imported on first attribute access to keep `import cleara` fast
# (file I/O brings pyarrow and openpyxl).
_LAZY = {
    "clean_file": "cleara.files",
    "detect_schema": "cleara.engine.schema.detect",
    "SchemaResult": "cleara.engine.schema.detect",
    "dedupe": "cleara.engine.dedupe",
    "DedupeResult": "cleara.engine.dedupe",
    "enrich": "cleara.engine.enrich",
    "EnrichResult": "cleara.engine.enrich",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cleara' has no attribute {name!r}")
    return getattr(import_module(module), name)


__all__ = [
    "CleanOptions",
    "CleanResult",
    "DedupeResult",
    "EnrichResult",
    "FieldOptions",
    "FieldResult",
    "InputError",
    "SchemaResult",
    "__version__",
    "clean",
    "clean_file",
    "dedupe",
    "detect_schema",
    "enrich",
    "validate",
]
