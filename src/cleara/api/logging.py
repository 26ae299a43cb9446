"""Structured JSON logs: one JSON object per line, stamped with the current request id."""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import orjson

ACCESS_LOGGER_NAME = "cleara.access"
"""Logger of the one-line-per-request access log."""

_request_id: ContextVar[str | None] = ContextVar("cleara_request_id", default=None)

# Attributes every LogRecord has (plus uvicorn's ANSI-coloured duplicate message); anything
# else on a record came from `extra=` and is logged.
_STANDARD_RECORD_ATTRS = frozenset(
    vars(logging.LogRecord("", logging.INFO, "", 0, "", None, None))
) | {"message", "asctime", "taskName", "color_message"}

# Servers configure these loggers themselves; they are routed through the JSON handler instead.
_SERVER_LOGGERS = ("uvicorn", "uvicorn.error")
# The server's own access log duplicates ours (and lacks the request id), so it is silenced.
_SERVER_ACCESS_LOGGER = "uvicorn.access"


def current_request_id() -> str | None:
    """The id of the request being handled in this context, or None outside a request."""
    return _request_id.get()


def bind_request_id(request_id: str | None) -> Any:
    """Set the request id of the current context; returns the token for `reset_request_id`."""
    return _request_id.set(request_id)


def reset_request_id(token: Any) -> None:
    """Restore the request id that was current before `bind_request_id`."""
    _request_id.reset(token)


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON line: ts, level, logger, message, request_id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        return orjson.dumps(
            self.to_dict(record), default=str, option=orjson.OPT_NON_STR_KEYS
        ).decode()

    def to_dict(self, record: logging.LogRecord) -> dict[str, Any]:
        """The JSON object of a record, before serialisation."""
        payload: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or current_request_id()
        if request_id:
            payload["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD_RECORD_ATTRS and not key.startswith("_"):
                payload.setdefault(key, value)
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            payload["stack"] = self.formatStack(record.stack_info)
        return payload


class _JsonStreamHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler `configure_logging` installs; its own class so it can be replaced safely."""


def configure_logging(level: str | int = "INFO") -> None:
    """Send all logs to stdout as JSON lines at `level`. Safe to call more than once."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _JsonStreamHandler)]:
        root.removeHandler(handler)
    handler = _JsonStreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    for name in _SERVER_LOGGERS:
        server_logger = logging.getLogger(name)
        server_logger.handlers.clear()
        server_logger.propagate = True
    access = logging.getLogger(_SERVER_ACCESS_LOGGER)
    access.handlers.clear()
    access.propagate = False
    access.setLevel(logging.WARNING)
