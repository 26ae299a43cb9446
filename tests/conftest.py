"""Shared fixtures: real PostgreSQL and Redis when reachable.

Outside CI a missing server skips its tests with a message saying how to enable them;
in CI (`CI=true`) a missing server fails them.
"""

from __future__ import annotations

import os
import socket
import uuid
from urllib.parse import urlparse

import pytest
from hypothesis import settings as hypothesis_settings

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"

os.environ.setdefault("HF_HUB_OFFLINE", "1")

# Property tests: no per-example deadline (a shared 2-core machine makes timings noisy); in CI
# the examples are derived from the test itself, so a run is reproducible.
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI", "").lower() == "true" else "dev")


def _reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 0), 1.0):
            return True
    except OSError:
        return False


def require_service(name: str, url: str, env_var: str) -> str:
    """Return `url` when its server answers; otherwise skip (or fail in CI)."""
    if _reachable(url):
        return url
    message = (
        f"{name} is not reachable at {url}. Start it, or point {env_var} at a running "
        f"server, to run these tests."
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI requires {name}: {message}")
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url = os.environ.get("CLEARA_TEST_DATABASE_URL", DEFAULT_PG_URL)
    return require_service("PostgreSQL", url, "CLEARA_TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get("CLEARA_TEST_REDIS_URL", DEFAULT_REDIS_URL)
    return require_service("Redis", url, "CLEARA_TEST_REDIS_URL")


@pytest.fixture
def unique_name() -> str:
    """A unique token for keys and schema names, so tests never see each other's data."""
    return uuid.uuid4().hex[:12]
