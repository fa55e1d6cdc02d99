"""City staff change a report's status through the API only when stepped up: TOTP in the session, or a staff token."""

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client

from citizens.actions import api_token_issue
from citizens.tests.two_factor import sign_in_with_password_only, sign_in_with_totp
from services.models import Follow, ReportStatus
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

TWO_FACTOR_REQUIRED = {
    "detail": "Staff powers need two-factor authentication: set up TOTP and sign in with its code.",
    "code": "two_factor_required",
}


@pytest.fixture
def report():
    report = ReportFactory()
    Follow.objects.create(report=report, user=report.reporter)
    return report


def change(client, report, **extra):
    return client.post(
        f"/api/v1/reports/{report.pk}/status/",
        {"status": "in_progress", "note": "A crew is on the way."},
        content_type="application/json",
        **extra,
    )


def assert_unchanged(report) -> None:
    report.refresh_from_db()
    assert report.status == ReportStatus.OPEN
    assert mail.outbox == []


def test_a_stepped_up_session_changes_the_status_and_followers_are_told(
    client, staff, report, django_capture_on_commit_callbacks
):
    sign_in_with_totp(client, staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = change(client, report)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_progress"
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_PROGRESS
    assert [message.to for message in mail.outbox] == [[report.reporter.email]]


@pytest.mark.parametrize("totp", [False, True], ids=["without TOTP", "TOTP but not in this session"])
def test_staff_who_did_not_pass_totp_get_a_403_with_a_reason(client, staff, report, totp):
    sign_in_with_password_only(client, staff, totp=totp)
    response = change(client, report)
    assert (response.status_code, response.json()) == (403, TWO_FACTOR_REQUIRED)
    assert_unchanged(report)


def test_citizens_and_moderators_are_refused_whatever_their_second_factor(client, citizen, moderator, report):
    for person in (citizen, moderator):
        sign_in_with_totp(client, person)
        response = change(client, report)
        assert response.status_code == 403
        assert response.json() == {"detail": "Only staff with this role may do this."}
    client.logout()
    assert change(client, report).json() == {"detail": "Authentication credentials were not provided."}
    assert_unchanged(report)


def test_a_staff_token_made_after_totp_counts_as_stepped_up(staff, report):
    sign_in_with_totp(Client(), staff)
    _token, key = api_token_issue(user=staff, for_staff=True)
    response = change(Client(enforce_csrf_checks=True), report, headers={"authorization": f"Token {key}"})
    assert response.status_code == 200, response.content
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_PROGRESS


def test_a_token_not_made_after_totp_keeps_only_citizen_powers(staff, report):
    sign_in_with_totp(Client(), staff)
    _token, key = api_token_issue(user=staff, for_staff=False)
    api = Client(enforce_csrf_checks=True)
    headers = {"authorization": f"Token {key}"}
    response = change(api, report, headers=headers)
    assert (response.status_code, response.json()) == (403, TWO_FACTOR_REQUIRED)
    assert api.post(f"/api/v1/reports/{report.pk}/follow/", headers=headers).status_code == 201
    assert_unchanged(report)


def test_a_staff_token_stops_carrying_staff_powers_once_totp_is_removed(staff, report):
    sign_in_with_totp(Client(), staff)
    _token, key = api_token_issue(user=staff, for_staff=True)
    Authenticator.objects.filter(user=staff).delete()
    response = change(Client(), report, headers={"authorization": f"Token {key}"})
    assert (response.status_code, response.json()) == (403, TWO_FACTOR_REQUIRED)
    assert_unchanged(report)


def test_an_unknown_status_is_a_400(client, staff, report):
    sign_in_with_totp(client, staff)
    response = client.post(
        f"/api/v1/reports/{report.pk}/status/", {"status": "fixed-ish"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "status" in response.json()
    assert_unchanged(report)


def test_a_duplicate_names_its_original(client, staff, report):
    original = ReportFactory()
    sign_in_with_totp(client, staff)
    url = f"/api/v1/reports/{report.pk}/status/"
    missing = client.post(url, {"status": "duplicate"}, content_type="application/json")
    assert missing.status_code == 400
    assert missing.json() == {"duplicate_of": ["Name the original report this one duplicates."]}
    named = client.post(url, {"status": "duplicate", "duplicate_of": original.pk}, content_type="application/json")
    assert named.status_code == 200, named.content
    report.refresh_from_db()
    assert (report.status, report.duplicate_of) == (ReportStatus.DUPLICATE, original)
