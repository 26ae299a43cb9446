"""Time sources. Platform services take a `Clock` so tests can move time forward."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime

Clock = Callable[[], float]
"""Returns the current time as Unix seconds."""


def system_clock() -> float:
    """The wall clock, in Unix seconds."""
    return time.time()


def utc_datetime(moment: float) -> datetime:
    """A timezone-aware UTC datetime for Unix seconds."""
    return datetime.fromtimestamp(moment, UTC)


def utc_day(moment: float) -> date:
    """The UTC calendar day of a moment."""
    return utc_datetime(moment).date()
