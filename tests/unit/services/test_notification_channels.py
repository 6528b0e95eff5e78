"""The SMTP channel insists on STARTTLS before logging in; the webhook's signature is the
HMAC-SHA256 of the exact body sent."""

from __future__ import annotations

import hashlib
import hmac
from email.message import EmailMessage
from typing import Any

import pytest

from sourcewise.services import notification_channels
from sourcewise.services.notification_channels import (
    DeliveryError,
    NetworkChannels,
    SmtpSettings,
    signature,
)


class FakeSmtp:
    calls: list[str] = []  # noqa: RUF012 - one test at a time

    def __init__(self, host: str, port: int, timeout: float) -> None:
        FakeSmtp.calls.append(f"connect {host}:{port}")

    def __enter__(self) -> FakeSmtp:
        return self

    def __exit__(self, *args: object) -> None:
        FakeSmtp.calls.append("quit")

    def starttls(self, context: Any) -> None:
        FakeSmtp.calls.append("starttls")

    def login(self, user: str, password: str) -> None:
        FakeSmtp.calls.append(f"login {user}")

    def send_message(self, message: EmailMessage) -> None:
        FakeSmtp.calls.append(f"send {message['To']}: {message['Subject']}")


def test_smtp_starts_tls_then_logs_in_then_sends(monkeypatch: pytest.MonkeyPatch) -> None:
    FakeSmtp.calls = []
    monkeypatch.setattr(notification_channels.smtplib, "SMTP", FakeSmtp)
    monkeypatch.setenv("SOURCEWISE_SMTP_HOST", "smtp.example.com")
    monkeypatch.setenv("SOURCEWISE_SMTP_USER", "monitor")
    monkeypatch.setenv("SOURCEWISE_SMTP_PASSWORD", "secret")
    monkeypatch.delenv("SOURCEWISE_SMTP_STARTTLS", raising=False)
    settings = SmtpSettings.from_environment()
    assert settings is not None
    NetworkChannels(settings, None).email("ana@example.com", "Breach", "text")
    assert FakeSmtp.calls == [
        "connect smtp.example.com:587",
        "starttls",
        "login monitor",
        "send ana@example.com: Breach",
        "quit",
    ]


def test_without_a_server_or_a_secret_nothing_is_sent() -> None:
    with pytest.raises(DeliveryError, match="SOURCEWISE_SMTP_HOST"):
        NetworkChannels(None, None).email("a@b.c", "s", "b")
    with pytest.raises(DeliveryError, match="SOURCEWISE_WEBHOOK_SECRET"):
        NetworkChannels(None, None).webhook("https://hooks.example/x", "t", {})
    with pytest.raises(DeliveryError, match="http"):
        NetworkChannels(None, "s").webhook("file:///etc/passwd", "t", {})


def test_the_signature_is_the_hmac_of_the_body() -> None:
    body = b'{"text": "breach"}'
    digest = hmac.new(b"k", body, hashlib.sha256).hexdigest()
    assert signature(body, "k") == f"sha256={digest}"
