"""Liveness and readiness probes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from cleara.api.schemas import error_responses
from cleara.store.base import StoreError, Stores

logger = logging.getLogger("cleara.api.health")

router = APIRouter(tags=["health"])

CheckResult = Literal["ok", "error"]


class LivenessResponse(BaseModel):
    """The process is up and serving requests."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "ok"}]})

    status: Literal["ok"] = Field("ok", description="Always `ok` when the process answers.")


class ReadinessResponse(BaseModel):
    """Whether the service can reach its stores; each check is `ok` or `error`."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"status": "ready", "checks": {"database": "ok", "cache": "ok", "blobs": "ok"}},
                {
                    "status": "unavailable",
                    "checks": {"database": "error", "cache": "ok", "blobs": "ok"},
                },
            ]
        }
    )

    status: Literal["ready", "unavailable"] = Field(
        description="`ready` when every check passed, else `unavailable` (HTTP 503)."
    )
    checks: dict[str, CheckResult] = Field(
        description="Result per dependency: `database`, `cache`, `blobs`."
    )


@router.get(
    "/healthz",
    response_model=LivenessResponse,
    summary="Liveness probe",
    description="Answers 200 while the process runs; checks no dependency.",
    responses=error_responses(500),
)
async def healthz() -> LivenessResponse:
    return LivenessResponse(status="ok")


@router.get(
    "/readyz",
    response_model=ReadinessResponse,
    summary="Readiness probe",
    description="Pings the database, cache and blob store. 200 when all answer, otherwise 503 "
    "with the same body naming the failing check (details go to the log only).",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "status": "ready",
                        "checks": {"database": "ok", "cache": "ok", "blobs": "ok"},
                    }
                }
            }
        },
        503: {
            "model": ReadinessResponse,
            "description": "A dependency is unreachable.",
            "content": {
                "application/json": {
                    "example": {
                        "status": "unavailable",
                        "checks": {"database": "error", "cache": "ok", "blobs": "ok"},
                    }
                }
            },
        },
        **error_responses(500),
    },
)
def readyz(request: Request, response: Response) -> ReadinessResponse:
    # A plain `def`: store pings block, so FastAPI runs this in its thread pool.
    stores: Stores | None = getattr(request.app.state, "stores", None)
    checks = run_checks(stores)
    ready = all(result == "ok" for result in checks.values())
    if not ready:
        response.status_code = 503
    return ReadinessResponse(status="ready" if ready else "unavailable", checks=checks)


def run_checks(stores: Stores | None) -> dict[str, CheckResult]:
    """Ping each store; a store that is missing or fails to answer is an `error`."""
    if stores is None:
        return {"database": "error", "cache": "error", "blobs": "error"}
    return {
        "database": _check("database", stores.items.ping),
        "cache": _check("cache", stores.cache.ping),
        "blobs": _check("blobs", stores.blobs.ping),
    }


def _check(name: str, ping: Callable[[], None]) -> CheckResult:
    try:
        ping()
    except StoreError as exc:
        logger.warning("Readiness check %s failed: %s", name, exc, extra={"check": name})
        return "error"
    except Exception:
        # An unexpected failure still means "not ready"; keep the traceback for diagnosis.
        logger.exception("Readiness check %s raised unexpectedly", name, extra={"check": name})
        return "error"
    return "ok"
