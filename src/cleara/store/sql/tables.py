"""Table definitions of the SQL item store (mirrored by the Alembic migrations)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

NAMESPACE_LENGTH = 64
PK_LENGTH = 255
SK_LENGTH = 512

metadata = sa.MetaData()


def key_type(length: int) -> sa.types.TypeEngine[str]:
    """A key column type that sorts by code point everywhere.

    PostgreSQL's default collation sorts by locale rules; the "C" collation matches SQLite's
    binary order, so queries page the same way on both.
    """
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def json_type() -> sa.types.TypeEngine[Any]:
    """JSON, stored as JSONB on PostgreSQL."""
    return sa.JSON().with_variant(JSONB(), "postgresql")


class UtcDateTime(sa.TypeDecorator[datetime]):
    """A timezone-aware timestamp, stored in UTC and always read back as aware UTC.

    SQLite has no timezone type, so values are normalised to UTC before they are written;
    that also keeps their text form comparable.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, _dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


items = sa.Table(
    "items",
    metadata,
    sa.Column("namespace", key_type(NAMESPACE_LENGTH), primary_key=True),
    sa.Column("pk", key_type(PK_LENGTH), primary_key=True),
    sa.Column("sk", key_type(SK_LENGTH), primary_key=True),
    sa.Column("data", json_type(), nullable=False),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
    sa.Column("expires_at", UtcDateTime(), nullable=True),
    sa.Index("ix_items_expires_at", "expires_at"),
)

counters = sa.Table(
    "counters",
    metadata,
    sa.Column("namespace", key_type(NAMESPACE_LENGTH), primary_key=True),
    sa.Column("pk", key_type(PK_LENGTH), primary_key=True),
    sa.Column("sk", key_type(SK_LENGTH), primary_key=True),
    sa.Column("value", sa.BigInteger(), nullable=False),
)
