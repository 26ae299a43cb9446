"""`cleara keys ...`: administer API keys (create with the account, list, revoke, rotate)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cleara.cli.common import CliError, load_settings, report_errors, write_json_lines

if TYPE_CHECKING:
    from cleara.platform.service import Platform

keys_app = typer.Typer(help="Administer API keys.", no_args_is_help=True)

EmailOption = Annotated[str, typer.Option("--email", help="Email of the account.")]


def register(app: typer.Typer) -> None:
    """Add the `keys` command group to `app`."""
    app.add_typer(keys_app, name="keys")


@contextmanager
def _platform() -> Iterator[Platform]:
    """The platform on the configured stores, with schema migrations applied."""
    from cleara.platform.errors import PlatformError
    from cleara.platform.service import build_platform
    from cleara.store.factory import apply_migrations, build_stores

    settings = load_settings()
    with report_errors():
        apply_migrations(settings)
        stores = build_stores(settings)
    try:
        platform = build_platform(settings, stores)
        try:
            yield platform
        except PlatformError as error:
            raise CliError(error.message) from error
        finally:
            platform.close()
    finally:
        stores.close()


def _account_id(platform: Platform, email: str) -> str:
    account = platform.accounts.by_email(email)
    if account is None:
        raise CliError(f"no account for {email}")
    return account.id


@keys_app.command("create")
def create(
    email: EmailOption,
    tier: Annotated[str, typer.Option("--tier", help="Tier of a new account.")] = "free",
    name: Annotated[str, typer.Option("--name", help="Label of the key.")] = "",
    scope: Annotated[
        list[str] | None, typer.Option("--scope", help="Allowed endpoint (repeat); default all.")
    ] = None,
    test: Annotated[bool, typer.Option("--test", help="Create a clr_test_ key.")] = False,
    signed: Annotated[bool, typer.Option("--signed", help="Require request signatures.")] = False,
    monthly_quota: Annotated[
        int | None, typer.Option(min=0, help="Per-account monthly quota (enterprise).")
    ] = None,
    per_second: Annotated[
        int | None, typer.Option(min=1, help="Per-account burst limit (enterprise).")
    ] = None,
) -> None:
    """Create a key for EMAIL (creating the account with TIER if needed); prints the key."""
    with report_errors(), _platform() as platform:
        account, created = platform.accounts.get_or_create(email, tier=tier)
        changes: dict[str, Any] = {
            name: value
            for name, value in (("monthly_quota", monthly_quota), ("per_second", per_second))
            if value is not None
        }
        if not created and account.tier != tier:
            changes["tier"] = tier
        if changes:
            account = platform.accounts.save(account, **changes)
        new = platform.keys.create(
            account.id,
            name=name,
            scopes=scope or ["*"],
            mode="test" if test else "live",
            signed=signed,
        )
        typer.echo(new.secret)
        if new.signing_secret:
            typer.echo(f"signing secret: {new.signing_secret}")
        typer.echo(f"key {new.key.id} for {account.email} ({account.tier}); shown once.", err=True)


@keys_app.command("list")
def list_keys(email: EmailOption) -> None:
    """List the keys of EMAIL's account as JSON lines (prefixes only, never secrets)."""
    with report_errors(), _platform() as platform:
        pairs = platform.keys.list(_account_id(platform, email))
        now = platform.clock()
        write_json_lines(key.public(last_used, now) for key, last_used in pairs)


@keys_app.command("revoke")
def revoke(email: EmailOption, key_id: Annotated[str, typer.Argument(help="Key id.")]) -> None:
    """Revoke a key of EMAIL's account at once."""
    with report_errors(), _platform() as platform:
        key = platform.keys.revoke(_account_id(platform, email), key_id)
        typer.echo(f"revoked {key.id} ({key.prefix}...)")


@keys_app.command("rotate")
def rotate(
    email: EmailOption,
    key_id: Annotated[str, typer.Argument(help="Key id.")],
    grace_seconds: Annotated[
        int | None, typer.Option(min=0, help="How long the old key keeps working.")
    ] = None,
) -> None:
    """Replace a key; prints the new key. The old one works until the grace period ends."""
    with report_errors(), _platform() as platform:
        grace = grace_seconds
        if grace is None:
            grace = platform.settings.key_rotation_grace_seconds
        new = platform.keys.rotate(_account_id(platform, email), key_id, grace)
        typer.echo(new.secret)
        typer.echo(f"new key {new.key.id}; the old key works for {grace} s more.", err=True)
