"""JSON access logs and the request id carried by every log line of a request."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from cleara.api.logging import (
    ACCESS_LOGGER_NAME,
    JsonFormatter,
    bind_request_id,
    configure_logging,
    current_request_id,
    reset_request_id,
)


class _JsonLines(logging.Handler):
    """Formats each record as it is emitted, i.e. inside the request's context."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def json_lines() -> Iterator[_JsonLines]:
    handler = _JsonLines()
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(previous_level)


def _parsed(lines: list[str]) -> list[dict[str, object]]:
    return [json.loads(line) for line in lines]


def test_one_access_line_per_request_with_fields(
    client: TestClient, json_lines: _JsonLines
) -> None:
    json_lines.lines.clear()
    response = client.get("/healthz", headers={"Request-Id": "log-1"})
    access = [e for e in _parsed(json_lines.lines) if e["logger"] == ACCESS_LOGGER_NAME]
    assert len(access) == 1
    entry = access[0]
    assert entry["request_id"] == "log-1" == response.headers["Request-Id"]
    assert entry["method"] == "GET"
    assert entry["path"] == "/healthz"
    assert entry["status"] == 200
    assert isinstance(entry["duration_ms"], float)
    assert entry["duration_ms"] >= 0
    assert entry["client"] == "testclient"
    assert entry["level"] == "INFO"
    assert {"ts", "message"} <= set(entry)


def test_error_statuses_are_logged(client: TestClient, json_lines: _JsonLines) -> None:
    json_lines.lines.clear()
    client.get("/test/boom")
    client.get("/missing")
    statuses = [e["status"] for e in _parsed(json_lines.lines) if e["logger"] == ACCESS_LOGGER_NAME]
    assert statuses == [500, 404]


def test_unhandled_exception_log_has_traceback_and_request_id(
    client: TestClient, json_lines: _JsonLines
) -> None:
    json_lines.lines.clear()
    client.get("/test/boom", headers={"Request-Id": "tb-1"})
    errors = [e for e in _parsed(json_lines.lines) if e["level"] == "ERROR"]
    assert len(errors) == 1
    assert errors[0]["request_id"] == "tb-1"
    assert "secret-internal-detail" in str(errors[0]["exception"])
    assert "Traceback" in str(errors[0]["exception"])


def test_route_log_lines_carry_the_request_id(client: TestClient, json_lines: _JsonLines) -> None:
    json_lines.lines.clear()
    client.post("/test/echo", json={"name": "n"}, headers={"Request-Id": "ctx-7"})
    route_lines = [e for e in _parsed(json_lines.lines) if e["logger"] == "cleara.test.route"]
    assert len(route_lines) == 1
    assert route_lines[0]["request_id"] == "ctx-7"
    assert current_request_id() is None


def test_bodies_and_authorization_are_never_logged(
    client: TestClient, json_lines: _JsonLines
) -> None:
    json_lines.lines.clear()
    client.post(
        "/test/echo",
        json={"name": "body-secret-value"},
        headers={"Authorization": "Bearer sk_live_header_secret"},
    )
    client.post(
        "/test/echo",
        content=b'{"name": "broken-secret',
        headers={"Content-Type": "application/json"},
    )
    text = "\n".join(json_lines.lines)
    assert json_lines.lines
    assert "sk_live_header_secret" not in text
    assert "body-secret-value" not in text
    assert "broken-secret" not in text


def test_formatter_uses_context_request_id_and_extras() -> None:
    token = bind_request_id("bound-1")
    try:
        record = logging.LogRecord("x", logging.WARNING, __file__, 1, "hi %s", ("there",), None)
        record.job_id = "job_9"
        entry = json.loads(JsonFormatter().format(record))
    finally:
        reset_request_id(token)
    assert entry["message"] == "hi there"
    assert entry["request_id"] == "bound-1"
    assert entry["job_id"] == "job_9"
    assert entry["level"] == "WARNING"
    assert "exception" not in entry


def test_formatter_serialises_unusual_extras() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", None, None)
    record.payload = {1: object()}
    entry = json.loads(JsonFormatter().format(record))
    assert "1" in entry["payload"]


def test_configure_logging_is_idempotent_and_writes_json(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("DEBUG")
    configure_logging("WARNING")
    root = logging.getLogger()
    ours = [h for h in root.handlers if isinstance(h.formatter, JsonFormatter)]
    assert len(ours) == 1
    assert root.level == logging.WARNING
    assert logging.getLogger("uvicorn.access").propagate is False
    logging.getLogger("cleara.check").warning("written", extra={"k": 1})
    logging.getLogger("cleara.check").info("filtered out")
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [e["message"] for e in out] == ["written"]
    assert out[0]["k"] == 1
