"""`BlobStore` on a local folder.

Layout under the root: `objects/<key>` holds the bytes, `types/<key>` the content type when
one was given, and `tmp/` the files being written (same file system, so `os.replace` is atomic
and readers never see half a blob).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cleara.store.base import ConflictError, NotFoundError, StoreError

CHUNK_SIZE = 1024 * 1024
_WRITE_ATTEMPTS = 3


def validate_key(key: str) -> str:
    """Return `key` when it is a safe relative `/`-separated path; ValueError otherwise."""
    if not isinstance(key, str) or not key:
        raise ValueError("blob key must be a non-empty string")
    _check_path_text(key, "blob key")
    if any(part in ("", ".", "..") for part in key.split("/")):
        raise ValueError(f"blob key {key!r} has an empty, '.' or '..' segment")
    return key


def validate_prefix(prefix: str) -> str:
    """Return `prefix` when listing it cannot leave the store; ValueError otherwise."""
    if not prefix:
        return prefix
    _check_path_text(prefix, "blob prefix")
    if any(part in (".", "..") for part in prefix.split("/")):
        raise ValueError(f"blob prefix {prefix!r} has a '.' or '..' segment")
    return prefix


def _check_path_text(text: str, what: str) -> None:
    if text.startswith("/"):
        raise ValueError(f"{what} {text!r} must be relative")
    if "\\" in text or "\x00" in text:
        raise ValueError(f"{what} {text!r} must not contain backslashes or NUL")


class LocalBlobStore:
    """Blobs as files under `root`, which is created when missing."""

    def __init__(self, root: Path) -> None:
        self._root = Path(root)
        self._objects = self._root / "objects"
        self._types = self._root / "types"
        self._tmp = self._root / "tmp"
        for folder in (self._objects, self._types, self._tmp):
            folder.mkdir(parents=True, exist_ok=True)

    @property
    def root(self) -> Path:
        """The folder the store lives in."""
        return self._root

    def put(self, key: str, data: bytes, *, content_type: str | None = None) -> None:
        validate_key(key)
        self._write(self._objects / key, bytes(data), key)
        type_path = self._types / key
        if content_type is not None:
            self._write(type_path, content_type.encode("utf-8"), key)
        else:
            type_path.unlink(missing_ok=True)

    def get(self, key: str) -> bytes:
        path = self._existing_object(key)
        try:
            return path.read_bytes()
        except FileNotFoundError as error:
            raise NotFoundError(f"blob {key!r} not found") from error
        except OSError as error:
            raise StoreError(f"cannot read blob {key!r}: {error}") from error

    def open(self, key: str) -> Iterator[bytes]:
        """Stream the blob in chunks of `CHUNK_SIZE` bytes; NotFoundError raised at once."""
        path = self._existing_object(key)
        try:
            handle = path.open("rb")
        except FileNotFoundError as error:
            raise NotFoundError(f"blob {key!r} not found") from error
        return _chunks(handle)

    def content_type(self, key: str) -> str | None:
        """The content type given when the blob was stored, if any."""
        self._existing_object(key)
        try:
            return (self._types / key).read_text("utf-8")
        except (FileNotFoundError, NotADirectoryError):
            return None

    def exists(self, key: str) -> bool:
        validate_key(key)
        return (self._objects / key).is_file()

    def delete(self, key: str) -> bool:
        validate_key(key)
        try:
            (self._objects / key).unlink()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return False
        (self._types / key).unlink(missing_ok=True)
        self._prune_empty_folders(key)
        return True

    def list(self, prefix: str = "") -> list[str]:
        """Keys starting with `prefix` (plain text prefix, not only whole segments), sorted."""
        validate_prefix(prefix)
        start = self._objects / prefix.rpartition("/")[0]
        if not start.is_dir():
            return []
        keys = (
            path.relative_to(self._objects).as_posix()
            for path in start.rglob("*")
            if path.is_file()
        )
        return sorted(key for key in keys if key.startswith(prefix))

    def ping(self) -> None:
        if not self._objects.is_dir() or not os.access(self._tmp, os.W_OK):
            raise StoreError(f"blob folder {self._root} is missing or not writable")

    def _existing_object(self, key: str) -> Path:
        path = self._objects / validate_key(key)
        if not path.is_file():
            raise NotFoundError(f"blob {key!r} not found")
        return path

    def _write(self, target: Path, data: bytes, key: str) -> None:
        """Write `target` atomically; a concurrent delete may prune its folder, so retry."""
        for attempt in range(_WRITE_ATTEMPTS):
            try:
                self._write_once(target, data)
                return
            except FileNotFoundError as error:
                if attempt == _WRITE_ATTEMPTS - 1:
                    raise StoreError(f"cannot write blob {key!r}: {error}") from error
            except (NotADirectoryError, IsADirectoryError, FileExistsError) as error:
                raise ConflictError(
                    f"blob key {key!r} collides with an existing blob or folder"
                ) from error
            except OSError as error:
                raise StoreError(f"cannot write blob {key!r}: {error}") from error

    def _write_once(self, target: Path, data: bytes) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temp_name = tempfile.mkstemp(dir=self._tmp, prefix="blob-")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp_name, target)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise

    def _prune_empty_folders(self, key: str) -> None:
        for base in (self._objects, self._types):
            folder = (base / key).parent
            while folder != base:
                try:
                    folder.rmdir()
                except OSError:
                    break  # not empty, or already gone
                folder = folder.parent


def _chunks(handle: BinaryIO) -> Iterator[bytes]:
    with handle:
        while chunk := handle.read(CHUNK_SIZE):
            yield chunk
