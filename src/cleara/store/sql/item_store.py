"""`ItemStore` on SQL (SQLite or PostgreSQL) through SQLAlchemy Core.

Every write is a single statement (upserts with `ON CONFLICT`, updates with `RETURNING`), so
conditions and counters stay atomic without explicit locks on both databases.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from cleara.store.base import ConflictError, Item, Page, StoreError
from cleara.store.sql.engine import create_engine
from cleara.store.sql.tables import NAMESPACE_LENGTH, PK_LENGTH, SK_LENGTH, counters, items

_MAX_CODE_POINT = 0x10FFFF
_SURROGATES = range(0xD800, 0xE000)


class SqlItemStore:
    """Durable items and counters in the `items` and `counters` tables.

    Query ranges are inclusive at both ends (`sk_from <= sk <= sk_to`) and sort keys are
    ordered by code point. `expected_version=0` means "must not exist", like `if_absent`.
    """

    def __init__(self, engine: Engine) -> None:
        if engine.dialect.name not in ("sqlite", "postgresql"):
            raise ValueError(f"unsupported database dialect: {engine.dialect.name}")
        self._engine = engine

    @classmethod
    def from_url(cls, database_url: str) -> SqlItemStore:
        """A store on a new engine for `database_url`."""
        return cls(create_engine(database_url))

    @property
    def engine(self) -> Engine:
        """The engine the store runs on."""
        return self._engine

    def get(self, namespace: str, pk: str, sk: str = "") -> Item | None:
        _check_key(namespace, pk, sk)
        statement = sa.select(items).where(_key_clause(namespace, pk, sk), _live_clause(_now()))
        with self._connect() as connection:
            row = connection.execute(statement).first()
        return _to_item(row) if row is not None else None

    def put(
        self,
        namespace: str,
        pk: str,
        sk: str,
        data: Mapping[str, Any],
        *,
        expected_version: int | None = None,
        if_absent: bool = False,
        expires_at: datetime | None = None,
    ) -> Item:
        _check_key(namespace, pk, sk)
        body = _json_body(data)
        _check_expiry(expires_at)
        if expected_version is not None and expected_version < 0:
            raise ValueError("expected_version must be >= 0")
        if if_absent and expected_version:
            raise ValueError("if_absent contradicts a positive expected_version")
        now = _now()
        if if_absent or expected_version == 0:
            statement = self._insert_unless_live(namespace, pk, sk, body, expires_at, now)
        elif expected_version is not None:
            statement = _update_version(namespace, pk, sk, body, expires_at, now, expected_version)
        else:
            statement = self._upsert(namespace, pk, sk, body, expires_at, now)
        with self._connect() as connection, connection.begin():
            row = connection.execute(statement).first()
        if row is None:
            raise ConflictError(_conflict_message(namespace, pk, sk, expected_version))
        return _to_item(row)

    def delete(self, namespace: str, pk: str, sk: str = "") -> bool:
        _check_key(namespace, pk, sk)
        statement = (
            sa.delete(items).where(_key_clause(namespace, pk, sk)).returning(items.c.expires_at)
        )
        with self._connect() as connection, connection.begin():
            row = connection.execute(statement).first()
        return row is not None and _is_live(row.expires_at, _now())

    def query(
        self,
        namespace: str,
        pk: str,
        *,
        sk_prefix: str = "",
        sk_from: str | None = None,
        sk_to: str | None = None,
        limit: int = 100,
        cursor: str | None = None,
        descending: bool = False,
    ) -> Page:
        _check_key(namespace, pk, "")
        if limit < 1:
            raise ValueError("limit must be at least 1")
        conditions = [
            items.c.namespace == namespace,
            items.c.pk == pk,
            _live_clause(_now()),
            *_sort_key_conditions(sk_prefix, sk_from, sk_to),
        ]
        if cursor is not None:
            after = decode_cursor(cursor)
            conditions.append(items.c.sk < after if descending else items.c.sk > after)
        order = items.c.sk.desc() if descending else items.c.sk.asc()
        statement = sa.select(items).where(*conditions).order_by(order).limit(limit + 1)
        with self._connect() as connection:
            rows = connection.execute(statement).all()
        page = [_to_item(row) for row in rows[:limit]]
        next_cursor = encode_cursor(page[-1].sk) if len(rows) > limit else None
        return Page(items=page, next_cursor=next_cursor)

    def increment(self, namespace: str, pk: str, sk: str, by: int = 1) -> int:
        _check_key(namespace, pk, sk)
        insert = self._dialect_insert(counters).values(namespace=namespace, pk=pk, sk=sk, value=by)
        statement = insert.on_conflict_do_update(
            index_elements=[counters.c.namespace, counters.c.pk, counters.c.sk],
            set_={"value": counters.c.value + insert.excluded.value},
        ).returning(counters.c.value)
        with self._connect() as connection, connection.begin():
            return int(connection.execute(statement).scalar_one())

    def counter(self, namespace: str, pk: str, sk: str) -> int:
        _check_key(namespace, pk, sk)
        statement = sa.select(counters.c.value).where(
            counters.c.namespace == namespace, counters.c.pk == pk, counters.c.sk == sk
        )
        with self._connect() as connection:
            value = connection.execute(statement).scalar_one_or_none()
        return int(value) if value is not None else 0

    def purge_expired(self, before: datetime | None = None) -> int:
        """Delete items expired at `before` (default: now); returns how many were removed."""
        _check_expiry(before)
        cutoff = before or _now()
        statement = sa.delete(items).where(items.c.expires_at <= cutoff)
        with self._connect() as connection, connection.begin():
            return connection.execute(statement).rowcount

    def ping(self) -> None:
        with self._connect() as connection:
            connection.execute(sa.text("SELECT 1"))

    def close(self) -> None:
        """Close the pooled connections."""
        self._engine.dispose()

    @contextmanager
    def _connect(self) -> Iterator[sa.Connection]:
        """A connection whose driver failures surface as StoreError."""
        try:
            with self._engine.connect() as connection:
                yield connection
        except sa.exc.DBAPIError as error:
            raise StoreError(f"database error: {_describe(error)}") from error

    def _dialect_insert(self, table: sa.Table) -> postgresql.Insert | sqlite.Insert:
        if self._engine.dialect.name == "postgresql":
            return postgresql.insert(table)
        return sqlite.insert(table)

    def _insert_unless_live(
        self,
        namespace: str,
        pk: str,
        sk: str,
        body: dict[str, Any],
        expires_at: datetime | None,
        now: datetime,
    ) -> sa.Executable:
        """Insert, or take over an expired item; returns no row when a live item exists."""
        insert = self._dialect_insert(items).values(
            _new_row(namespace, pk, sk, body, expires_at, now)
        )
        return insert.on_conflict_do_update(
            index_elements=[items.c.namespace, items.c.pk, items.c.sk],
            set_=_replacement(insert.excluded, version=sa.literal(1), created_at=now),
            where=sa.not_(_live_clause(now)),
        ).returning(*items.c)

    def _upsert(
        self,
        namespace: str,
        pk: str,
        sk: str,
        body: dict[str, Any],
        expires_at: datetime | None,
        now: datetime,
    ) -> sa.Executable:
        """Create or replace; an expired item is replaced as if it were absent."""
        insert = self._dialect_insert(items).values(
            _new_row(namespace, pk, sk, body, expires_at, now)
        )
        live = _live_clause(now)
        return insert.on_conflict_do_update(
            index_elements=[items.c.namespace, items.c.pk, items.c.sk],
            set_=_replacement(
                insert.excluded,
                version=sa.case((live, items.c.version + 1), else_=1),
                created_at=sa.case((live, items.c.created_at), else_=insert.excluded.created_at),
            ),
        ).returning(*items.c)


def _update_version(
    namespace: str,
    pk: str,
    sk: str,
    body: dict[str, Any],
    expires_at: datetime | None,
    now: datetime,
    expected_version: int,
) -> sa.Executable:
    """Replace only the live item at `expected_version`; returns no row otherwise."""
    return (
        sa.update(items)
        .where(
            _key_clause(namespace, pk, sk),
            items.c.version == expected_version,
            _live_clause(now),
        )
        .values(data=body, version=items.c.version + 1, updated_at=now, expires_at=expires_at)
        .returning(*items.c)
    )


def _replacement(excluded: Any, *, version: Any, created_at: Any) -> dict[str, Any]:
    return {
        "data": excluded.data,
        "version": version,
        "created_at": created_at,
        "updated_at": excluded.updated_at,
        "expires_at": excluded.expires_at,
    }


def _new_row(
    namespace: str,
    pk: str,
    sk: str,
    body: dict[str, Any],
    expires_at: datetime | None,
    now: datetime,
) -> dict[str, Any]:
    return {
        "namespace": namespace,
        "pk": pk,
        "sk": sk,
        "data": body,
        "version": 1,
        "created_at": now,
        "updated_at": now,
        "expires_at": expires_at,
    }


def encode_cursor(sk: str) -> str:
    """The opaque cursor that resumes a query after sort key `sk`."""
    return base64.urlsafe_b64encode(sk.encode("utf-8")).decode("ascii")


def decode_cursor(cursor: str) -> str:
    """The sort key inside a cursor; ValueError for a cursor this store did not make."""
    try:
        return base64.urlsafe_b64decode(cursor.encode("ascii")).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError) as error:
        raise ValueError("invalid query cursor") from error


def prefix_upper_bound(prefix: str) -> str | None:
    """The smallest string above every string starting with `prefix` (None: no bound).

    Ranges on the key (rather than LIKE) stay case-sensitive on SQLite and use the index.
    """
    chars = list(prefix)
    while chars:
        code = ord(chars.pop()) + 1
        if code in _SURROGATES:
            code = _SURROGATES.stop
        if code <= _MAX_CODE_POINT:
            return "".join(chars) + chr(code)
    return None


def _sort_key_conditions(
    sk_prefix: str, sk_from: str | None, sk_to: str | None
) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    if sk_prefix:
        conditions.append(items.c.sk >= sk_prefix)
        upper = prefix_upper_bound(sk_prefix)
        if upper is not None:
            conditions.append(items.c.sk < upper)
    if sk_from is not None:
        conditions.append(items.c.sk >= sk_from)
    if sk_to is not None:
        conditions.append(items.c.sk <= sk_to)
    return conditions


def _key_clause(namespace: str, pk: str, sk: str) -> sa.ColumnElement[bool]:
    return sa.and_(items.c.namespace == namespace, items.c.pk == pk, items.c.sk == sk)


def _live_clause(now: datetime) -> sa.ColumnElement[bool]:
    return sa.or_(items.c.expires_at.is_(None), items.c.expires_at > now)


def _is_live(expires_at: datetime | None, now: datetime) -> bool:
    return expires_at is None or expires_at > now


def _to_item(row: sa.Row[Any]) -> Item:
    return Item(
        namespace=row.namespace,
        pk=row.pk,
        sk=row.sk,
        data=row.data,
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
        expires_at=row.expires_at,
    )


def _now() -> datetime:
    return datetime.now(UTC)


def _check_key(namespace: str, pk: str, sk: str) -> None:
    if not namespace:
        raise ValueError("namespace must not be empty")
    for name, value, length in (
        ("namespace", namespace, NAMESPACE_LENGTH),
        ("pk", pk, PK_LENGTH),
        ("sk", sk, SK_LENGTH),
    ):
        if len(value) > length:
            raise ValueError(f"{name} is longer than {length} characters")
        if "\x00" in value:
            raise ValueError(f"{name} must not contain NUL characters")


def _check_expiry(moment: datetime | None) -> None:
    if moment is not None and moment.tzinfo is None:
        raise ValueError("expires_at must be timezone-aware")


def _json_body(data: Mapping[str, Any]) -> dict[str, Any]:
    """A plain dict of `data`, checked to be strict JSON (PostgreSQL rejects NaN and NUL)."""
    if not isinstance(data, Mapping):
        raise ValueError("item data must be a mapping")
    try:
        text = json.dumps(data, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise ValueError(f"item data is not JSON-serializable: {error}") from error
    if "\\u0000" in text and _contains_nul(data):
        raise ValueError("item data must not contain NUL characters")
    return dict(data)


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(_contains_nul(key) or _contains_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(_contains_nul(item) for item in value)
    return False


def _conflict_message(namespace: str, pk: str, sk: str, expected_version: int | None) -> str:
    key = f"{namespace}/{pk}/{sk}"
    if expected_version:
        return f"item {key} is missing or not at version {expected_version}"
    return f"item {key} already exists"


def _describe(error: sa.exc.DBAPIError) -> str:
    return str(error.orig).strip().splitlines()[0] if error.orig is not None else str(error)
