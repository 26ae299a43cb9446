"""The platform in the HTTP layer: API-key and session dependencies, the platform middleware
(limit headers, cached and idempotent responses, usage metering) and its lifespan.

Protecting a `/v1` data router takes one line:

    router = APIRouter(prefix="/v1", tags=["..."], dependencies=[DATA_ENDPOINT])

The key's scope is the first path segment after `/v1/` (`/v1/schema-detect` needs the scope
`schema-detect`, or `*`). Routes report processed records with `note_records(n)`.
"""

from __future__ import annotations

import math
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cleara.api.errors import ApiError, ErrorCode, request_id_of
from cleara.platform.accounts import Account
from cleara.platform.api_keys import ApiKey, looks_like_api_key
from cleara.platform.clock import system_clock
from cleara.platform.context import RequestContext, bind_context, note_records
from cleara.platform.errors import PlatformError
from cleara.platform.idempotency import (
    IDEMPOTENCY_HEADER,
    MAX_STORED_BYTES,
    StoredResponse,
    replayable_headers,
)
from cleara.platform.metering import UsageEvent
from cleara.platform.service import AdmissionRequest, Platform, bearer_token, build_platform
from cleara.platform.signing import SIGNATURE_HEADER
from cleara.settings import TierLimits
from cleara.store.base import Stores

__all__ = [
    "DATA_ENDPOINT",
    "ApiKeyGuard",
    "CurrentAccount",
    "CurrentKey",
    "CurrentSession",
    "PlatformMiddleware",
    "get_platform",
    "install_platform",
    "note_records",
    "platform_lifespan",
]

CONTEXT_STATE_KEY = "cleara_platform"
CACHE_STATUS_HEADER = "Cache-Status"
CACHE_NAME = "Cleara"
REPLAYED_HEADER = "Idempotent-Replayed"
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def get_platform(request: Request) -> Platform:
    """The application's platform; 503 while it is not running (e.g. during startup)."""
    platform: Platform | None = getattr(request.app.state, "platform", None)
    if platform is None:
        raise ApiError(503, ErrorCode.SERVICE_UNAVAILABLE, "The service is not ready.")
    return platform


def api_error(error: PlatformError) -> ApiError:
    """The API error of a platform refusal, with `Retry-After` / `WWW-Authenticate`."""
    headers: dict[str, str] = {}
    if error.retry_after is not None:
        headers["Retry-After"] = str(max(1, math.ceil(error.retry_after)))
    if error.status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="cleara"'
    return ApiError(error.status, error.code, error.message, param=error.param, headers=headers)


def request_context(request: Request) -> RequestContext:
    """The platform context of this request (created here when no middleware made one)."""
    state = request.scope.setdefault("state", {})
    context = state.get(CONTEXT_STATE_KEY)
    if not isinstance(context, RequestContext):
        context = RequestContext(started=time.perf_counter())
        state[CONTEXT_STATE_KEY] = context
    return context


class ReplayResponseError(Exception):
    """Raised by admission to answer with a stored (idempotent or cached) response."""

    def __init__(self, stored: StoredResponse) -> None:
        super().__init__("stored response")
        self.stored = stored


async def _replay_handler(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ReplayResponseError)
    stored = exc.stored
    response = Response(content=stored.body, status_code=stored.status)
    for name, value in stored.headers:
        response.headers[name] = value
    return response


def _route_scope(request: Request) -> str:
    route = request.scope.get("route")
    path: str = getattr(route, "path", None) or request.url.path
    parts = [part for part in path.split("/") if part]
    if parts and parts[0] == "v1":
        parts = parts[1:]
    return parts[0] if parts else "root"


