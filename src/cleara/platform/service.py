"""The platform: accounts, keys, sessions, limits, metering, idempotency and caching,
wired to the stores, and the admission check every API-key request goes through."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import anyio.to_thread

from cleara.platform.accounts import Account, AccountStore
from cleara.platform.api_keys import ApiKey, KeyStore, looks_like_api_key
from cleara.platform.clock import Clock, system_clock
from cleara.platform.context import RequestContext
from cleara.platform.crypto import sha256_hex
from cleara.platform.errors import PlatformError
from cleara.platform.idempotency import (
    MAX_STORED_BYTES,
    IdempotencyStore,
    ResponseCache,
    request_fingerprint,
)
from cleara.platform.key_cache import (
    KEY_CACHE_SECONDS,
    VerifiedKey,
    VerifiedKeyCache,
    invalidation_hook,
)
from cleara.platform.limits import (
    Decision,
    Limiter,
    LimiterUnavailableError,
    LocalLimiter,
    RedisLimiter,
)
from cleara.platform.mail import Mail, Mailer, build_mailer
from cleara.platform.metering import Meter, UsageStore
from cleara.platform.passwords import check_password_strength, hash_password, verify_password
from cleara.platform.quotas import policy_for
from cleara.platform.signing import verify_signature
from cleara.platform.tokens import OneTimeTokens, SessionTokens, TokenPair, load_jwt_secret
from cleara.settings import Settings
from cleara.store.base import Cache, StoreError, Stores
from cleara.store.cache import InMemoryCache

logger = logging.getLogger("cleara.platform")

VERIFY_EMAIL = "verify_email"
RESET_PASSWORD = "reset_password"
VERIFY_EMAIL_SECONDS = 48 * 3600
RESET_PASSWORD_SECONDS = 3600


@dataclass(frozen=True, slots=True)
class AdmissionRequest:
    """The parts of an HTTP request that admission looks at."""

    authorization: str | None
    scope: str
    method: str
    path: str
    query: str = ""
    content_type: str = ""
    body: bytes = b""
    signature: str | None = None
    idempotency_key: str | None = None
    cache_control: str = ""
    billable: bool = True
    cacheable: bool = False


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, else None."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


@dataclass(slots=True)
class Platform:
    settings: Settings
    clock: Clock
    accounts: AccountStore
    keys: KeyStore
    verified_keys: VerifiedKeyCache
    sessions: SessionTokens
    one_time: OneTimeTokens
    limiter: Limiter
    usage: UsageStore
    meter: Meter
    idempotency: IdempotencyStore
    response_cache: ResponseCache
    cache: Cache
    mailer: Mailer

    # ---- API-key requests -------------------------------------------------------------

    async def admit(self, context: RequestContext, request: AdmissionRequest) -> None:
        """Authenticate, authorize, verify the signature, apply limits, then look up
        idempotent and cached responses. Fills `context`; raises PlatformError to refuse.

        The usual request does no I/O besides the limiter's (none in the embedded default,
        one Redis round trip otherwise): verified keys come from `verified_keys`, and the
        limiter refuses a cached copy that a key or account change made stale.
        """
        secret = _api_key_secret(request.authorization)
        verified = await self._verified_key(secret)
        self._authorize(context, verified, request)
        key, account = verified.key, verified.account
        if key.signing_secret is not None:
            threaded = not self.cache_in_process
            await self._run_store_call(threaded, self._check_signature, key, request)
        decision = await self._acquire(context, account, request.billable, verified.epoch)
        if decision.outcome == "stale":
            # Changed meanwhile: read again (after the epoch was seen), then count once.
            self.verified_keys.discard(key.hash)
            context.key = context.account = context.policy = context.decision = None
            verified = await self._load_key(secret, decision.epoch)
            self._authorize(context, verified, request)
            account = verified.account
            decision = await self._acquire(context, account, request.billable, None)
        _enforce(context, decision)
        context.admitted = True
        idempotent = request.method == "POST" and request.idempotency_key is not None
        cached = request.cacheable and self.response_cache.enabled
        if idempotent or cached:
            # Idempotency records live in the item store; the cache may be in this process.
            in_loop = not idempotent and self.response_cache.in_process
            await self._run_store_call(not in_loop, self._look_up_stored, context, account, request)

    async def _verified_key(self, secret: str) -> VerifiedKey:
        cached = self.verified_keys.get(sha256_hex(secret))
        if cached is None:
            try:
                epoch: int | None = await self.limiter.epoch_async()
            except LimiterUnavailableError:
                epoch = None  # served from the store, not cached
            return await self._load_key(secret, epoch)
        if not cached.key.is_valid(self.clock()):
            raise _invalid_api_key()
        return cached

    async def _load_key(self, secret: str, epoch: int | None) -> VerifiedKey:
        """Read the key and its account from the store (they were read after `epoch` was
        observed, so an entry cached under it is never older than that epoch)."""
        key, account = await anyio.to_thread.run_sync(self._read_key, secret)
        if key is None or account is None:
            raise _invalid_api_key()
        return self.verified_keys.put(key, account, epoch)

    def _read_key(self, secret: str) -> tuple[ApiKey | None, Account | None]:
        key = self.keys.authenticate(secret)
        return key, self.accounts.get(key.account_id) if key is not None else None

    def _authorize(
        self, context: RequestContext, verified: VerifiedKey, request: AdmissionRequest
    ) -> None:
        key = verified.key
        context.key, context.account, context.billable = key, verified.account, request.billable
        if not key.allows(request.scope):
            raise PlatformError(
                403,
                "insufficient_scope",
                f"This key may not call `{request.scope}`; its scopes: {', '.join(key.scopes)}.",
            )

    @property
    def cache_in_process(self) -> bool:
        return isinstance(self.cache, InMemoryCache)

    async def _run_store_call(
        self, in_thread: bool, function: Callable[..., None], *args: Any
    ) -> None:
        """Run a store call in a worker thread, or inline when it stays in this process."""
        if in_thread:
            await anyio.to_thread.run_sync(function, *args)
        else:
            function(*args)

    def _check_signature(self, key: ApiKey, request: AdmissionRequest) -> None:
        assert key.signing_secret is not None
        tolerance = self.settings.signature_tolerance_seconds
        digest = verify_signature(
            request.signature,
            key.signing_secret,
            request.body,
            now=self.clock(),
            tolerance_seconds=tolerance,
        )
        try:
            fresh = self.cache.set_if_absent(
                f"signature:{key.id}:{digest}", b"1", ttl_seconds=2 * tolerance + 1
            )
        except StoreError:
            if self.settings.rate_limit_failure_mode == "closed":
                raise _limiter_unavailable() from None
            logger.warning("Signature replay check skipped: the cache is unreachable")
            return
        if not fresh:
            raise PlatformError(401, "signature_replayed", "This signed request was sent before.")

    async def _acquire(
        self, context: RequestContext, account: Account, billable: bool, epoch: int | None
    ) -> Decision:
        now = self.clock()
        policy = policy_for(account, self.settings.tiers, now)
        context.policy = policy
        try:
            decision = await self.limiter.acquire_async(
                account.id,
                policy,
                cost=1 if billable else 0,
                seed=lambda: self.usage.billable_count(account.id, policy.period_key),
                epoch=epoch,
            )
        except LimiterUnavailableError as error:
            if self.settings.rate_limit_failure_mode == "closed":
                raise _limiter_unavailable() from error
            logger.warning("Limits not enforced: %s", error, extra={"account_id": account.id})
            decision = Decision("ok", policy.per_second, 0.0, 0, now, checked=False)
        context.decision = decision
        return decision

    def _look_up_stored(
        self, context: RequestContext, account: Account, request: AdmissionRequest
    ) -> None:
        """An idempotent replay or a cached response for the request, if there is one."""
        if request.method == "POST" and request.idempotency_key is not None:
            context.fingerprint = request_fingerprint(
                request.method, request.path, request.query, request.content_type, request.body
            )
            stored = self.idempotency.begin(
                account.id, request.idempotency_key, context.fingerprint
            )
            if stored is not None:
                context.replay, context.replayed_idempotent = stored, True
                return
            context.idempotency_key = request.idempotency_key
        if request.cacheable and self.response_cache.enabled:
            self._look_up_cache(context, account, request)

    def _look_up_cache(
        self, context: RequestContext, account: Account, request: AdmissionRequest
    ) -> None:
        if "no-cache" in request.cache_control.lower() or len(request.body) > MAX_STORED_BYTES:
            context.cache_state = "bypass"
            return
        fingerprint = context.fingerprint or request_fingerprint(
            request.method, request.path, request.query, request.content_type, request.body
        )
        cache_key = ResponseCache.key(account.id, fingerprint)
        try:
            stored = self.response_cache.get(cache_key)
        except StoreError:
            context.cache_state = "bypass"
            return
        if stored is not None:
            context.replay, context.cache_state = stored, "hit"
        else:
            context.cache_key, context.cache_state = cache_key, "miss"

    # ---- accounts and sessions --------------------------------------------------------

    def sign_up(self, email: str, password: str) -> tuple[Account, TokenPair]:
        check_password_strength(password)
        account = self.accounts.create(email, password_hash=hash_password(password))
        self.send_verification(account)
        return account, self.sessions.open_session(account.id)

    def log_in(self, email: str, password: str, client: str) -> TokenPair:
        throttle_keys = [f"login:email:{sha256_hex(email.strip().lower())}", f"login:ip:{client}"]
        limits = [self.settings.login_max_failures, 4 * self.settings.login_max_failures]
        window = self.settings.login_window_seconds
        for key, limit in zip(throttle_keys, limits, strict=True):
            if int(self.cache.get(key) or 0) >= limit:
                raise PlatformError(
                    429,
                    "login_throttled",
                    "Too many failed logins; try again later.",
                    retry_after=window,
                )
        account = self.accounts.by_email(email)
        # Checked even without an account, so unknown emails cost the same time.
        valid = verify_password(account.password_hash if account else None, password)
        if account is None or not valid:
            for key in throttle_keys:
                self.cache.incr(key, ttl_seconds=window)
            raise PlatformError(401, "invalid_credentials", "The email or password is wrong.")
        self.cache.delete(throttle_keys[0])
        return self.sessions.open_session(account.id)

    def send_verification(self, account: Account) -> None:
        token = self.one_time.issue(VERIFY_EMAIL, account.id, VERIFY_EMAIL_SECONDS)
        link = f"{self.settings.public_base_url}/verify-email?token={token}"
        self.mailer.send(
            Mail(
                to=account.email,
                subject="Confirm your email address for Cleara",
                text=f"Confirm your address: {link}\n\nOr send this token to "
                f"POST /v1/auth/verify-email: {token}\n\nIt is valid for 48 hours, once.\n",
            )
        )
        logger.info("Sent a verification mail", extra={"account_id": account.id})

    def verify_email(self, token: str) -> Account:
        account = self._account(self.one_time.consume(VERIFY_EMAIL, token))
        return self.accounts.save(account, email_verified=True)

    def request_password_reset(self, email: str) -> None:
        """Mail a reset token when the account exists; says nothing either way."""
        account = self.accounts.by_email(email)
        if account is None:
            return
        token = self.one_time.issue(RESET_PASSWORD, account.id, RESET_PASSWORD_SECONDS)
        link = f"{self.settings.public_base_url}/reset-password?token={token}"
        self.mailer.send(
            Mail(
                to=account.email,
                subject="Reset your Cleara password",
                text=f"Choose a new password: {link}\n\nOr send this token to "
                f"POST /v1/auth/password-reset: {token}\n\nIt is valid for one hour, once.\n",
            )
        )
        logger.info("Sent a password reset mail", extra={"account_id": account.id})

    def reset_password(self, token: str, new_password: str) -> Account:
        check_password_strength(new_password)
        account = self._account(self.one_time.consume(RESET_PASSWORD, token))
        # Resetting through the mailed link proves the address as well.
        updated = self.accounts.save(
            account, password_hash=hash_password(new_password), email_verified=True
        )
        self.sessions.revoke_all(account.id)
        return updated

    def session_account(self, authorization: str | None) -> tuple[Account, str]:
        """The account and session of a valid access token."""
        token = bearer_token(authorization)
        if token is None:
            raise PlatformError(
                401, "missing_token", "Send an access token as `Authorization: Bearer ...`."
            )
        claims = self.sessions.verify_access(token)
        return self._account(claims.account_id, status=401), claims.session_id

    def _account(self, account_id: str, status: int = 400) -> Account:
        account = self.accounts.get(account_id)
        if account is None:
            raise PlatformError(status, "invalid_token", "The account no longer exists.")
        return account

    def close(self) -> None:
        """Write pending usage and release the limiter's connections."""
        try:
            self.meter.close()
        finally:
            self.limiter.close()

    async def aclose(self) -> None:
        """`close`, plus the limiter's event-loop connections (call from the event loop)."""
        try:
            await anyio.to_thread.run_sync(self.close)
        finally:
            await self.limiter.aclose()


