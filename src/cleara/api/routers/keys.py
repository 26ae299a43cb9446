"""`/v1/keys`: the logged-in user's API keys: create (secret shown once), list, revoke, rotate.

Keys are looked up only within the caller's account: another account's key id answers 404.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from cleara.api.platform_deps import CurrentAccount, api_error, get_platform
from cleara.api.schemas import ERROR_RESPONSES, error_responses
from cleara.platform.errors import PlatformError
from cleara.platform.service import Platform

router = APIRouter(prefix="/v1/keys", tags=["keys"])

PlatformDep = Annotated[Platform, Depends(get_platform)]
_ERRORS = {**ERROR_RESPONSES, **error_responses(401, 404)}


class KeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field("", max_length=100)
    scopes: list[str] = Field(default_factory=lambda: ["*"], max_length=50)
    mode: Literal["live", "test"] = "live"
    expires_in_seconds: int | None = Field(None, ge=60, le=10 * 365 * 86_400)
    signed: bool = Field(False, description="Require `Cleara-Signature` on every request.")


class RotateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grace_seconds: int | None = Field(
        None, ge=0, le=30 * 86_400, description="How long the old key keeps working."
    )


class KeyOut(BaseModel):
    id: str
    prefix: str
    mode: str
    name: str
    scopes: list[str]
    created_at: float
    expires_at: float | None
    revoked_at: float | None
    last_used_at: float | None
    rotated_to: str | None
    signed: bool
    status: str


class CreatedKeyOut(BaseModel):
    key: KeyOut
    secret: str = Field(description="The API key. Shown only now; store it safely.")
    signing_secret: str | None = Field(description="Signing secret, for signed keys; shown once.")


class KeyListOut(BaseModel):
    data: list[KeyOut]


async def _call(function: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return await run_in_threadpool(function, *args, **kwargs)
    except PlatformError as error:
        raise api_error(error) from None


def _created(platform: Platform, created: Any) -> dict[str, Any]:
    return {
        "key": created.key.public(None, platform.clock()),
        "secret": created.secret,
        "signing_secret": created.signing_secret,
    }


@router.post("", status_code=201, response_model=CreatedKeyOut, responses=_ERRORS)
async def create_key(
    platform: PlatformDep, account: CurrentAccount, body: Annotated[KeyIn, Body()]
) -> dict[str, Any]:
    """Create a key. Its secret is in this response only; Cleara keeps just a hash."""
    expires_at = platform.clock() + body.expires_in_seconds if body.expires_in_seconds else None
    created = await _call(
        platform.keys.create,
        account.id,
        name=body.name,
        scopes=body.scopes,
        mode=body.mode,
        expires_at=expires_at,
        signed=body.signed,
    )
    return _created(platform, created)


@router.get("", response_model=KeyListOut, responses=error_responses(401))
async def list_keys(platform: PlatformDep, account: CurrentAccount) -> dict[str, Any]:
    """Every key of the account, with prefixes only."""
    pairs = await _call(platform.keys.list, account.id)
    now = platform.clock()
    return {"data": [key.public(last_used, now) for key, last_used in pairs]}


@router.get("/{key_id}", response_model=KeyOut, responses=error_responses(401, 404))
async def get_key(platform: PlatformDep, account: CurrentAccount, key_id: str) -> dict[str, Any]:
    key = await _call(platform.keys.get, account.id, key_id)
    if key is None:
        raise api_error(PlatformError(404, "key_not_found", f"No key {key_id!r} in this account."))
    last_used = await _call(platform.keys.last_used, key.hash)
    return dict(key.public(last_used, platform.clock()))


@router.delete("/{key_id}", response_model=KeyOut, responses=error_responses(401, 404))
async def revoke_key(platform: PlatformDep, account: CurrentAccount, key_id: str) -> dict[str, Any]:
    """Revoke a key at once."""
    key = await _call(platform.keys.revoke, account.id, key_id)
    return dict(key.public(None, platform.clock()))


@router.post(
    "/{key_id}/rotate",
    status_code=201,
    response_model=CreatedKeyOut,
    responses={**_ERRORS, **error_responses(409)},
)
async def rotate_key(
    platform: PlatformDep,
    account: CurrentAccount,
    key_id: str,
    body: Annotated[RotateIn | None, Body()] = None,
) -> dict[str, Any]:
    """Replace a key: the new one works now, the old one until the grace period ends."""
    grace = body.grace_seconds if body and body.grace_seconds is not None else None
    if grace is None:
        grace = platform.settings.key_rotation_grace_seconds
    created = await _call(platform.keys.rotate, account.id, key_id, grace)
    return _created(platform, created)
