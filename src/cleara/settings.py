"""Service configuration, read from `CLEARA_*` environment variables and an optional `.env` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class TierLimits(BaseModel):
    """The limits of one pricing tier."""

    monthly_quota: int = Field(ge=0, description="Billable requests per calendar month (UTC).")
    per_second: int = Field(ge=1, description="Requests per one-second sliding window.")


DEFAULT_TIERS: dict[str, TierLimits] = {
    "free": TierLimits(monthly_quota=500, per_second=2),
    "pro": TierLimits(monthly_quota=100_000, per_second=20),
    "growth": TierLimits(monthly_quota=1_000_000, per_second=100),
    # Enterprise accounts normally carry their own limits; these apply when they do not.
    "enterprise": TierLimits(monthly_quota=10_000_000, per_second=500),
}


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
    warm_up: bool = Field(
        True,
        description="Load the engine's data and models at startup (a few seconds), so that "
        "no request pays for their first use; off, each loads when first needed.",
    )
    docs_base_url: str = Field(
        "https://docs.cleara.dev/errors",
        description="Base of the `doc_url` given in error responses.",
    )

    jwt_secret: SecretStr | None = Field(
        None,
        description="HMAC secret of session tokens. Default: generated once and kept in "
        "`<data_dir>/jwt_secret` (set it explicitly when several hosts serve the API).",
    )
    access_token_seconds: int = Field(900, ge=30, description="Lifetime of access tokens.")
    refresh_token_seconds: int = Field(
        30 * 86_400, ge=60, description="Lifetime of refresh tokens (each is single-use)."
    )
    tiers: dict[str, TierLimits] = Field(
        default_factory=lambda: dict(DEFAULT_TIERS),
        description="Limits per tier, as JSON: "
        '{"free": {"monthly_quota": 500, "per_second": 2}, ...}.',
    )
    rate_limit_failure_mode: Literal["open", "closed"] = Field(
        "open",
        description="When Redis cannot be reached: `open` serves requests without limits "
        "(and logs it), `closed` answers 503 `limiter_unavailable`.",
    )
    metering_flush_seconds: float = Field(
        1.0, gt=0, description="Interval at which usage records are written to the database."
    )
    key_rotation_grace_seconds: int = Field(
        86_400, ge=0, description="Default time a rotated API key keeps working."
    )
    signature_tolerance_seconds: int = Field(
        300, ge=1, description="Largest age of a `Cleara-Signature` timestamp."
    )
    login_max_failures: int = Field(
        5, ge=1, description="Failed logins per email (and 4x per client address) per window."
    )
    login_window_seconds: int = Field(900, ge=1, description="Window of the login throttle.")
    idempotency_seconds: int = Field(
        86_400, ge=60, description="How long responses to `Idempotency-Key` requests are kept."
    )
    response_cache_seconds: int = Field(
        300, ge=0, description="Lifetime of cached data responses (0 disables the cache)."
    )
    smtp_host: str | None = Field(
        None, description="SMTP server for mail. Default: files in `<data_dir>/outbox`."
    )
    smtp_port: int = Field(587, ge=1, le=65535, description="SMTP server port.")
    smtp_username: str | None = Field(None, description="SMTP login, if the server needs one.")
    smtp_password: SecretStr | None = Field(None, description="SMTP password.")
    smtp_starttls: bool = Field(True, description="Upgrade the SMTP connection with STARTTLS.")
    mail_from: str = Field("Cleara <no-reply@cleara.dev>", description="Sender of mails.")
    public_base_url: str = Field(
        "http://127.0.0.1:8000", description="Base URL used in links inside mails."
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
    def outbox_dir(self) -> Path:
        """The folder mails are written to when no SMTP server is configured."""
        return self.data_dir / "outbox"

    @property
    def effective_blob_dir(self) -> Path:
        """The folder of the local blob store."""
        return self.blob_dir if self.blob_dir is not None else self.data_dir / "blobs"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
