"""A public status update emails the reporter and each follower, one email each, in their language."""

import time

import pytest
from django.conf import settings
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.utils import translation

from cocreate import following
from moderation.models import ModerationState
from services import notifications
from services.actions import report_change_status, report_create, report_follow, report_unfollow
from services.models import Report, ReportStatus
from services.notifications import read_unfollow_token, unfollow_token
from services.tests.factories import CITY_LAT, CITY_LON, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(citizen, other_citizen) -> Report:
    service = ServiceFactory()
    report = report_create(service_code=service.service_code, lat=CITY_LAT, lon=CITY_LON, reporter=citizen)
    report_follow(report=report, user=other_citizen)
    return report


def change_status(report, staff, django_capture_on_commit_callbacks, note="Crew sent on Monday."):
    with django_capture_on_commit_callbacks(execute=True):
        report_change_status(report=report, to_status=ReportStatus.IN_PROGRESS, by=staff, note=note)


def unfollow_url_in(body: str) -> str:
    prefix = f"{settings.SITE_URL}/unfollow/"
    return next(line.strip() for line in body.splitlines() if line.strip().startswith(prefix))


def test_the_reporter_and_a_follower_each_get_one_email_addressed_to_them_alone(
    report, citizen, other_citizen, staff, django_capture_on_commit_callbacks
):
    change_status(report, staff, django_capture_on_commit_callbacks)

    assert sorted(message.to[0] for message in mail.outbox) == sorted([citizen.email, other_citizen.email])
    for message in mail.outbox:
        assert len(message.to) == 1
        assert message.cc == [] and message.bcc == []
        assert message.recipients() == message.to
        assert f"#{report.pk}" in message.subject


def test_each_email_links_to_the_report_and_to_an_unfollow_page_for_its_reader(
    report, citizen, other_citizen, staff, django_capture_on_commit_callbacks
):
    change_status(report, staff, django_capture_on_commit_callbacks)

    readers = {citizen.email: citizen, other_citizen.email: other_citizen}
    for message in mail.outbox:
        assert f"{settings.SITE_URL}/reports/{report.pk}/" in message.body
        assert "Crew sent on Monday." in message.body
        unfollow_url = unfollow_url_in(message.body)
        token = unfollow_url.rstrip("/").rsplit("/", 1)[-1]
        assert read_unfollow_token(token) == (readers[message.to[0]].pk, report.pk)
        assert message.extra_headers["List-Unsubscribe"] == f"<{unfollow_url}>"


def test_each_email_is_written_in_its_readers_preferred_language(
    report, citizen, other_citizen, staff, django_capture_on_commit_callbacks, monkeypatch
):
    other_citizen.preferred_language = "id"
    other_citizen.save(update_fields=["preferred_language"])
    # Translations of the email may not exist yet, so record the language each email is rendered in.
    languages = {}
    render = following.render_to_string

    def recording_render(template_name, context):
        user_id, _ = read_unfollow_token(context["unfollow_url"].rstrip("/").rsplit("/", 1)[-1])
        languages.setdefault(user_id, set()).add(translation.get_language())
        return render(template_name, context)

    monkeypatch.setattr(following, "render_to_string", recording_render)

    with translation.override("en"):
        change_status(report, staff, django_capture_on_commit_callbacks)

    assert languages == {citizen.pk: {"en"}, other_citizen.pk: {"id"}}
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("state", [ModerationState.HIDDEN, ModerationState.PENDING])
def test_no_email_goes_out_about_a_report_the_public_cannot_see(
    report, staff, django_capture_on_commit_callbacks, state
):
    Report.objects.filter(pk=report.pk).update(moderation_state=state)

    change_status(report, staff, django_capture_on_commit_callbacks)

    assert mail.outbox == []


def test_an_inactive_follower_gets_nothing(report, citizen, other_citizen, staff, django_capture_on_commit_callbacks):
    other_citizen.is_active = False
    other_citizen.save(update_fields=["is_active"])

    change_status(report, staff, django_capture_on_commit_callbacks)

    assert [message.to for message in mail.outbox] == [[citizen.email]]


def test_a_person_who_stopped_following_gets_nothing(
    report, citizen, other_citizen, staff, django_capture_on_commit_callbacks
):
    report_unfollow(report=report, user=other_citizen)

    change_status(report, staff, django_capture_on_commit_callbacks)

    assert [message.to for message in mail.outbox] == [[citizen.email]]


def test_a_refused_status_change_sends_nothing(report, staff, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError), django_capture_on_commit_callbacks(execute=True):
        report_change_status(report=report, to_status=ReportStatus.REJECTED, by=staff, rejection_reason="")

    assert mail.outbox == []


# Unfollow tokens


def test_an_unfollow_token_reads_back_its_person_and_report():
    token = unfollow_token(user_id=12, report_id=345)

    assert read_unfollow_token(token) == (12, 345)


def tampered(token: str) -> str:
    _payload, timestamp, signature = token.split(":")
    other = signing.dumps({"u": 13, "r": 345}, salt=notifications.UNFOLLOW_SALT).split(":")[0]
    return f"{other}:{timestamp}:{signature}"


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(tampered, id="payload swapped"),
        pytest.param(lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"), id="signature changed"),
        pytest.param(lambda token: signing.dumps({"u": 12, "r": 345}, salt="another.salt"), id="other salt"),
        pytest.param(
            lambda token: signing.dumps({"u": 12, "r": 345}, key="x" * 50, salt=notifications.UNFOLLOW_SALT),
            id="other key",
        ),
        pytest.param(lambda token: "not-a-token", id="garbage"),
        pytest.param(lambda token: "", id="empty"),
    ],
)
def test_a_tampered_or_foreign_unfollow_token_reads_as_nothing(make_token):
    assert read_unfollow_token(make_token(unfollow_token(user_id=12, report_id=345))) is None


def test_an_unfollow_token_older_than_a_year_reads_as_nothing(monkeypatch):
    token = unfollow_token(user_id=12, report_id=345)
    real_time = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() + 366 * 24 * 60 * 60)

    assert read_unfollow_token(token) is None


def test_the_service_is_named_in_each_readers_language_whatever_language_the_staff_member_speaks(
    citizen, other_citizen, staff, django_capture_on_commit_callbacks
):
    service = ServiceFactory(name="Streetlight out", name_ind="Lampu jalan mati", name_ko="가로등 고장")
    report = report_create(service_code=service.service_code, lat=CITY_LAT, lon=CITY_LON, reporter=citizen)
    report_follow(report=report, user=other_citizen)
    citizen.preferred_language = "ko"
    citizen.save(update_fields=["preferred_language"])
    other_citizen.preferred_language = "th"  # no Thai name: the English one
    other_citizen.save(update_fields=["preferred_language"])

    with translation.override("id"):
        change_status(report, staff, django_capture_on_commit_callbacks)

    bodies = {message.to[0]: message.subject + message.body for message in mail.outbox}
    assert "가로등 고장" in bodies[citizen.email] and "Lampu jalan mati" not in bodies[citizen.email]
    assert "Streetlight out" in bodies[other_citizen.email]
