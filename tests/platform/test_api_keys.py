from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from cleara.platform.api_keys import KeyStore, looks_like_api_key
from cleara.platform.crypto import sha256_hex
from cleara.platform.errors import PlatformError
from cleara.store.sql.item_store import SqlItemStore
from platform_fixtures import ManualClock


@pytest.fixture
def keys(items: SqlItemStore, clock: ManualClock) -> KeyStore:
    return KeyStore(items, clock)


def _all_stored_text(items: SqlItemStore) -> str:
    with items.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT namespace, pk, sk, data FROM items")).all()
    return "\n".join(str(tuple(row)) for row in rows)


@pytest.mark.parametrize(("mode", "prefix"), [("live", "clr_live_"), ("test", "clr_test_")])
def test_keys_have_readable_prefixes_and_random_bodies(
    keys: KeyStore, mode: str, prefix: str
) -> None:
    first = keys.create("acct_a", mode=mode)
    second = keys.create("acct_a", mode=mode)
    assert re.fullmatch(prefix + r"[A-Za-z0-9]{32}", first.secret)
    assert first.secret != second.secret
    assert first.key.prefix == first.secret[: len(prefix) + 4]
    assert looks_like_api_key(first.secret)


def test_only_the_hash_and_prefix_are_stored(keys: KeyStore, items: SqlItemStore) -> None:
    created = keys.create("acct_hash", name="ci")
    stored = _all_stored_text(items)
    assert created.secret not in stored
    assert created.secret[len(created.key.prefix) :] not in stored
    assert sha256_hex(created.secret) in stored
    assert created.key.hash == sha256_hex(created.secret)


def test_authenticate_accepts_valid_and_rejects_unknown_revoked_expired(
    keys: KeyStore, clock: ManualClock
) -> None:
    created = keys.create("acct_auth", expires_at=clock() + 100)
    assert keys.authenticate(created.secret) == created.key
    assert keys.authenticate("clr_live_" + "x" * 32) is None
    assert keys.authenticate("not a key") is None
    clock.advance(101)
    assert keys.authenticate(created.secret) is None
    other = keys.create("acct_auth")
    keys.revoke("acct_auth", other.key.id)
    assert keys.authenticate(other.secret) is None


def test_rotation_keeps_both_keys_valid_until_the_grace_period_ends(
    keys: KeyStore, clock: ManualClock
) -> None:
    old = keys.create("acct_rot", name="prod", scopes=["validate"])
    new = keys.rotate("acct_rot", old.key.id, grace_seconds=60)
    assert new.secret != old.secret
    assert new.key.scopes == ("validate",)
    assert new.key.name == "prod"
    clock.advance(59)
    assert keys.authenticate(old.secret) is not None
    assert keys.authenticate(new.secret) is not None
    clock.advance(2)
    assert keys.authenticate(old.secret) is None
    assert keys.authenticate(new.secret) is not None


def test_keys_of_one_account_are_invisible_to_another(keys: KeyStore) -> None:
    mine = keys.create("acct_one")
    assert keys.get("acct_two", mine.key.id) is None
    assert keys.list("acct_two") == []
    with pytest.raises(PlatformError) as error:
        keys.revoke("acct_two", mine.key.id)
    assert error.value.status == 404
    assert keys.authenticate(mine.secret) is not None


def test_list_shows_prefixes_and_last_use_but_no_secret(keys: KeyStore, clock: ManualClock) -> None:
    created = keys.create("acct_list", name="a")
    keys.touch(created.key.hash, clock() + 5)
    [(key, last_used)] = keys.list("acct_list")
    public = key.public(last_used, clock())
    assert public["prefix"] == created.key.prefix
    assert public["last_used_at"] == clock() + 5
    assert created.secret not in str(public)
    assert "hash" not in public
    assert public["status"] == "active"


def test_scopes_are_checked(keys: KeyStore) -> None:
    with pytest.raises(PlatformError):
        keys.create("acct_s", scopes=[])
    with pytest.raises(PlatformError):
        keys.create("acct_s", scopes=["Bad Scope"])
    key = keys.create("acct_s", scopes=["validate"]).key
    assert key.allows("validate")
    assert not key.allows("clean")
