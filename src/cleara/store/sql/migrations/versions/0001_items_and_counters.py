"""Items and counters of the key-based item store.

Revision ID: 0001
Revises:
Create Date: 2025-01-01 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


# Types are spelled out rather than imported, so this revision never changes after release.
def _key(length: int) -> sa.types.TypeEngine[str]:
    """Sorted by code point on PostgreSQL too, like SQLite's binary collation."""
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def _key_columns() -> list[sa.Column[str]]:
    return [
        sa.Column("namespace", _key(64), primary_key=True),
        sa.Column("pk", _key(255), primary_key=True),
        sa.Column("sk", _key(512), primary_key=True),
    ]


def upgrade() -> None:
    op.create_table(
        "items",
        *_key_columns(),
        sa.Column("data", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_items_expires_at", "items", ["expires_at"])
    op.create_table(
        "counters",
        *_key_columns(),
        sa.Column("value", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("counters")
    op.drop_index("ix_items_expires_at", table_name="items")
    op.drop_table("items")
