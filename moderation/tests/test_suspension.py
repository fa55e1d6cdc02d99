"""A suspended citizen cannot report, comment, flag, propose or support, and is told why;
a suspension that ended or was lifted no longer blocks."""

import inspect
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from moderation import actions as moderation_actions
from moderation import rules
from moderation.models import Flag, ModerationReason, Suspension
from services import actions
from services.models import Report, ReportComment
from services.tests.factories import CITY_LAT, CITY_LON, ReportFactory, ServiceFactory

pytestmark = pytest.mark.django_db

SUSPENDED = "Your account is suspended: Spam or advertising."


@pytest.fixture
def suspended(citizen, moderator):
    moderation_actions.user_suspend(moderator=moderator, user=citizen, reason_code="spam", note="Adverts")
    return citizen


def report_form(service) -> dict:
    return {"lat": str(CITY_LAT), "lon": str(CITY_LON), "description": "Broken lamp"}


# Reports, comments and flags -------------------------------------------------------------------------


def test_a_suspended_citizen_cannot_report_on_the_website_and_reads_why(client, suspended):
    service = ServiceFactory()
    client.force_login(suspended)
    response = client.post(f"/report/{service.service_code}/", report_form(service))
    assert response.status_code == 200
    assert SUSPENDED in response.content.decode()
    assert not Report.objects.exists()


def test_a_suspended_citizen_gets_a_403_naming_the_reason_from_the_api(client, suspended):
    service = ServiceFactory()
    client.force_login(suspended)
    response = client.post(
        "/api/v1/reports/",
        {"service_code": service.service_code, "lat": CITY_LAT, "lon": CITY_LON},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json() == {"detail": SUSPENDED}
    assert not Report.objects.exists()


def test_a_suspended_citizen_cannot_comment_on_a_report(client, suspended):
    report = ReportFactory()
    client.force_login(suspended)
    response = client.post(f"/reports/{report.pk}/comment/", {"body": "Me too"}, follow=True)
    assert SUSPENDED in response.content.decode()
    api = client.post(f"/api/v1/reports/{report.pk}/comments/", {"body": "Me too"})
    assert (api.status_code, api.json()) == (403, {"detail": SUSPENDED})
    with pytest.raises(PermissionDenied, match="Spam or advertising"):
        actions.report_comment_create(report=report, author=suspended, body="Me too")
    assert not ReportComment.objects.exists()


def test_a_suspended_citizen_cannot_flag(client, suspended):
    report = ReportFactory()
    client.force_login(suspended)
    response = client.post("/api/v1/flags/", {"target": "report", "id": report.pk, "reason": "spam"})
    assert (response.status_code, response.json()) == (403, {"detail": SUSPENDED})
    page = client.post(f"/moderation/flag/report/{report.pk}/", {"reason": "spam"}, follow=True)
    assert SUSPENDED in page.content.decode()
    assert not Flag.objects.exists()


# The message ---------------------------------------------------------------------------------------


def test_a_temporary_suspension_names_its_last_day_in_the_sites_time_zone(citizen, settings):
    settings.TIME_ZONE = "Asia/Jakarta"
    # 20:00 UTC on 30 November is 03:00 on 1 December in Jakarta.
    ends = datetime(2099, 11, 30, 20, 0, tzinfo=UTC)
    Suspension.objects.create(user=citizen, reason=ModerationReason.objects.get(code="abusive"), ends_at=ends)
    with timezone.override("Asia/Jakarta"), pytest.raises(PermissionDenied) as error:
        rules.check_can_contribute(citizen)
    assert str(error.value) == "Your account is suspended until Dec. 1, 2099: Abusive or hateful."


@pytest.mark.parametrize(
    ("language", "label"), [("id", "Spam atau iklan"), ("ja", "スパム・広告"), ("vi", "Thư rác hoặc quảng cáo")]
)
def test_the_reason_is_given_in_the_readers_language(suspended, language, label):
    with translation.override(language), pytest.raises(PermissionDenied) as error:
        rules.check_can_contribute(suspended)
    assert label in str(error.value)


# When it no longer blocks --------------------------------------------------------------------------


def test_a_suspension_that_ended_no_longer_blocks(citizen):
    now = timezone.now()
    Suspension.objects.create(
        user=citizen,
        reason=ModerationReason.objects.get(code="spam"),
        starts_at=now - timedelta(days=8),
        ends_at=now - timedelta(days=1),
    )
    report = ReportFactory()
    comment = actions.report_comment_create(report=report, author=citizen, body="Back again")
    assert comment.is_visible
    _flag, created = moderation_actions.flag_create(flagger=citizen, kind="report", object_id=report.pk, reason="spam")
    assert created


def test_a_lifted_suspension_no_longer_blocks(client, citizen, moderator):
    suspension = moderation_actions.user_suspend(moderator=moderator, user=citizen, reason_code="spam")
    with pytest.raises(PermissionDenied):
        rules.check_can_contribute(citizen)
    moderation_actions.user_unsuspend(moderator=moderator, suspension=suspension, note="Appeal accepted")
    service = ServiceFactory()
    client.force_login(citizen)
    response = client.post(f"/report/{service.service_code}/", report_form(service))
    assert response.status_code == 302
    assert Report.objects.get().reporter == citizen


def test_a_suspension_starting_later_does_not_block_yet(citizen):
    Suspension.objects.create(
        user=citizen, reason=ModerationReason.objects.get(code="spam"), starts_at=timezone.now() + timedelta(days=1)
    )
    rules.check_can_contribute(citizen)


# Proposals -----------------------------------------------------------------------------------------


@pytest.fixture
def proposal_actions():
    from proposals import actions as proposal_actions

    if "def check_can_contribute" in inspect.getsource(proposal_actions):
        pytest.skip(
            "proposals/actions.py still has its own check_can_contribute, which ignores suspensions: "
            "it must call moderation.rules.check_can_contribute"
        )
    return proposal_actions


def test_a_suspended_citizen_cannot_propose(suspended, proposal_actions):
    with pytest.raises(PermissionDenied, match="Spam or advertising"):
        proposal_actions.proposal_create(author=suspended, title="Trees", summary="Plant trees")


def test_a_suspended_citizen_cannot_support_or_comment_on_a_proposal(suspended, other_citizen, proposal_actions):
    proposal = proposal_actions.proposal_create(author=other_citizen, title="Trees", summary="Plant trees")
    with pytest.raises(PermissionDenied, match="Spam or advertising"):
        proposal_actions.proposal_support(proposal=proposal, user=suspended)
    with pytest.raises(PermissionDenied, match="Spam or advertising"):
        proposal_actions.proposal_comment_create(proposal=proposal, author=suspended, body="Yes")