@dataclass(frozen=True, slots=True)
class ApiKeyGuard:
    """Dependency that admits an API-key request: key, scope, signature, burst limit,
    quota, then idempotent replays and the response cache. Runs once per request.

    `scope`: the scope needed (default: from the path). `billable`: counts against the
    monthly quota. `cacheable`: the endpoint is deterministic, so identical requests of one
    account may be answered from the response cache.
    """

    scope: str | None = None
    billable: bool = True
    cacheable: bool = False

    async def __call__(self, request: Request) -> ApiKey:
        context = request_context(request)
        if context.admitted and context.key is not None:
            return context.key
        platform = get_platform(request)
        bind_context(context)
        body = await request.body() if request.method in _BODY_METHODS else b""
        headers = request.headers
        admission = AdmissionRequest(
            authorization=headers.get("authorization"),
            scope=self.scope or _route_scope(request),
            method=request.method,
            path=request.url.path,
            query=request.url.query,
            content_type=headers.get("content-type", ""),
            body=body,
            signature=headers.get(SIGNATURE_HEADER),
            idempotency_key=headers.get(IDEMPOTENCY_HEADER),
            cache_control=headers.get("cache-control", ""),
            billable=self.billable,
            cacheable=self.cacheable,
        )
        try:
            await platform.admit(context, admission)
        except PlatformError as error:
            raise api_error(error) from None
        if context.replay is not None:
            raise ReplayResponseError(context.replay)
        assert context.key is not None
        return context.key


require_api_key = ApiKeyGuard()
data_endpoint_guard = ApiKeyGuard(cacheable=True)
DATA_ENDPOINT = Depends(data_endpoint_guard)
"""Router dependency of deterministic `/v1` data endpoints (auth, limits, caching)."""

CurrentKey = Annotated[ApiKey, Depends(require_api_key)]
"""The API key of the request (admits it when no router-level guard did)."""


@dataclass(frozen=True, slots=True)
class Session:
    account: Account
    session_id: str


async def current_session(request: Request) -> Session:
    """The logged-in account of an access token (`Authorization: Bearer <jwt>`)."""
    platform = get_platform(request)
    try:
        account, session_id = await run_in_threadpool(
            platform.session_account, request.headers.get("authorization")
        )
    except PlatformError as error:
        raise api_error(error) from None
    return Session(account, session_id)


async def current_account(session: Annotated[Session, Depends(current_session)]) -> Account:
    return session.account


CurrentSession = Annotated[Session, Depends(current_session)]
CurrentAccount = Annotated[Account, Depends(current_account)]
"""The account of the logged-in user (session token, not API key)."""

_usage_guard = ApiKeyGuard(scope="usage", billable=False)


async def caller_account(request: Request) -> Account:
    """The caller's account, from an API key (not billable) or from a session token."""
    token = bearer_token(request.headers.get("authorization"))
    if token is not None and looks_like_api_key(token):
        await _usage_guard(request)
        account = request_context(request).account
        assert account is not None
        return account
    if token is None:
        raise api_error(
            PlatformError(401, "missing_api_key", "Send an API key or an access token.")
        )
    return (await current_session(request)).account


CallerAccount = Annotated[Account, Depends(caller_account)]


def rate_limit_headers(context: RequestContext) -> dict[str, str]:
    """`RateLimit-Policy` and `RateLimit` (IETF httpapi draft) for an admitted request."""
    policy, decision = context.policy, context.decision
    if policy is None:
        return {}
    window = policy.window_seconds
    month = round(policy.period_seconds)
    burst_left = policy.per_second if decision is None else decision.burst_remaining
    burst_reset = 0.0 if decision is None else decision.burst_reset_seconds
    used = 0 if decision is None or not decision.checked else decision.quota_used
    quota_left = max(0, policy.monthly_quota - used)
    return {
        "RateLimit-Policy": f'"burst";q={policy.per_second};w={window:g}, '
        f'"monthly";q={policy.monthly_quota};w={month}',
        "RateLimit": f'"burst";r={burst_left};t={math.ceil(burst_reset)}, '
        f'"monthly";r={quota_left};t={math.ceil(policy.period_reset_seconds)}',
    }


