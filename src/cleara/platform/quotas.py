"""Quota periods (calendar months, UTC) and the limits in force for an account."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from cleara.platform.accounts import Account
from cleara.platform.clock import utc_day
from cleara.platform.limits import LimitPolicy
from cleara.settings import TierLimits

_DAY_SECONDS = 86_400


@dataclass(frozen=True, slots=True)
class Period:
    """A calendar month: `key` like `2026-07`, first and last day, end as Unix seconds."""

    key: str
    start: date
    end: date
    starts_at: float
    ends_at: float


def month_period(moment: float) -> Period:
    """The calendar month (UTC) containing `moment`."""
    return _month_of_day(math.floor(moment / _DAY_SECONDS))


@lru_cache(maxsize=64)
def _month_of_day(day_number: int) -> Period:
    # Cached per UTC day (Unix days are exactly 86,400 s): admission asks on every request.
    day = utc_day(day_number * _DAY_SECONDS)
    start = day.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    starts_at = datetime(start.year, start.month, 1, tzinfo=UTC).timestamp()
    ends_at = datetime(following.year, following.month, 1, tzinfo=UTC).timestamp()
    return Period(f"{start:%Y-%m}", start, following - timedelta(days=1), starts_at, ends_at)


def tier_limits(account: Account, tiers: Mapping[str, TierLimits]) -> TierLimits:
    """The account's tier limits with its own overrides (enterprise contracts) applied."""
    base = tiers.get(account.tier) or tiers["free"]
    return TierLimits(
        monthly_quota=(
            account.monthly_quota if account.monthly_quota is not None else base.monthly_quota
        ),
        per_second=account.per_second if account.per_second is not None else base.per_second,
    )


def policy_for(account: Account, tiers: Mapping[str, TierLimits], now: float) -> LimitPolicy:
    """The limit policy of one request of `account` at `now`."""
    limits = tier_limits(account, tiers)
    period = month_period(now)
    return LimitPolicy(
        per_second=limits.per_second,
        monthly_quota=limits.monthly_quota,
        period_key=period.key,
        period_reset_seconds=max(0.0, period.ends_at - now),
        period_seconds=period.ends_at - period.starts_at,
    )
