"""`GET /v1/account`: the logged-in account, its tier and limits."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from cleara.api.platform_deps import CurrentAccount, SettingsLimits
from cleara.api.schemas import error_responses
from cleara.platform.quotas import tier_limits

router = APIRouter(prefix="/v1", tags=["account"])


class LimitsOut(BaseModel):
    monthly_quota: int
    per_second: int


class AccountDetailOut(BaseModel):
    id: str
    email: str
    tier: str
    email_verified: bool
    created_at: float
    limits: LimitsOut


@router.get("/account", response_model=AccountDetailOut, responses=error_responses(401))
async def get_account(account: CurrentAccount, tiers: SettingsLimits) -> dict[str, Any]:
    """The account of the session token."""
    limits = tier_limits(account, tiers)
    return {**account.public(), "limits": limits.model_dump()}
