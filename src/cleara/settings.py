"""Service configuration, read from `CLEARA_*` environment variables and an optional `.env` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting of the service. Each field maps to `CLEARA_<FIELD_NAME>`."""

    model_config = SettingsConfigDict(
        env_prefix="CLEARA_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    environment: Literal["development", "test", "production"] = Field(
        "development", description="Deployment environment name, shown in logs."
    )
    data_dir: Path = Field(
        Path("data"),
        description="Folder for the embedded defaults: SQLite file, blob folder, mail outbox.",
    )
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db. "
        "Default: SQLite file `<data_dir>/cleara.db`.",
    )
    redis_url: str | None = Field(
        None, description="Redis URL for the shared cache. Default: in-process cache."
    )
    blob_dir: Path | None = Field(
        None, description="Folder of the local blob store. Default: `<data_dir>/blobs`."
    )
    host: str = Field("127.0.0.1", description="Interface `cleara serve` binds to.")
    port: int = Field(8000, ge=1, le=65535, description="Port `cleara serve` listens on.")
    workers: int = Field(1, ge=1, description="Worker processes for `cleara serve`.")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", description="Minimum level of the JSON logs."
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description='Origins allowed by CORS, as a JSON list (e.g. ["https://app.example"]).',
    )
    max_body_bytes: int = Field(
        10 * 1024 * 1024, ge=1, description="Largest accepted request body, in bytes."
    )
    max_records: int = Field(
        10_000, ge=1, description="Most records one synchronous data request may carry."
    )
    docs_base_url: str = Field(
        "https://docs.cleara.dev/errors",
        description="Base of the `doc_url` given in error responses.",
    )

    @field_validator("data_dir", "blob_dir", mode="after")
    @classmethod
    def _expand_user(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None

    @property
    def effective_database_url(self) -> str:
        """The database URL in force: the configured one, or the embedded SQLite file."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'cleara.db').resolve()}"

    @property
    def effective_blob_dir(self) -> Path:
        """The folder of the local blob store."""
        return self.blob_dir if self.blob_dir is not None else self.data_dir / "blobs"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