class PlatformMiddleware:
    """Innermost middleware: adds limit and cache headers, stores idempotent and cacheable
    responses and records the usage of every request an API key was presented for."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        context = RequestContext(started=time.perf_counter())
        scope.setdefault("state", {})[CONTEXT_STATE_KEY] = context
        captured: list[bytes] = []
        response_headers: list[tuple[str, str]] = []
        started = False

        async def counting_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                context.bytes_in += len(message.get("body", b""))
            return message

        async def platform_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                context.status = message["status"]
                _decorate(message, context)
                response_headers.extend(
                    (k.decode("latin-1"), v.decode("latin-1")) for k, v in message["headers"]
                )
            elif message["type"] == "http.response.body":
                chunk = message.get("body", b"")
                context.bytes_out += len(chunk)
                if _capturing(context) and context.bytes_out <= MAX_STORED_BYTES:
                    captured.append(chunk)
            await send(message)

        try:
            await self.app(scope, counting_receive, platform_send)
        except BaseException:
            if not started:
                context.status = 500
            raise
        finally:
            await _finish(scope, context, b"".join(captured), response_headers)


def _decorate(message: Message, context: RequestContext) -> None:
    headers = MutableHeaders(scope=message)
    for name, value in rate_limit_headers(context).items():
        headers[name] = value
    if context.cache_state is not None:
        state = {"hit": "hit", "miss": "fwd=miss", "bypass": "fwd=request"}[context.cache_state]
        if context.cache_state == "miss" and message["status"] == 200:
            state += "; stored"
        headers[CACHE_STATUS_HEADER] = f"{CACHE_NAME}; {state}"
    if context.replayed_idempotent:
        headers[REPLAYED_HEADER] = "true"


def _capturing(context: RequestContext) -> bool:
    return context.idempotency_key is not None or context.cache_key is not None


async def _finish(
    scope: Scope, context: RequestContext, body: bytes, headers: list[tuple[str, str]]
) -> None:
    app = scope.get("app")
    platform: Platform | None = getattr(getattr(app, "state", None), "platform", None)
    if platform is None or context.key is None or context.account is None:
        return
    complete = context.bytes_out <= MAX_STORED_BYTES
    stored = StoredResponse(context.status, replayable_headers(headers), body)
    if context.idempotency_key is not None:
        await run_in_threadpool(_settle_idempotency, platform, context, stored, complete)
    if context.cache_key is not None and context.status == 200 and complete:
        if platform.response_cache.in_process:
            platform.response_cache.put(context.cache_key, stored)
        else:
            await run_in_threadpool(platform.response_cache.put, context.cache_key, stored)
    platform.meter.record(_usage_event(scope, context, platform.clock()))


def _settle_idempotency(
    platform: Platform, context: RequestContext, stored: StoredResponse, complete: bool
) -> None:
    assert context.account is not None
    assert context.idempotency_key is not None
    if context.status >= 500 or not complete:
        platform.idempotency.abandon(context.account.id, context.idempotency_key)
        return
    assert context.fingerprint is not None
    platform.idempotency.complete(
        context.account.id, context.idempotency_key, context.fingerprint, stored
    )


def _usage_event(scope: Scope, context: RequestContext, now: float) -> UsageEvent:
    assert context.key is not None
    assert context.account is not None
    route = scope.get("route")
    path = getattr(route, "path", None) or scope.get("path", "")
    admitted = context.decision
    return UsageEvent(
        account_id=context.account.id,
        key_id=context.key.id,
        key_hash=context.key.hash,
        endpoint=f"{scope.get('method', '')} {path}",
        status=context.status,
        records=context.records,
        bytes_in=context.bytes_in,
        bytes_out=context.bytes_out,
        latency_ms=round((time.perf_counter() - context.started) * 1000, 3),
        at=now,
        billable=context.billable and context.admitted,
        request_id=request_id_of(scope) or "",
        admitted_at=admitted.admitted_at if admitted is not None and admitted.allowed else None,
    )


def install_platform(app: FastAPI) -> None:
    """Register the handler that sends stored (idempotent or cached) responses."""
    app.add_exception_handler(ReplayResponseError, _replay_handler)


@asynccontextmanager
async def platform_lifespan(app: FastAPI, stores: Stores) -> AsyncIterator[None]:
    """Build the platform on `stores`, run the metering writer, and flush it at shutdown.

    Tests may set `app.state.clock` (a `Clock`) and `app.state.mailer` before startup.
    """
    clock: Any = getattr(app.state, "clock", None) or system_clock
    platform = await run_in_threadpool(
        build_platform,
        app.state.settings,
        stores,
        clock=clock,
        mailer=getattr(app.state, "mailer", None),
    )
    platform.meter.start()
    app.state.platform = platform
    try:
        yield
    finally:
        app.state.platform = None
        await platform.aclose()


def tier_settings(request: Request) -> dict[str, TierLimits]:
    """The limits per tier the application runs with."""
    return dict(get_platform(request).settings.tiers)


SettingsLimits = Annotated[dict[str, TierLimits], Depends(tier_settings)]
