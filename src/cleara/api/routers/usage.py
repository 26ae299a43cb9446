"""`GET /v1/usage`: the caller's quota and usage totals; never another account's."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from cleara.api.platform_deps import CallerAccount, api_error, get_platform
from cleara.api.schemas import error_responses
from cleara.platform.errors import PlatformError
from cleara.platform.service import Platform
from cleara.platform.usage import usage_report

router = APIRouter(prefix="/v1", tags=["usage"])


class PeriodOut(BaseModel):
    start: date
    end: date


class QuotaOut(BaseModel):
    limit: int
    used: int
    remaining: int
    resets_at: float


class EndpointUsageOut(BaseModel):
    endpoint: str
    requests: int
    billable: int
    errors: int
    records: int
    bytes_in: int
    bytes_out: int
    avg_latency_ms: float


class DayUsageOut(BaseModel):
    date: date
    requests: int
    billable: int
    errors: int
    records: int
    bytes_in: int
    bytes_out: int


class UsageOut(BaseModel):
    period: PeriodOut
    tier: str
    quota: QuotaOut
    by_endpoint: list[EndpointUsageOut]
    by_day: list[DayUsageOut]


@router.get("/usage", response_model=UsageOut, responses=error_responses(401, 422, 429))
async def get_usage(
    account: CallerAccount,
    platform: Annotated[Platform, Depends(get_platform)],
    start: Annotated[
        date | None, Query(description="First day (UTC); default: month start.")
    ] = None,
    end: Annotated[date | None, Query(description="Last day (UTC); default: month end.")] = None,
) -> dict[str, Any]:
    """Usage of the caller's account (API key or session token). Calls are not billed.

    `quota` is always the current month's; `by_endpoint` and `by_day` cover `start`..`end`.
    """
    try:
        return await run_in_threadpool(usage_report, platform, account, start, end)
    except PlatformError as error:
        raise api_error(error) from None
