"""Cleara: clean, validate, de-duplicate and enrich messy records.

The public Python API::

    import cleara

    cleara.validate("phone", "(415) 555-2671", country="US")[0].value   # '+14155552671'
    result = cleara.clean(records_or_dataframe, country="US")
    result.records, result.changes, result.problems, result.summary
    cleara.clean_file("contacts.csv", "clean.csv", report="report.json")
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from cleara.engine.clean import CleanOptions, CleanResult, clean
from cleara.engine.fields.base import FieldOptions, FieldResult
from cleara.engine.table import InputError
from cleara.engine.validate import validate
from cleara.files import clean_file

try:
    __version__ = version("cleara")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = [
    "CleanOptions",
    "CleanResult",
    "FieldOptions",
    "FieldResult",
    "InputError",
    "__version__",
    "clean",
    "clean_file",
    "validate",
]
