"""`cleara db ...`: database maintenance commands."""

from __future__ import annotations

import typer

from cleara.cli.common import CliError, load_settings, mask_password, report_errors
from cleara.settings import Settings

db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the `db` command group to `app`."""
    app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def upgrade() -> None:
    """Apply pending schema migrations to the configured database."""
    settings = load_settings()
    with report_errors():
        revision = upgrade_database(settings)
    typer.echo(f"Database: {mask_password(settings.effective_database_url)}")
    typer.echo(f"Revision: {revision or '(none)'}")


def upgrade_database(settings: Settings) -> str | None:
    """Apply pending migrations; returns the revision the database is now at.

    Database failures become CliError, with any password in the URL masked.
    """
    from alembic.util.exc import CommandError
    from sqlalchemy.exc import SQLAlchemyError

    from cleara.store.factory import apply_migrations
    from cleara.store.sql import migrate

    url = settings.effective_database_url
    try:
        apply_migrations(settings)
        return migrate.current(url)
    except (SQLAlchemyError, CommandError) as error:
        text = str(getattr(error, "orig", None) or error).strip()
        reason = text.splitlines()[0] if text else type(error).__name__
        raise CliError(f"database {mask_password(url)}: {mask_password(reason)}") from error
