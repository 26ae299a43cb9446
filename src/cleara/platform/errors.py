"""Errors raised by platform services; the HTTP layer turns them into API errors."""

from __future__ import annotations


class PlatformError(Exception):
    """A request the platform refuses, with its HTTP status and stable error code."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        retry_after: float | None = None,
        param: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after
        self.param = param
