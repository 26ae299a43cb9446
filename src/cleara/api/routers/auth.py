"""`/v1/auth/...`: sign-up, login, token refresh, logout, email verification, password reset.

These endpoints need no API key. Errors use the standard shape; login failures are
throttled per email and per client address.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, EmailStr, Field
from starlette.concurrency import run_in_threadpool

from cleara.api.platform_deps import CurrentSession, api_error, get_platform
from cleara.api.schemas import ERROR_RESPONSES, error_responses
from cleara.platform.errors import PlatformError
from cleara.platform.service import Platform

router = APIRouter(prefix="/v1/auth", tags=["auth"])

PlatformDep = Annotated[Platform, Depends(get_platform)]
_AUTH_ERRORS = {**ERROR_RESPONSES, **error_responses(401, 429)}


class Credentials(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    password: str = Field(min_length=1, max_length=256)


class RefreshIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: str = Field(min_length=1, max_length=512)


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=1, max_length=512)


class EmailIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr


class PasswordResetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=1, max_length=512)
    password: str = Field(min_length=1, max_length=256)


class TokensOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int


class AccountOut(BaseModel):
    id: str
    email: str
    tier: str
    email_verified: bool
    created_at: float


class SignupOut(TokensOut):
    account: AccountOut


async def _call(function: Any, *args: Any) -> Any:
    """Run a blocking platform call in the thread pool; refusals become API errors."""
    try:
        return await run_in_threadpool(function, *args)
    except PlatformError as error:
        raise api_error(error) from None


@router.post("/signup", status_code=201, response_model=SignupOut, responses=_AUTH_ERRORS)
async def sign_up(platform: PlatformDep, body: Annotated[Credentials, Body()]) -> dict[str, Any]:
    """Create an account and log in. A verification link is mailed to the address."""
    account, tokens = await _call(platform.sign_up, body.email, body.password)
    return {**tokens.public(), "account": account.public()}


@router.post("/login", response_model=TokensOut, responses=_AUTH_ERRORS)
async def log_in(
    platform: PlatformDep, request: Request, body: Annotated[Credentials, Body()]
) -> dict[str, Any]:
    """Trade email and password for an access token (short-lived) and a refresh token."""
    client = request.client.host if request.client else "unknown"
    tokens = await _call(platform.log_in, body.email, body.password, client)
    return dict(tokens.public())


@router.post("/refresh", response_model=TokensOut, responses=_AUTH_ERRORS)
async def refresh(platform: PlatformDep, body: Annotated[RefreshIn, Body()]) -> dict[str, Any]:
    """Trade a refresh token (single-use) for a new pair. Reuse revokes the session."""
    tokens = await _call(platform.sessions.refresh, body.refresh_token)
    return dict(tokens.public())


@router.post("/logout", status_code=204, responses=error_responses(401))
async def log_out(platform: PlatformDep, session: CurrentSession) -> Response:
    """End the session: its access and refresh tokens stop working."""
    await _call(platform.sessions.revoke_session, session.session_id)
    return Response(status_code=204)


@router.post("/verify-email", response_model=AccountOut, responses=ERROR_RESPONSES)
async def verify_email(platform: PlatformDep, body: Annotated[TokenIn, Body()]) -> dict[str, Any]:
    """Confirm the email address with the mailed token (single-use, 48 hours)."""
    account = await _call(platform.verify_email, body.token)
    return dict(account.public())


@router.post("/verify-email/resend", status_code=202, responses=error_responses(401))
async def resend_verification(platform: PlatformDep, session: CurrentSession) -> dict[str, str]:
    """Mail a new verification link to the logged-in account."""
    await _call(platform.send_verification, session.account)
    return {"status": "sent"}


@router.post("/password-reset/request", status_code=202, responses=ERROR_RESPONSES)
async def request_password_reset(
    platform: PlatformDep, body: Annotated[EmailIn, Body()]
) -> dict[str, str]:
    """Mail a reset token if the account exists (the answer is the same either way)."""
    await _call(platform.request_password_reset, body.email)
    return {"status": "accepted"}


@router.post("/password-reset", response_model=AccountOut, responses=ERROR_RESPONSES)
async def reset_password(
    platform: PlatformDep, body: Annotated[PasswordResetIn, Body()]
) -> dict[str, Any]:
    """Set a new password with the mailed token (single-use, one hour); ends all sessions."""
    account = await _call(platform.reset_password, body.token, body.password)
    return dict(account.public())
