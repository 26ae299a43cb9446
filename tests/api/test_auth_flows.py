"""Sign-up, login throttling, email verification, password reset (mails through a real
local SMTP server), refresh rotation and logout."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from platform_backends import ClientFactory, make_client

from platform_fixtures import ManualClock, platform_postgres_url, unique_email

__all__ = ["make_client", "platform_postgres_url"]

PASSWORD = "a long enough password"


class Inbox:
    """aiosmtpd handler that keeps every received message."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def token_for(self, address: str, subject_word: str) -> str:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            for message in reversed(self.messages):
                if message["To"] == address and subject_word in message["Subject"]:
                    body = message.get_payload(decode=True)
                    assert isinstance(body, bytes)
                    found = re.search(r"token=([A-Za-z0-9]+)", body.decode())
                    assert found is not None
                    return found.group(1)
            time.sleep(0.02)
        raise AssertionError(f"no {subject_word!r} mail for {address}")


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def mail_client(
    make_client: ClientFactory, smtp: tuple[Inbox, int]
) -> Iterator[tuple[TestClient, Inbox, ManualClock]]:
    inbox, port = smtp
    clock = ManualClock()
    settings = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_starttls": False}
    with make_client(clock=clock, **settings) as client:
        yield client, inbox, clock


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def signup(client: TestClient, email: str) -> dict[str, Any]:
    response = client.post("/v1/auth/signup", json={"email": email, "password": PASSWORD})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_signup_and_email_verification_token_is_single_use(mail_client: Any) -> None:
    client, inbox, _ = mail_client
    email = unique_email()
    tokens = signup(client, email)
    assert tokens["account"]["email_verified"] is False
    assert (
        client.post("/v1/auth/signup", json={"email": email, "password": PASSWORD}).status_code
        == 409
    )
    token = inbox.token_for(email, "Confirm")
    verified = client.post("/v1/auth/verify-email", json={"token": token})
    assert verified.status_code == 200
    assert verified.json()["email_verified"] is True
    again = client.post("/v1/auth/verify-email", json={"token": token})
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "invalid_token"
    account = client.get("/v1/account", headers=bearer(tokens["access_token"])).json()
    assert account["email_verified"] is True
    assert account["limits"]["monthly_quota"] == 500


def test_password_reset_is_single_use_expiring_and_ends_sessions(mail_client: Any) -> None:
    client, inbox, clock = mail_client
    email = unique_email()
    tokens = signup(client, email)
    unknown = client.post("/v1/auth/password-reset/request", json={"email": unique_email()})
    assert unknown.status_code == 202
    assert client.post("/v1/auth/password-reset/request", json={"email": email}).status_code == 202
    token = inbox.token_for(email, "Reset")
    new_password = "another long password"
    reset = client.post("/v1/auth/password-reset", json={"token": token, "password": new_password})
    assert reset.status_code == 200
    assert client.get("/v1/account", headers=bearer(tokens["access_token"])).status_code == 401
    reused = client.post("/v1/auth/password-reset", json={"token": token, "password": PASSWORD})
    assert reused.status_code == 400
    login = client.post("/v1/auth/login", json={"email": email, "password": new_password})
    assert login.status_code == 200
    client.post("/v1/auth/password-reset/request", json={"email": email})
    late = inbox.token_for(email, "Reset")
    assert late != token
    clock.advance(3601)
    expired = client.post("/v1/auth/password-reset", json={"token": late, "password": PASSWORD})
    assert expired.json()["error"]["code"] == "expired_token"


def test_login_is_throttled_after_repeated_failures(mail_client: Any) -> None:
    client, _, _ = mail_client
    email = unique_email()
    signup(client, email)
    wrong = {"email": email, "password": "wrong password!!"}
    codes = [client.post("/v1/auth/login", json=wrong).status_code for _ in range(5)]
    assert codes == [401] * 5
    throttled = client.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert throttled.status_code == 429
    assert throttled.json()["error"]["code"] == "login_throttled"
    assert int(throttled.headers["Retry-After"]) > 0
    other = unique_email()
    signup(client, other)
    assert (
        client.post("/v1/auth/login", json={"email": other, "password": PASSWORD}).status_code
        == 200
    )


def test_refresh_rotation_reuse_detection_and_logout(mail_client: Any) -> None:
    client, _, clock = mail_client
    tokens = signup(client, unique_email())
    rotated = client.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert rotated.status_code == 200
    fresh = rotated.json()
    assert fresh["refresh_token"] != tokens["refresh_token"]
    assert client.get("/v1/account", headers=bearer(fresh["access_token"])).status_code == 200
    replay = client.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert replay.status_code == 401
    # The replay revoked the whole session.
    assert client.get("/v1/account", headers=bearer(fresh["access_token"])).status_code == 401
    session = client.post(
        "/v1/auth/login", json={"email": tokens["account"]["email"], "password": PASSWORD}
    ).json()
    assert (
        client.post("/v1/auth/logout", headers=bearer(session["access_token"])).status_code == 204
    )
    assert client.get("/v1/account", headers=bearer(session["access_token"])).status_code == 401
    refused = client.post("/v1/auth/refresh", json={"refresh_token": session["refresh_token"]})
    assert refused.status_code == 401
    later = client.post(
        "/v1/auth/login", json={"email": tokens["account"]["email"], "password": PASSWORD}
    ).json()
    clock.advance(901)
    assert client.get("/v1/account", headers=bearer(later["access_token"])).status_code == 401


def test_outbox_folder_is_the_embedded_mailer(make_client: ClientFactory, tmp_path: Any) -> None:
    with make_client() as client:
        email = unique_email()
        signup(client, email)
        mails = list((tmp_path / "outbox").glob("*.eml"))
        assert len(mails) == 1
        assert email in mails[0].read_text()
