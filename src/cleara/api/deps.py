"""Typed dependencies for route functions: `def route(settings: SettingsDep, stores: StoresDep)`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from cleara.api.errors import ApiError, ErrorCode, new_request_id, request_id_of
from cleara.settings import Settings
from cleara.store.base import Stores


def get_app_settings(request: Request) -> Settings:
    """The settings the application was created with."""
    settings: Settings = request.app.state.settings
    return settings


def get_stores(request: Request) -> Stores:
    """The application's stores; 503 while they are not available (e.g. during startup)."""
    stores: Stores | None = getattr(request.app.state, "stores", None)
    if stores is None:
        raise ApiError(503, ErrorCode.SERVICE_UNAVAILABLE, "The service's stores are not ready.")
    return stores


def get_request_id(request: Request) -> str:
    """The id of the current request (the one returned in the `Request-Id` header)."""
    return request_id_of(request.scope) or new_request_id()


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
StoresDep = Annotated[Stores, Depends(get_stores)]
RequestIdDep = Annotated[str, Depends(get_request_id)]
