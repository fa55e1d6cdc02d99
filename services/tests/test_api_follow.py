"""/api/v1/reports/<id>/follow/: follow a report to get its updates by email, and stop."""

import pytest

from citizens.tests.factories import UserFactory
from moderation.models import ModerationState
from services.models import Follow
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def test_following_is_201_the_first_time_and_200_after(client, citizen):
    report = ReportFactory()
    client.force_login(citizen)
    first = client.post(f"/api/v1/reports/{report.pk}/follow/")
    again = client.post(f"/api/v1/reports/{report.pk}/follow/")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == {"following": True}
    assert Follow.objects.filter(report=report, user=citizen).count() == 1


def test_unfollowing_is_204_whether_or_not_one_followed(client, citizen):
    report = ReportFactory()
    Follow.objects.create(report=report, user=citizen)
    client.force_login(citizen)
    assert client.delete(f"/api/v1/reports/{report.pk}/follow/").status_code == 204
    assert client.delete(f"/api/v1/reports/{report.pk}/follow/").status_code == 204
    assert not Follow.objects.exists()


def test_unfollowing_leaves_other_followers_alone(client, citizen, other_citizen):
    report = ReportFactory()
    Follow.objects.create(report=report, user=other_citizen)
    client.force_login(citizen)
    client.delete(f"/api/v1/reports/{report.pk}/follow/")
    assert Follow.objects.filter(user=other_citizen).exists()


def test_a_hidden_report_cannot_be_followed(client, citizen):
    report = ReportFactory(moderation_state=ModerationState.HIDDEN)
    client.force_login(citizen)
    assert client.post(f"/api/v1/reports/{report.pk}/follow/").status_code == 404
    assert not Follow.objects.exists()


def test_anonymous_and_unverified_people_cannot_follow(client):
    report = ReportFactory()
    assert client.post(f"/api/v1/reports/{report.pk}/follow/").status_code in (401, 403)
    client.force_login(UserFactory(verified=False))
    assert client.post(f"/api/v1/reports/{report.pk}/follow/").status_code == 403
    assert not Follow.objects.exists()
