"""Alembic migrations of the SQL store (run through `cleara.store.sql.migrate`)."""
