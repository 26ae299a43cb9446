"""Fixtures for the HTTP API tests: settings and an app with store doubles and test routes."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_testkit import build_test_router, make_settings, make_stores
from fastapi import FastAPI
from fastapi.testclient import TestClient

from cleara.api.app import create_app
from cleara.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    application = create_app(settings, stores=make_stores())
    application.include_router(build_test_router())
    return application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """The app's lifespan configures logging; undo it so tests stay independent."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    watched = [logging.getLogger(n) for n in ("uvicorn", "uvicorn.error", "uvicorn.access")]
    saved_watched = [(lg, list(lg.handlers), lg.propagate, lg.level) for lg in watched]
    yield
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    for logger, handlers, propagate, level in saved_watched:
        logger.handlers[:] = handlers
        logger.propagate = propagate
        logger.setLevel(level)
