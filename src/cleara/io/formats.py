"""Table formats and how to recognise them: by name, file extension, MIME type or content."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import orjson

from cleara.io.errors import TableError


class TableFormat(StrEnum):
    """A supported table format."""

    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    JSONL = "jsonl"
    PARQUET = "parquet"
    XLSX = "xlsx"


_BY_NAME: dict[str, TableFormat] = {
    **{fmt.value: fmt for fmt in TableFormat},
    "ndjson": TableFormat.JSONL,
    "jsonlines": TableFormat.JSONL,
    "pq": TableFormat.PARQUET,
    "excel": TableFormat.XLSX,
    "tab": TableFormat.TSV,
}

_BY_EXTENSION: dict[str, TableFormat] = {
    ".csv": TableFormat.CSV,
    ".txt": TableFormat.CSV,  # delimiter sniffed, so tab- or pipe-separated text works too
    ".tsv": TableFormat.TSV,
    ".tab": TableFormat.TSV,
    ".json": TableFormat.JSON,
    ".jsonl": TableFormat.JSONL,
    ".ndjson": TableFormat.JSONL,
    ".parquet": TableFormat.PARQUET,
    ".pq": TableFormat.PARQUET,
    ".xlsx": TableFormat.XLSX,
}

_BY_CONTENT_TYPE: dict[str, TableFormat] = {
    "text/csv": TableFormat.CSV,
    "application/csv": TableFormat.CSV,
    "text/plain": TableFormat.CSV,
    "text/tab-separated-values": TableFormat.TSV,
    "application/json": TableFormat.JSON,
    "text/json": TableFormat.JSON,
    "application/x-ndjson": TableFormat.JSONL,
    "application/ndjson": TableFormat.JSONL,
    "application/jsonl": TableFormat.JSONL,
    "application/x-jsonlines": TableFormat.JSONL,
    "application/jsonlines": TableFormat.JSONL,
    "application/vnd.apache.parquet": TableFormat.PARQUET,
    "application/x-parquet": TableFormat.PARQUET,
    "application/parquet": TableFormat.PARQUET,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": TableFormat.XLSX,
}

KNOWN_EXTENSIONS = tuple(_BY_EXTENSION)


def parse_format(name: str | TableFormat) -> TableFormat:
    """The format called `name` (case-insensitive; aliases such as `ndjson`, `pq` accepted)."""
    if isinstance(name, TableFormat):
        return name
    found = _BY_NAME.get(name.strip().lower().lstrip("."))
    if found is None:
        choices = ", ".join(fmt.value for fmt in TableFormat)
        raise TableError(f"unknown table format {name!r} (expected one of {choices})")
    return found


def format_from_extension(path: str | Path) -> TableFormat | None:
    """The format implied by the file extension, or None when it is not a known one."""
    return _BY_EXTENSION.get(Path(path).suffix.lower())


def format_from_content_type(content_type: str | None) -> TableFormat | None:
    """The format implied by a MIME type such as `text/csv; charset=utf-8`, or None."""
    if not content_type:
        return None
    media_type = content_type.split(";", 1)[0].strip().lower()
    return _BY_CONTENT_TYPE.get(media_type)


def format_from_bytes(data: bytes) -> TableFormat:
    """Guess the format of an upload from its first bytes: magic numbers, then JSON shape."""
    if data.startswith(b"PAR1"):
        return TableFormat.PARQUET
    if data.startswith(b"PK\x03\x04"):
        return TableFormat.XLSX
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"["):
        return TableFormat.JSON
    if head.startswith(b"{"):
        return TableFormat.JSON if _is_records_document(head) else TableFormat.JSONL
    return TableFormat.CSV


def _is_records_document(data: bytes) -> bool:
    """True for one JSON object holding `records`; several objects, one a line, are JSONL."""
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError:
        return False
    return isinstance(document, dict) and "records" in document


def resolve_path_format(path: str | Path, explicit: str | TableFormat | None) -> TableFormat:
    """The explicit format when given, else the one implied by the extension."""
    if explicit is not None:
        return parse_format(explicit)
    found = format_from_extension(path)
    if found is None:
        suffix = Path(path).suffix or "(none)"
        raise TableError(
            f"unknown file extension {suffix}; expected one of {', '.join(KNOWN_EXTENSIONS)} "
            "or an explicit format",
            path=path,
        )
    return found
