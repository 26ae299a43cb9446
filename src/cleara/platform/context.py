"""What the platform knows about the request being served.

The HTTP layer creates one `RequestContext` per request; admission fills it in, and the
response side reads it to add headers, store responses and record usage. Route code reports
how many records it processed with `note_records(n)`.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Literal

from cleara.platform.accounts import Account
from cleara.platform.api_keys import ApiKey
from cleara.platform.idempotency import StoredResponse
from cleara.platform.limits import Decision, LimitPolicy

CacheState = Literal["hit", "miss", "bypass"]


@dataclass(slots=True)
class RequestContext:
    started: float
    key: ApiKey | None = None
    account: Account | None = None
    billable: bool = True
    policy: LimitPolicy | None = None
    decision: Decision | None = None
    records: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    status: int = 500
    idempotency_key: str | None = None
    fingerprint: str | None = None
    cache_key: str | None = None
    cache_state: CacheState | None = None
    replay: StoredResponse | None = None
    replayed_idempotent: bool = False
    admitted: bool = field(default=False)


_current: ContextVar[RequestContext | None] = ContextVar("cleara_platform_request", default=None)


def bind_context(context: RequestContext) -> None:
    """Make `context` the current request's (visible to the route and its threads)."""
    _current.set(context)


def current_context() -> RequestContext | None:
    return _current.get()


def note_records(count: int) -> None:
    """Report how many records the current request processed (for usage metering)."""
    context = _current.get()
    if context is not None:
        context.records = max(0, int(count))
