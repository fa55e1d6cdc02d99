"""/api/v1/reports/<id>/comments/: read the visible comments of a report, add one."""

import pytest

from citizens.tests.factories import UserFactory
from moderation.models import ModerationState
from services.models import ReportComment
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def test_anyone_reads_the_visible_comments_oldest_first_with_names_only_when_shown(client, citizen, other_citizen):
    report = ReportFactory()
    first = ReportComment.objects.create(report=report, author=citizen, body="First", show_name=True)
    ReportComment.objects.create(report=report, author=citizen, body="Gone", moderation_state=ModerationState.HIDDEN)
    second = ReportComment.objects.create(report=report, author=other_citizen, body="Second")
    response = client.get(f"/api/v1/reports/{report.pk}/comments/")
    assert response.status_code == 200
    comments = response.json()["results"]
    assert [(c["id"], c["body"], c["author_name"]) for c in comments] == [
        (first.pk, "First", "Citizen One"),
        (second.pk, "Second", None),
    ]
    assert citizen.email not in response.content.decode()


def test_a_citizen_comments_and_the_comment_is_listed(client, citizen):
    report = ReportFactory()
    client.force_login(citizen)
    response = client.post(f"/api/v1/reports/{report.pk}/comments/", {"body": "  Me too  ", "show_name": "true"})
    assert response.status_code == 201, response.content
    assert (response.json()["body"], response.json()["author_name"]) == ("Me too", "Citizen One")
    comment = ReportComment.objects.get()
    assert (comment.report, comment.author, comment.show_name) == (report, citizen, True)
    assert client.get(f"/api/v1/reports/{report.pk}/").json()["comments_count"] == 1


@pytest.mark.parametrize("body", ["", "   ", "x" * 2001])
def test_an_empty_or_overlong_comment_is_a_400(client, citizen, body):
    report = ReportFactory()
    client.force_login(citizen)
    response = client.post(f"/api/v1/reports/{report.pk}/comments/", {"body": body})
    assert response.status_code == 400
    assert "body" in response.json()
    assert not ReportComment.objects.exists()


def test_comments_on_a_hidden_report_are_not_found(client, citizen):
    report = ReportFactory(moderation_state=ModerationState.HIDDEN)
    client.force_login(citizen)
    assert client.get(f"/api/v1/reports/{report.pk}/comments/").status_code == 404
    assert client.post(f"/api/v1/reports/{report.pk}/comments/", {"body": "Hello"}).status_code == 404
    assert not ReportComment.objects.exists()


def test_the_reporter_cannot_comment_on_their_report_while_it_waits_for_moderation(client, citizen):
    report = ReportFactory(reporter=citizen, moderation_state=ModerationState.PENDING)
    client.force_login(citizen)
    response = client.post(f"/api/v1/reports/{report.pk}/comments/", {"body": "Any news?"})
    assert response.status_code == 400
    assert not ReportComment.objects.exists()


def test_anonymous_and_unverified_people_cannot_comment(client):
    report = ReportFactory()
    assert client.post(f"/api/v1/reports/{report.pk}/comments/", {"body": "Hi"}).status_code in (401, 403)
    client.force_login(UserFactory(verified=False))
    response = client.post(f"/api/v1/reports/{report.pk}/comments/", {"body": "Hi"})
    assert response.status_code == 403
    assert "Confirm your email address" in response.json()["detail"]
    assert not ReportComment.objects.exists()
