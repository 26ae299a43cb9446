"""Outgoing mail: over SMTP when configured, else as `.eml` files in the outbox folder."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from cleara.platform.clock import system_clock
from cleara.platform.crypto import random_token
from cleara.settings import Settings


@dataclass(frozen=True, slots=True)
class Mail:
    to: str
    subject: str
    text: str


class Mailer(Protocol):
    def send(self, mail: Mail) -> None: ...


def _message(mail: Mail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message.set_content(mail.text)
    return message


class SmtpMailer:
    """Sends each mail over a new SMTP connection (mails are rare: sign-up, reset)."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        sender: str,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = True,
        timeout_seconds: float = 10.0,
    ) -> None:
        self._host = host
        self._port = port
        self._sender = sender
        self._username = username
        self._password = password
        self._starttls = starttls
        self._timeout = timeout_seconds

    def send(self, mail: Mail) -> None:
        with smtplib.SMTP(self._host, self._port, timeout=self._timeout) as smtp:
            if self._starttls:
                smtp.starttls()
            if self._username and self._password:
                smtp.login(self._username, self._password)
            smtp.send_message(_message(mail, self._sender))


class OutboxMailer:
    """Writes each mail to `<folder>/<time>-<random>.eml` (the embedded default)."""

    def __init__(self, folder: Path, *, sender: str) -> None:
        self._folder = folder
        self._sender = sender

    def send(self, mail: Mail) -> None:
        self._folder.mkdir(parents=True, exist_ok=True)
        name = f"{system_clock():.6f}-{random_token(8)}.eml"
        (self._folder / name).write_bytes(bytes(_message(mail, self._sender)))


def build_mailer(settings: Settings) -> Mailer:
    if settings.smtp_host:
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        return SmtpMailer(
            settings.smtp_host,
            settings.smtp_port,
            sender=settings.mail_from,
            username=settings.smtp_username,
            password=password,
            starttls=settings.smtp_starttls,
        )
    return OutboxMailer(settings.outbox_dir, sender=settings.mail_from)
