"""/moderation/: how moderation is used, in monthly counts by kind of item, action and reason, with no names."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from citizens import roles
from citizens.tests.factories import UserFactory
from moderation import stats
from moderation.actions import log_action
from moderation.models import ActionKind, ModerationAction
from services.models import ReportComment
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")


def cells(body: str) -> str:
    """The page with the white space between tags removed, to find table rows."""
    return re.sub(r">\s+<", "><", body)


def entry(action: str, kind: str, reason: str, when: datetime) -> ModerationAction:
    return ModerationAction.objects.create(
        actor_role="moderator", action=action, kind=kind, reason=reason, created_at=when
    )


@pytest.fixture
def moderator_jane():
    return UserFactory(
        display_name="Jane Moderator", email="jane@city.example.org", is_staff=True, role=roles.MODERATORS
    )


def test_the_page_counts_this_months_actions_without_names_or_ids(client, moderator_jane, citizen):
    reports = ReportFactory.create_batch(3)
    for report in reports:
        log_action(actor=moderator_jane, action=ActionKind.HIDE, target=report, reason="spam", note="Phone adverts")
    comment = ReportComment.objects.create(report=reports[0], author=citizen, body="Call 0812")
    log_action(actor=None, action=ActionKind.AUTO_HIDE, target=comment, reason="personal_information", note="3")
    log_action(actor=moderator_jane, action=ActionKind.SUSPEND, target=citizen, reason="abusive")
    log_action(actor=moderator_jane, action=ActionKind.STATUS_CHANGE, target=reports[1], note="Crew sent")

    response = client.get("/moderation/")
    assert response.status_code == 200
    body = cells(response.content.decode())
    assert "How moderation is used" in body
    assert "<td>Report</td><td>Hidden</td><td>Spam or advertising</td><td>3</td>" in body
    assert (
        "<td>Report comment</td><td>Hidden automatically after flags</td><td>Personal information</td><td>1</td>"
        in body
    )
    assert "<td>Account</td><td>Account suspended</td><td>Abusive or hateful</td><td>1</td>" in body
    assert '<td colspan="3">Total</td><td>5</td>' in body
    assert "Report status changed" not in body  # the city's workflow, not moderation
    for private in ("Jane", "jane@city.example.org", "Phone adverts", "Crew sent", citizen.email, "Citizen One"):
        assert private not in body
    for report in reports:
        assert f"/reports/{report.pk}/" not in body


def test_small_counts_are_shown_exactly(client, moderator_jane):
    log_action(actor=moderator_jane, action=ActionKind.REJECT, target=ReportFactory(), reason="off-topic")
    body = cells(client.get("/moderation/").content.decode())
    assert "<td>Report</td><td>Rejected</td><td>Off topic</td><td>1</td>" in body
    assert "&lt;5" not in body


def test_an_empty_year_says_so(client):
    assert "No moderation action in this period." in client.get("/moderation/").content.decode()


def test_months_are_counted_in_the_sites_time_zone_over_the_last_twelve(settings):
    settings.TIME_ZONE = "Asia/Jakarta"
    now = datetime(2026, 11, 22, 12, tzinfo=JAKARTA)
    entry(ActionKind.HIDE, "report", "spam", datetime(2026, 11, 1, 0, 30, tzinfo=JAKARTA))  # 31 Oct in UTC
    entry(ActionKind.HIDE, "report", "spam", datetime(2026, 11, 20, tzinfo=JAKARTA))
    entry(ActionKind.APPROVE, "proposal", "meets-rules", datetime(2026, 10, 31, 23, tzinfo=JAKARTA))
    entry(ActionKind.RESTORE, "proposal", "meets-rules", datetime(2025, 12, 1, 0, 10, tzinfo=JAKARTA))
    entry(ActionKind.HIDE, "report", "spam", datetime(2025, 11, 30, 23, tzinfo=JAKARTA))  # thirteen months back

    months = stats.monthly_counts(now)

    assert [month.month.isoformat() for month in months] == ["2026-11-01", "2026-10-01", "2025-12-01"]
    assert [(row.kind, row.action, row.reason, row.count) for row in months[0].rows] == [
        ("Report", "Hidden", "Spam or advertising", 2)
    ]
    assert [(row.kind, row.action, row.count) for row in months[1].rows] == [("Proposal", "Approved", 1)]
    assert [(row.kind, row.action, row.count) for row in months[2].rows] == [("Proposal", "Restored", 1)]


def test_the_counts_cost_one_aggregate_query_and_one_for_the_reason_labels(django_assert_num_queries):
    now = datetime(2026, 11, 22, 12, tzinfo=JAKARTA)
    for day in range(1, 20):
        entry(ActionKind.HIDE, "report", "spam", datetime(2026, 11, day, tzinfo=JAKARTA))
        entry(ActionKind.DISMISS_FLAGS, "report_comment", "meets-rules", datetime(2026, 6, day, tzinfo=JAKARTA))
    with django_assert_num_queries(2):
        months = stats.monthly_counts(now)
    assert [month.total for month in months] == [19, 19]


def test_labels_follow_the_language_of_the_page():
    entry(ActionKind.HIDE, "report", "spam", datetime.now(JAKARTA))
    with translation.override("id"):
        (month,) = stats.monthly_counts()
    assert month.rows[0].reason == "Spam atau iklan"
