"""`cleara serve`: apply pending migrations, then run the HTTP API with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from cleara.cli.common import CliError, load_settings, report_errors
from cleara.cli.db import upgrade_database

#: Import string of the application factory uvicorn calls in each worker.
APP_FACTORY = "cleara.api.app:create_app"


def register(app: typer.Typer) -> None:
    """Add the `serve` command to `app`."""
    app.command("serve")(serve)


def serve(
    host: Annotated[
        str | None, typer.Option(help="Interface to bind (default: CLEARA_HOST, else 127.0.0.1).")
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(min=1, max=65535, help="Port to listen on (default: CLEARA_PORT, else 8000)."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Worker processes (default: CLEARA_WORKERS, else 1)."),
    ] = None,
    reload: Annotated[
        bool, typer.Option("--reload/--no-reload", help="Restart on code changes (development).")
    ] = False,
) -> None:
    """Serve the HTTP API, after bringing the database schema up to date."""
    settings = load_settings()
    bind_host = host if host is not None else settings.host
    bind_port = port if port is not None else settings.port
    worker_count = workers if workers is not None else settings.workers
    with report_errors():
        if reload and worker_count > 1:
            raise CliError("--reload runs a single process; drop --workers or --reload")
        upgrade_database(settings)

    import uvicorn

    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=bind_host,
        port=bind_port,
        workers=worker_count,
        reload=reload,
        log_level=settings.log_level.lower(),
    )
