"""A citizen's own reports: on the account page and at /api/v1/me/reports/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation.models import ModerationState
from services.models import ReportStatus
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/reports/"


def test_the_api_lists_only_the_requesters_reports_most_recently_updated_first(client, citizen, other_citizen):
    now = timezone.now()
    old = ReportFactory(reporter=citizen, updated_at=now - timedelta(days=3))
    pending = ReportFactory(reporter=citizen, moderation_state=ModerationState.PENDING, updated_at=now)
    ReportFactory(reporter=other_citizen)
    client.force_login(citizen)

    response = client.get(URL)

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [pending.pk, old.pk]
    assert [row["moderation_state"] for row in rows] == ["pending", "published"]
    assert rows[1]["url"].endswith(f"/reports/{old.pk}/")


def test_the_api_shows_the_status_and_the_last_update(client, citizen):
    report = ReportFactory(reporter=citizen, status=ReportStatus.IN_PROGRESS)
    client.force_login(citizen)
    row = client.get(URL).json()["results"][0]
    assert row["status"] == "in_progress"
    assert row["updated_at"].startswith(
        report.updated_at.astimezone(timezone.get_current_timezone()).date().isoformat()
    )


def test_a_visitor_is_told_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 403
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_the_list_costs_the_same_for_one_report_or_many(client, citizen, django_assert_max_num_queries):
    ReportFactory.create_batch(12, reporter=citizen)
    client.force_login(citizen)
    # The session, the user, the reports with their service and reporter, their photos.
    with django_assert_max_num_queries(4):
        response = client.get(URL)
    assert len(response.json()["results"]) == 12


def test_the_schema_documents_the_endpoint(client):
    schema = client.get("/api/schema/", headers={"accept": "application/json"}).json()
    assert "/api/v1/me/reports/" in schema["paths"]
    assert "moderation_state" in schema["components"]["schemas"]["MyReport"]["properties"]


def test_the_account_page_lists_my_reports_with_status_update_and_link(client, citizen, other_citizen):
    mine = ReportFactory(reporter=citizen, status=ReportStatus.ACKNOWLEDGED)
    theirs = ReportFactory(reporter=other_citizen)
    client.force_login(citizen)
    page = client.get("/accounts/profile/").content.decode()
    assert "My reports" in page
    assert f'href="/reports/{mine.pk}/"' in page
    assert "Acknowledged" in page
    assert "Last update:" in page
    assert f'href="/reports/{theirs.pk}/"' not in page


def test_the_account_page_invites_a_first_report(client, citizen):
    client.force_login(citizen)
    assert "You have not reported a problem yet." in client.get("/accounts/profile/").content.decode()
