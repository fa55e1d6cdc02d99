"""GET /api/v1/reports/<id>/: one report with its public timeline."""

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation.models import ModerationState
from services import actions
from services.models import ReportComment, ReportStatus
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def test_the_timeline_interleaves_status_updates_and_visible_comments_oldest_first(client, citizen, staff):
    report = ReportFactory(created_at=timezone.now() - timedelta(days=2))
    ReportComment.objects.create(
        report=report, author=citizen, body="Still there", show_name=True, created_at=timezone.now() - timedelta(days=1)
    )
    ReportComment.objects.create(report=report, author=citizen, body="Hidden", moderation_state=ModerationState.HIDDEN)
    actions.report_change_status(report=report, to_status=ReportStatus.IN_PROGRESS, by=staff, note="Crew sent")
    ReportComment.objects.create(report=report, author=citizen, body="Thanks", show_name=False)

    response = client.get(f"/api/v1/reports/{report.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["url"] == f"http://testserver/reports/{report.pk}/"
    assert body["status"] == "in_progress"
    assert body["comments_count"] == 2
    timeline = body["timeline"]
    assert [entry["kind"] for entry in timeline] == ["comment", "update", "comment"]
    assert (timeline[0]["body"], timeline[0]["author_name"]) == ("Still there", "Citizen One")
    assert (timeline[1]["from_status"], timeline[1]["to_status"], timeline[1]["note"], timeline[1]["by"]) == (
        "open",
        "in_progress",
        "Crew sent",
        "city",
    )
    assert (timeline[2]["body"], timeline[2]["author_name"]) == ("Thanks", None)
    assert "City Staff" not in response.content.decode()
    assert citizen.email not in response.content.decode()


@pytest.mark.parametrize("state", [ModerationState.HIDDEN, ModerationState.PENDING, ModerationState.REJECTED])
def test_a_report_the_public_may_not_see_is_a_404(client, state):
    report = ReportFactory(moderation_state=state)
    assert client.get(f"/api/v1/reports/{report.pk}/").status_code == 404


def test_the_reporter_sees_their_own_report_while_it_waits_for_moderation(client, citizen, other_citizen):
    report = ReportFactory(reporter=citizen, moderation_state=ModerationState.PENDING)
    client.force_login(other_citizen)
    assert client.get(f"/api/v1/reports/{report.pk}/").status_code == 404
    client.force_login(citizen)
    assert client.get(f"/api/v1/reports/{report.pk}/").status_code == 200
    assert report.pk not in [listed["id"] for listed in client.get("/api/v1/reports/").json()["results"]]


def test_the_reporter_sees_their_own_hidden_report_marked_as_hidden(client, citizen, other_citizen):
    report = ReportFactory(reporter=citizen, moderation_state=ModerationState.HIDDEN)
    client.force_login(citizen)
    response = client.get(f"/api/v1/reports/{report.pk}/")
    assert response.status_code == 200
    assert response.json()["moderation_state"] == "hidden"
    client.force_login(other_citizen)
    assert client.get(f"/api/v1/reports/{report.pk}/").status_code == 404


def test_an_unknown_report_is_a_404_json(client):
    response = client.get("/api/v1/reports/999999/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
