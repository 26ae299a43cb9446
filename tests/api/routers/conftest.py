"""A client for the data endpoints: the default body limit and a small record limit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_testkit import make_settings
from fastapi.testclient import TestClient

from cleara.settings import Settings
from platform_fixtures import authenticated_client

MAX_RECORDS = 50


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, max_body_bytes=10 * 1024 * 1024, max_records=MAX_RECORDS)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """A client whose requests carry a valid API key (embedded stores in `tmp_path`)."""
    with authenticated_client(settings) as test_client:
        yield test_client