def _api_key_secret(authorization: str | None) -> str:
    secret = bearer_token(authorization)
    if secret is None:
        raise PlatformError(
            401,
            "missing_api_key",
            "Send your API key as `Authorization: Bearer clr_live_...`.",
        )
    if not looks_like_api_key(secret):
        raise _invalid_api_key()
    return secret


def _invalid_api_key() -> PlatformError:
    return PlatformError(401, "invalid_api_key", "The API key is unknown, revoked or expired.")


def _enforce(context: RequestContext, decision: Decision) -> None:
    """Refuse a request the limiter did not admit (429 with `Retry-After`)."""
    policy = context.policy
    assert policy is not None
    if decision.outcome == "rate_limited":
        raise PlatformError(
            429,
            "rate_limited",
            f"More than {policy.per_second} requests per second; slow down.",
            retry_after=decision.burst_reset_seconds,
        )
    if decision.outcome == "quota_exceeded":
        raise PlatformError(
            429,
            "quota_exceeded",
            f"The monthly quota of {policy.monthly_quota} requests is used up; it refills "
            "at the start of next month (UTC). Upgrade the plan for more.",
            retry_after=policy.period_reset_seconds,
        )


def _limiter_unavailable() -> PlatformError:
    return PlatformError(
        503,
        "limiter_unavailable",
        "Limits cannot be checked right now; retry shortly.",
        retry_after=1,
    )


