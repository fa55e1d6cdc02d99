"""Report first, confirm after: a visitor's report stays unpublished until their email is confirmed."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone

from citizens.models import User
from citizens.tests.factories import PASSWORD, UserFactory
from moderation.models import ModerationState, QueueItem
from opendata.datasets import DATASETS
from services.actions import reports_purge_unconfirmed
from services.models import Follow, Report, UnconfirmedReport
from services.tests.factories import CITY_LAT, CITY_LON, ServiceFactory

pytestmark = pytest.mark.django_db


def file_as_visitor(client, service, callbacks, **extra):
    data = {"lat": str(CITY_LAT), "lon": str(CITY_LON), "description": "Streetlight dark all night"}
    with callbacks(execute=True):
        response = client.post(f"/report/{service.service_code}/", {**data, **extra})
    return response


def confirm_path() -> str:
    match = re.search(r"https?://[^/\s]+(/report/confirm/[^\s]+)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_a_visitor_reports_then_one_tap_on_the_emailed_link_publishes_it(client, django_capture_on_commit_callbacks):
    service = ServiceFactory()
    response = file_as_visitor(
        client, service, django_capture_on_commit_callbacks, email="Visitor@Example.org", name="Dewi"
    )

    assert response["Location"] == "/report/sent/"
    report = Report.objects.get()
    assert report.reporter is None
    assert report.moderation_state == ModerationState.PENDING
    assert client.get(f"/reports/{report.pk}/").status_code == 404
    assert client.get("/api/v1/reports/").json()["results"] == []
    assert client.get("/open311/v2/requests.json").json() == []
    assert not QueueItem.objects.exists(), "an unconfirmed report does not reach the moderators"
    assert mail.outbox[-1].to == ["Visitor@Example.org"]
    assert "Confirm your report" in mail.outbox[-1].subject

    page = client.get(confirm_path())

    assert page.status_code == 200
    assert "Your report is published" in page.content.decode()
    report.refresh_from_db()
    assert report.is_visible
    user = User.objects.get(email="visitor@example.org")
    assert report.reporter == user
    assert user.display_name == "Dewi"
    assert not user.has_usable_password()
    assert EmailAddress.objects.filter(user=user, verified=True).exists()
    assert Follow.objects.filter(report=report, user=user).exists()
    assert not UnconfirmedReport.objects.exists()
    assert client.get(f"/reports/{report.pk}/").status_code == 200

    again = client.get(confirm_path())
    assert again.status_code == 200
    assert User.objects.count() == 1


def test_confirming_joins_the_existing_account_with_that_address(client, django_capture_on_commit_callbacks):
    citizen = UserFactory(email="sari@example.org")
    service = ServiceFactory(pre_moderated=True)
    file_as_visitor(client, service, django_capture_on_commit_callbacks, email="sari@example.org")

    client.get(confirm_path())

    report = Report.objects.get()
    assert report.reporter == citizen
    assert report.moderation_state == ModerationState.PENDING, "a pre-moderated service still waits"
    assert QueueItem.objects.count() == 1
    assert client.login(email="sari@example.org", password=PASSWORD), "the account's password is untouched"


def test_an_unconfirmed_account_with_that_address_loses_its_password_when_confirmed(
    client, django_capture_on_commit_callbacks
):
    squatter = UserFactory(email="owner@example.org", verified=False)
    file_as_visitor(client, ServiceFactory(), django_capture_on_commit_callbacks, email="owner@example.org")

    client.get(confirm_path())

    squatter.refresh_from_db()
    assert not squatter.has_usable_password()
    assert Report.objects.get().reporter == squatter


def test_a_forged_link_is_not_found(client):
    assert client.get("/report/confirm/forged/").status_code == 404


def test_the_email_is_required_from_a_visitor_and_signed_in_citizens_give_none(
    client, citizen, django_capture_on_commit_callbacks
):
    service = ServiceFactory()
    refused = file_as_visitor(client, service, django_capture_on_commit_callbacks)
    assert "Give your email address" in refused.content.decode()
    assert Report.objects.count() == 0

    client.force_login(citizen)
    form = client.get(f"/report/{service.service_code}/").content.decode()
    assert 'name="email"' not in form
    response = file_as_visitor(client, service, django_capture_on_commit_callbacks)
    assert response["Location"] == f"/reports/{Report.objects.get().pk}/"
    assert not UnconfirmedReport.objects.exists()


def test_unconfirmed_reports_are_deleted_after_the_retention_period(
    client, settings, django_capture_on_commit_callbacks
):
    settings.UNCONFIRMED_REPORT_RETENTION_DAYS = 7
    file_as_visitor(client, ServiceFactory(), django_capture_on_commit_callbacks, email="late@example.org")
    report = Report.objects.get()

    assert reports_purge_unconfirmed(now=timezone.now() + timedelta(days=6)) == 0
    assert reports_purge_unconfirmed(now=timezone.now() + timedelta(days=8)) == 1

    assert not Report.objects.filter(pk=report.pk).exists()
    assert client.get(confirm_path()).status_code == 404


def test_an_unconfirmed_report_is_in_no_dataset(client, django_capture_on_commit_callbacks):
    file_as_visitor(client, ServiceFactory(), django_capture_on_commit_callbacks, email="hidden@example.org")
    assert list(DATASETS["reports"].rows(timezone.now() + timedelta(days=1))) == []


def test_an_address_with_several_reports_waiting_is_refused_more(client, django_capture_on_commit_callbacks):
    service = ServiceFactory()
    for _number in range(5):
        file_as_visitor(client, service, django_capture_on_commit_callbacks, email="busy@example.org")
    sent = len(mail.outbox)

    refused = file_as_visitor(client, service, django_capture_on_commit_callbacks, email="BUSY@example.org")

    assert "Several reports already wait for confirmation at this address" in refused.content.decode()
    assert Report.objects.count() == 5
    assert len(mail.outbox) == sent
