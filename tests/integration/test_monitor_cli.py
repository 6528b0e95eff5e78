"""``monitor run --all`` on the governance example, end to end: a local SMTP server and a local
webhook receiver get each alert once however often it runs, the webhook's signature checks
out, and a webhook that fails is retried on the next run and then delivered."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from aiosmtpd.controller import Controller
from typer.testing import CliRunner

from sourcewise.cli import app

SECRET = "test-webhook-secret"
AS_OF = "2026-11-25"
runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


class Mailbox:
    def __init__(self, port: int) -> None:
        self.port = port
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


class Receiver(BaseHTTPRequestHandler):
    failing = False
    received: ClassVar[list[tuple[bytes, str]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if Receiver.failing:
            self.send_response(503)
        else:
            Receiver.received.append((body, self.headers["X-Sourcewise-Signature"]))
            self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox(free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    yield box
    controller.stop()


@pytest.fixture
def webhook_url() -> Iterator[str]:
    Receiver.failing = False
    Receiver.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


def test_each_alert_is_sent_once_and_a_failed_webhook_is_retried(
    db: str, mailbox: Mailbox, webhook_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCEWISE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SOURCEWISE_SMTP_PORT", str(mailbox.port))
    monkeypatch.setenv("SOURCEWISE_SMTP_STARTTLS", "off")  # a relay on this host
    monkeypatch.setenv("SOURCEWISE_SMTP_FROM", "monitor@example.com")
    monkeypatch.setenv("SOURCEWISE_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("SOURCEWISE_NOTIFY_BACKOFF_SECONDS", "0")
    run("notify", "subscribe", "ana", "--email", "ana@example.com", "--min-severity", "critical",
        "--db", db)  # fmt: skip
    run("notify", "subscribe", "ana", "--webhook", webhook_url, "--kind", "sla_breach",
        "--kind", "risk_trigger", "--db", db)  # fmt: skip

    Receiver.failing = True
    first = json.loads(run("monitor", "run", "--all", "--as-of", AS_OF, "-f", "json", "--db", db))
    kinds = {e["kind"] for e in first["new"]}
    assert {"sla_breach", "sla_at_risk", "kpi_drift", "risk_trigger"} <= kinds
    assert {"audit_action_overdue", "meeting_action_overdue", "pilot_verdict"} <= kinds
    summaries = {e["summary"] for e in first["new"]}
    # Names where names belong: the KPI's, and the service level once, not once a month.
    assert any(s.startswith("Drift in First-contact resolution: ") for s in summaries)
    assert not any("first_contact_resolution" in s for s in summaries)
    assert any(s.endswith("breached 3 months running (2026-09 to 2026-11)") for s in summaries)
    critical = [e for e in first["new"] if e["severity"] == "critical"]
    webhooked = [e for e in first["new"] if e["kind"] in ("sla_breach", "risk_trigger")]
    assert first["notifications"]["failed"] == len(webhooked) > 0
    assert len(mailbox.messages) == len(critical) > 0
    subjects = sorted(m["Subject"] for m in mailbox.messages)
    assert any("First contact resolution breached" in s for s in subjects)
    assert all(m["To"] == "ana@example.com" for m in mailbox.messages)
    assert Receiver.received == []

    Receiver.failing = False
    second = json.loads(run("monitor", "run", "--all", "--as-of", AS_OF, "-f", "json", "--db", db))
    assert second["new"] == []
    assert second["seen_again"] == first["conditions"]
    assert second["notifications"]["queued"] == 0
    assert second["notifications"]["sent"] == len(webhooked)
    assert len(mailbox.messages) == len(critical)  # nothing e-mailed twice
    texts = []
    for body, signature in Receiver.received:
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(signature, expected)
        texts.append(json.loads(body)["text"])
    assert len(texts) == len(webhooked)
    assert any("First contact resolution breached" in t for t in texts)

    third = json.loads(run("monitor", "run", "--all", "--as-of", AS_OF, "-f", "json", "--db", db))
    assert third["new"] == []
    assert third["notifications"] == {
        "queued": 0, "sent": 0, "messages": 0, "failed": 0, "waiting": 0
    }  # fmt: skip
    assert len(Receiver.received) == len(webhooked)
    assert len(mailbox.messages) == len(critical)
    log = json.loads(run("notify", "log", "-f", "json", "--db", db))
    assert {d["status"] for d in log} == {"sent"}
    assert sorted({d["attempts"] for d in log}) == [1, 2]  # e-mails once, webhooks twice


def test_the_old_monitor_command_still_shows_drift_alerts(db: str) -> None:
    out = run("monitor", "-e", "Customer service Monterrey", "--kpi", "first_contact_resolution",
              "--db", db)  # fmt: skip
    assert "drift alerts" in out
    result = runner.invoke(app, ["monitor", "--db", db])
    assert result.exit_code == 2


def test_a_role_subscription_tells_the_providers_desk_only_what_it_may_see(
    db: str, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCEWISE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SOURCEWISE_SMTP_PORT", str(mailbox.port))
    monkeypatch.setenv("SOURCEWISE_SMTP_STARTTLS", "off")
    monkeypatch.setenv("SOURCEWISE_SMTP_FROM", "monitor@example.com")
    out = run("notify", "subscribe", "--role", "provider", "--provider",
              "Monterrey bilingual BPO", "--email", "desk@bpo.example", "--db", db)  # fmt: skip
    assert "role provider of Monterrey bilingual BPO by email to desk@bpo.example" in out
    listed = json.loads(run("notify", "list", "-f", "json", "--db", db))
    assert [(s["role"], s["provider"]) for s in listed] == [("provider", "Monterrey bilingual BPO")]
    refused = runner.invoke(app, ["notify", "subscribe", "ana", "--role", "analyst",
                                  "--email", "a@b.example", "--db", db])  # fmt: skip
    assert refused.exit_code == 2
    run("monitor", "run", "--all", "--as-of", AS_OF, "--db", db)
    bodies = [m.get_content() for m in mailbox.messages]
    assert any("First contact resolution breached" in b for b in bodies)
    # The client's own kinds (risk triggers, committee actions, the pilot) never reach it.
    assert all(m["To"] == "desk@bpo.example" for m in mailbox.messages)
    assert not any(word in b for b in bodies for word in ("Risk R-", "pilot", "meeting action"))
