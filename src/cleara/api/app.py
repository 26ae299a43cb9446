"""The FastAPI application factory: `uvicorn --factory cleara.api.app:create_app`."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

from cleara.api.errors import install_exception_handlers
from cleara.api.logging import configure_logging
from cleara.api.middleware import (
    REQUEST_ID_HEADER,
    BodyGuardMiddleware,
    ExceptionGuardMiddleware,
    RequestContextMiddleware,
)
from cleara.api.platform_deps import PlatformMiddleware, install_platform, platform_lifespan
from cleara.api.routers import (
    account,
    auth,
    clean,
    dedupe,
    dedupe_index,
    enrich,
    health,
    keys,
    schema,
    usage,
    validate,
)
from cleara.api.table_input import add_request_models
from cleara.settings import Settings, get_settings
from cleara.store.base import Stores

logger = logging.getLogger("cleara.api")

TITLE = "Cleara API"
DESCRIPTION = (
    "Clean, validate, deduplicate and enrich data over HTTP.\n\n"
    "Every response carries a `Request-Id` header. Errors share one shape: "
    '`{"error": {"type", "code", "message", "param", "request_id", "doc_url"}}`.'
)
OPENAPI_TAGS = [{"name": "health", "description": "Liveness and readiness probes."}]


def create_app(settings: Settings | None = None, *, stores: Stores | None = None) -> FastAPI:
    """Build the application. Without `stores`, they are built from settings at startup
    (after applying migrations) and closed at shutdown; injected stores are left open."""
    settings = settings if settings is not None else get_settings()
    app = FastAPI(
        title=TITLE,
        version=_package_version(),
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
        openapi_tags=OPENAPI_TAGS,
        lifespan=_lifespan,
        middleware=_middleware(settings),
    )
    app.state.settings = settings
    app.state.stores = stores
    install_exception_handlers(app)
    install_platform(app)
    include_routers(app)
    _document_request_models(app)
    return app


def _document_request_models(app: FastAPI) -> None:
    """Routes that read their own bodies name their request models in the OpenAPI document
    (`table_input.openapi_body`); their schemas join its components here."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = add_request_models(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def include_routers(app: FastAPI) -> None:
    """Mount every router of the service; new routers are added here."""
    app.include_router(health.router)
    app.include_router(validate.router)
    app.include_router(clean.router)
    app.include_router(dedupe.router)
    app.include_router(dedupe_index.router)
    app.include_router(auth.router)
    app.include_router(account.router)
    app.include_router(keys.router)
    app.include_router(usage.router)
    app.include_router(schema.router)
    app.include_router(enrich.router)


def _middleware(settings: Settings) -> list[Middleware]:
    """The middleware stack, outermost first."""
    docs_base_url = settings.docs_base_url
    stack = [Middleware(RequestContextMiddleware, docs_base_url=docs_base_url)]
    if settings.cors_origins:
        stack.append(
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["*"],
                allow_headers=["*"],
                expose_headers=[REQUEST_ID_HEADER],
            )
        )
    stack += [
        Middleware(ExceptionGuardMiddleware, docs_base_url=docs_base_url),
        Middleware(
            BodyGuardMiddleware,
            max_body_bytes=settings.max_body_bytes,
            docs_base_url=docs_base_url,
        ),
        # Innermost: rate-limit and cache headers, stored responses, usage metering.
        Middleware(PlatformMiddleware),
    ]
    return stack


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    configure_logging(settings.log_level)
    if settings.warm_up:
        await run_in_threadpool(_warm_up_engine)
    if app.state.stores is not None:
        async with platform_lifespan(app, app.state.stores):
            yield
        return
    # Imported here so that apps with injected stores never load the store backends.
    from cleara.store.factory import apply_migrations, build_stores

    await run_in_threadpool(apply_migrations, settings)
    stores = await run_in_threadpool(build_stores, settings)
    app.state.stores = stores
    try:
        async with platform_lifespan(app, stores):
            yield
    finally:
        app.state.stores = None
        await run_in_threadpool(stores.close)


def _warm_up_engine() -> None:
    """Load the engine's data and models now, so that no request pays for their first use.

    What start-up loaded (hundreds of thousands of objects: ZIP records, phone and locale
    tables, models) lives as long as the process, so it is then frozen out of the garbage
    collector's sight: full collections had walked it again and again, about 30 ms of every
    1,000-record deduplication."""
    from cleara.engine.warmup import warm_up

    seconds = warm_up()
    gc.freeze()
    logger.info("engine warmed up", extra={"seconds": round(seconds, 2)})


def _package_version() -> str:
    try:
        return version("cleara")
    except PackageNotFoundError:
        return "0.0.0"
