"""The assignment webhook reaches a real HTTP server: signed with the operator's secret, without
personal data, and a failing endpoint leaves the job for the outbox to send again."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
import time
from email.message import Message
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from cocreate import outbox
from cocreate.models import PendingJob
from operators.models import Assignment, Operator
from operators.notifications import send_assignment_webhook
from operators.tasks import notify_operator_assignment_task
from operators.tests.conftest import REPORTER_EMAIL, REPORTER_NAME, routed_report

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


class Receiver:
    """An HTTP server on 127.0.0.1 in a thread that records each POST and answers ``status``."""

    def __init__(self, status: int = 204):
        self.status = status
        self.requests: list[tuple[Message, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((self.headers, body))  # names match whatever their case
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/cocreate-hook"

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def verify(secret: str, headers: Message, body: bytes, *, tolerance: int = 300) -> bool:
    """What an operator runs (docs/operators.md): the HMAC of "<timestamp>.<body>", and a fresh timestamp."""
    timestamp = headers["X-CoCreate-Timestamp"]
    expected = "sha256=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    fresh = abs(time.time() - int(timestamp)) <= tolerance
    return fresh and hmac.compare_digest(expected, headers["X-CoCreate-Signature"])


@pytest.fixture
def hooked(kring, settings):
    settings.SITE_URL = "https://city.example"
    operator = kring[0]

    def point_at(url: str) -> Operator:
        Operator.objects.filter(pk=operator.pk).update(webhook_url=url)
        operator.refresh_from_db()
        return operator

    return point_at


def test_the_operator_receives_a_signed_assignment_it_can_verify(hooked, reporter):
    with Receiver() as receiver:
        operator = hooked(receiver.url)
        report = routed_report(reporter, operator, description="Bike at my house, call 0812 3456 7890")
        assignment = Assignment.objects.get(report=report)
        assert send_assignment_webhook(assignment.pk) is True
    [(headers, body)] = receiver.requests
    assert headers["Content-Type"] == "application/json"
    assert verify(operator.webhook_secret, headers, body)
    assert not verify("another-secret", headers, body)
    assert not verify(operator.webhook_secret, headers, body + b" ")
    payload = json.loads(body)
    assert payload["event"] == "assignment.created"
    assert payload["operator"] == operator.slug
    assert payload["report"]["id"] == report.pk
    assert payload["report"]["api_url"] == f"https://city.example/api/v1/operator/reports/{report.pk}/"
    assert payload["due_at"] == assignment.due_at.isoformat()


def test_the_snippet_in_the_docs_verifies_a_real_delivery(hooked, reporter):
    section = (ROOT / "docs" / "operators.md").read_text().split("## Operator workspace, API and webhook", 1)[1]
    snippet = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    namespace: dict = {}
    exec(snippet, namespace)  # the operator's own code, as the docs give it
    with Receiver() as receiver:
        operator = hooked(receiver.url)
        send_assignment_webhook(Assignment.objects.get(report=routed_report(reporter, operator)).pk)
    [(headers, body)] = receiver.requests
    assert namespace["is_from_the_city"](operator.webhook_secret, headers, body)
    assert not namespace["is_from_the_city"]("not-the-secret", headers, body)


def test_the_payload_carries_no_personal_data(hooked, reporter):
    with Receiver() as receiver:
        operator = hooked(receiver.url)
        report = routed_report(reporter, operator, description="Bike at my house, call 0812 3456 7890")
        report.attributes["vehicle_code"] = "KB-0042"
        report.save(update_fields=["attributes"])
        send_assignment_webhook(Assignment.objects.get(report=report).pk)
    text = receiver.requests[0][1].decode()
    for personal in (REPORTER_NAME, REPORTER_EMAIL, "0812 3456 7890", "my house", "KB-0042", "reporter", "email"):
        assert personal not in text
    assert set(json.loads(text)["report"]) == {"id", "service_code", "status", "lat", "lon", "url", "api_url"}


def test_a_failing_endpoint_raises_and_the_outbox_keeps_the_job(hooked, reporter, django_capture_on_commit_callbacks):
    with Receiver(status=500) as receiver:
        operator = hooked(receiver.url)
        report = routed_report(reporter, operator)
        assignment = Assignment.objects.get(report=report)
        with pytest.raises(OSError):  # urllib's HTTPError: the job is not done
            send_assignment_webhook(assignment.pk)
        pending = outbox.enqueue(notify_operator_assignment_task, assignment_id=assignment.pk)
        with pytest.raises(OSError):
            outbox.run(pending.pk)
        assert PendingJob.objects.filter(pk=pending.pk).exists(), "kept for the sweep to send again"
        receiver.status = 200
        assert outbox.run(pending.pk) is True
    assert not PendingJob.objects.filter(pk=pending.pk).exists()
    assert len(receiver.requests) == 3


def test_an_operator_without_a_webhook_is_not_called(kring, reporter):
    report = routed_report(reporter, kring[0])
    assert send_assignment_webhook(Assignment.objects.get(report=report).pk) is False
