"""Where a table's bytes come from: a file on disk or an in-memory upload."""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

from cleara.io.errors import TableError

Source = Path | bytes


def open_binary(source: Source, name: str) -> BinaryIO:
    """Open `source` for binary reading; file-system failures become TableError."""
    if isinstance(source, bytes):
        return io.BytesIO(source)
    try:
        return source.open("rb")
    except FileNotFoundError:
        raise TableError("file not found", path=name) from None
    except IsADirectoryError:
        raise TableError("is a directory, not a file", path=name) from None
    except OSError as error:
        raise TableError(f"cannot open file: {error.strerror or error}", path=name) from None


def check_readable(source: Source, name: str) -> None:
    """Fail early, with a clear message, when a file source is missing or unreadable."""
    open_binary(source, name).close()
