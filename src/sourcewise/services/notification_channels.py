"""Where notifications go: e-mail over SMTP and signed webhooks, configured from the environment.

E-mail: ``SOURCEWISE_SMTP_HOST``, ``_PORT`` (587), ``_USER`` and ``_PASSWORD`` (log in only when
a user is set), ``_FROM``, and ``_STARTTLS`` (``required``, the default: the message is not sent
over a server that does not offer STARTTLS; ``off`` only for a relay on the same host).
Webhooks: a JSON body with a ``text`` field (what Slack and Teams incoming webhooks read), signed
``X-Sourcewise-Signature: sha256=<hex HMAC-SHA256 of the body>`` with
``SOURCEWISE_WEBHOOK_SECRET`` so the receiver can check it came from here, unchanged.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import smtplib
import ssl
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Protocol

SIGNATURE_HEADER = "X-Sourcewise-Signature"
TIMEOUT_SECONDS = 10.0


class DeliveryError(RuntimeError):
    """A message could not be handed over; it stays pending and is tried again later."""


class Channels(Protocol):
    def email(self, to: str, subject: str, body: str) -> None: ...
    def webhook(self, url: str, text: str, payload: dict[str, Any]) -> None: ...


def signature(body: bytes, secret: str) -> str:
    """The signature header's value: ``sha256=`` and the hex HMAC-SHA256 of ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    port: int = 587
    user: str | None = None
    password: str | None = None
    sender: str = "sourcewise@localhost"
    starttls: bool = True

    @classmethod
    def from_environment(cls) -> SmtpSettings | None:
        host = os.environ.get("SOURCEWISE_SMTP_HOST")
        if not host:
            return None
        mode = os.environ.get("SOURCEWISE_SMTP_STARTTLS", "required").strip().lower()
        if mode not in ("required", "off"):
            raise DeliveryError(
                f"SOURCEWISE_SMTP_STARTTLS must be 'required' or 'off', not {mode!r}"
            )
        return cls(
            host=host,
            port=int(os.environ.get("SOURCEWISE_SMTP_PORT", "587")),
            user=os.environ.get("SOURCEWISE_SMTP_USER") or None,
            password=os.environ.get("SOURCEWISE_SMTP_PASSWORD") or None,
            sender=os.environ.get("SOURCEWISE_SMTP_FROM", "sourcewise@localhost"),
            starttls=mode == "required",
        )


class NetworkChannels:
    """The real channels: SMTP with STARTTLS, and HTTPS (or HTTP) POSTs."""

    def __init__(self, smtp: SmtpSettings | None, webhook_secret: str | None) -> None:
        self.smtp = smtp
        self.webhook_secret = webhook_secret

    @classmethod
    def from_environment(cls) -> NetworkChannels:
        secret = os.environ.get("SOURCEWISE_WEBHOOK_SECRET") or None
        return cls(SmtpSettings.from_environment(), secret)

    def email(self, to: str, subject: str, body: str) -> None:
        if self.smtp is None:
            raise DeliveryError("no SMTP server: set SOURCEWISE_SMTP_HOST")
        message = EmailMessage()
        message["From"] = self.smtp.sender
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        try:
            with smtplib.SMTP(self.smtp.host, self.smtp.port, timeout=TIMEOUT_SECONDS) as server:
                if self.smtp.starttls:
                    server.starttls(context=ssl.create_default_context())
                if self.smtp.user:
                    server.login(self.smtp.user, self.smtp.password or "")
                server.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryError(f"SMTP {self.smtp.host}:{self.smtp.port}: {error}") from error

    def webhook(self, url: str, text: str, payload: dict[str, Any]) -> None:
        if not url.startswith(("https://", "http://")):
            raise DeliveryError(f"not an http(s) URL: {url}")
        if self.webhook_secret is None:
            raise DeliveryError("no webhook secret: set SOURCEWISE_WEBHOOK_SECRET")
        body = json.dumps({"text": text, "sourcewise": payload}, sort_keys=True).encode()
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                SIGNATURE_HEADER: signature(body, self.webhook_secret),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                status = int(response.status)
        except OSError as error:  # URLError and HTTPError (4xx/5xx) are OSErrors
            raise DeliveryError(f"webhook {url}: {error}") from error
        if not 200 <= status < 300:
            raise DeliveryError(f"webhook {url}: HTTP {status}")
