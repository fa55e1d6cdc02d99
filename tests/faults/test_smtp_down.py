"""The mail server is unreachable during the third flag: the flag still works, the item is hidden,
and the author's email is sent once the mail server answers again."""

import socket
import time

import pytest
from aiosmtpd.controller import Controller
from django.test import Client

from citizens.tests.factories import UserFactory
from cocreate import outbox
from cocreate.models import PendingJob
from conftest import wait_for
from moderation.models import FlagReason, ModerationState
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


@pytest.fixture
def smtp_port(settings) -> int:
    port = free_port()  # nothing listens on it until the test starts the server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 2
    return port


def test_the_third_flag_hides_the_item_and_the_email_waits_for_the_mail_server(
    smtp_port, settings, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    settings.MODERATION_AUTO_HIDE_FLAGS = 3
    author = UserFactory(email="author@example.org", preferred_language="en")
    report = ReportFactory(reporter=author)
    flaggers = UserFactory.create_batch(3)

    responses = []
    for flagger in flaggers:
        browser = Client(raise_request_exception=False)
        browser.force_login(flagger)
        with django_capture_on_commit_callbacks(execute=True):
            responses.append(browser.post(f"/moderation/flag/report/{report.pk}/", {"reason": FlagReason.SPAM}))

    assert [response.status_code for response in responses] == [302, 302, 302]
    report.refresh_from_db()
    assert report.moderation_state == ModerationState.HIDDEN
    waiting = PendingJob.objects.get()
    assert waiting.name == "citizens.mail.send_email"

    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    server.start()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            call_command("sweep_pending_jobs")
    finally:
        server.stop()

    assert len(inbox.messages) == 1
    _sender, recipients, content = inbox.messages[0]
    assert recipients == ["author@example.org"]
    assert f"/reports/{report.pk}/".encode() in content
    assert not PendingJob.objects.exists()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_retries_the_email_until_the_mail_server_answers(smtp_port, settings, celery_worker_on_redis):
    settings.MODERATION_AUTO_HIDE_FLAGS = 3
    author = UserFactory(email="author@example.org", preferred_language="en")
    report = ReportFactory(reporter=author)
    for flagger in UserFactory.create_batch(3):
        browser = Client(raise_request_exception=False)
        browser.force_login(flagger)
        response = browser.post(f"/moderation/flag/report/{report.pk}/", {"reason": FlagReason.SPAM})
        assert response.status_code == 302

    report.refresh_from_db()
    assert report.moderation_state == ModerationState.HIDDEN
    assert wait_for(lambda: PendingJob.objects.filter(name="citizens.mail.send_email").exists(), timeout=20)
    time.sleep(1)  # the worker's first attempt meets a closed port

    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    server.start()
    try:
        # Celery's own retries (with back-off) deliver it; the sweep is the safety net behind them.
        if not wait_for(lambda: inbox.messages, timeout=40):
            outbox.sweep()
            wait_for(lambda: inbox.messages, timeout=20)
    finally:
        server.stop()

    assert [recipients for _sender, recipients, _content in inbox.messages] == [["author@example.org"]]
    assert wait_for(lambda: not PendingJob.objects.exists(), timeout=10)
