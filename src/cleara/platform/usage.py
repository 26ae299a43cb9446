"""The usage report of `GET /v1/usage`: quota of the current month, totals of a date range."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from cleara.platform.accounts import Account
from cleara.platform.errors import PlatformError
from cleara.platform.limits import LimiterUnavailableError
from cleara.platform.metering import ROLLUP_FIELDS, days_between
from cleara.platform.quotas import month_period, tier_limits
from cleara.platform.service import Platform

MAX_RANGE_DAYS = 366


def quota_used(platform: Platform, account: Account, period_key: str) -> int:
    """Billable requests this month: the live limiter counter, or the written count."""
    durable = platform.usage.billable_count(account.id, period_key)
    try:
        live = platform.limiter.quota_used(account.id, period_key)
    except LimiterUnavailableError:
        live = None
    return max(durable, live or 0)


def usage_report(
    platform: Platform, account: Account, start: date | None = None, end: date | None = None
) -> dict[str, Any]:
    """Usage of `account` between `start` and `end` (default: the current month)."""
    period = month_period(platform.clock())
    start = start or period.start
    end = end or period.end
    if end < start:
        raise PlatformError(422, "invalid_date_range", "`end` is before `start`.", param="end")
    if (end - start).days >= MAX_RANGE_DAYS:
        raise PlatformError(
            422,
            "invalid_date_range",
            f"A report covers at most {MAX_RANGE_DAYS} days.",
            param="end",
        )
    platform.meter.flush()  # this process' latest requests, so the report includes them
    rollups = platform.usage.rollups(account.id, start, end)
    limit = tier_limits(account, platform.settings.tiers).monthly_quota
    used = quota_used(platform, account, period.key)
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "tier": account.tier,
        "quota": {
            "limit": limit,
            "used": used,
            "remaining": max(0, limit - used),
            "resets_at": period.ends_at,
        },
        "by_endpoint": _by_endpoint(rollups),
        "by_day": _by_day(rollups, start, end),
    }


def _totals() -> dict[str, float]:
    return dict.fromkeys((*ROLLUP_FIELDS, "latency_ms"), 0)


def _by_endpoint(rollups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    totals: dict[str, dict[str, float]] = defaultdict(_totals)
    for row in rollups:
        for name in (*ROLLUP_FIELDS, "latency_ms"):
            totals[row["endpoint"]][name] += row.get(name, 0)
    return [
        {
            "endpoint": endpoint,
            **{name: int(values[name]) for name in ROLLUP_FIELDS},
            "avg_latency_ms": round(values["latency_ms"] / values["requests"], 3)
            if values["requests"]
            else 0.0,
        }
        for endpoint, values in sorted(totals.items())
    ]


def _by_day(rollups: list[dict[str, Any]], start: date, end: date) -> list[dict[str, Any]]:
    days = {day.isoformat(): _totals() for day in days_between(start, end)}
    for row in rollups:
        for name in ROLLUP_FIELDS:
            days[row["date"]][name] += row.get(name, 0)
    return [
        {"date": day, **{name: int(values[name]) for name in ROLLUP_FIELDS}}
        for day, values in days.items()
    ]