LimiterKind = Literal["redis", "local"]


def build_platform(
    settings: Settings,
    stores: Stores,
    *,
    clock: Clock = system_clock,
    mailer: Mailer | None = None,
    limiter: Limiter | None = None,
    key_cache_seconds: float = KEY_CACHE_SECONDS,
) -> Platform:
    """The platform on `stores`: Redis limits when `redis_url` is set, else in-process.
    `key_cache_seconds` bounds how long verified keys are reused (0 turns the cache off)."""
    if limiter is None:
        limiter = RedisLimiter(settings.redis_url) if settings.redis_url else LocalLimiter(clock)
    usage = UsageStore(stores.items)
    verified_keys = VerifiedKeyCache(key_cache_seconds)
    changed = invalidation_hook(verified_keys, limiter.bump_epoch)
    return Platform(
        settings=settings,
        clock=clock,
        accounts=AccountStore(stores.items, clock, set(settings.tiers), on_change=changed),
        keys=KeyStore(stores.items, clock, on_change=changed),
        verified_keys=verified_keys,
        sessions=SessionTokens(
            stores.items,
            load_jwt_secret(settings),
            clock,
            access_seconds=settings.access_token_seconds,
            refresh_seconds=settings.refresh_token_seconds,
        ),
        one_time=OneTimeTokens(stores.items, clock),
        limiter=limiter,
        usage=usage,
        meter=Meter(usage, settings.metering_flush_seconds),
        idempotency=IdempotencyStore(stores.items, clock, settings.idempotency_seconds),
        response_cache=ResponseCache(stores.cache, settings.response_cache_seconds),
        cache=stores.cache,
        mailer=mailer if mailer is not None else build_mailer(settings),
    )
