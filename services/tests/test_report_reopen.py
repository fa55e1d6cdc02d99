"""A citizen reopens a resolved report about a shared vehicle that is still there: within
REOPEN_DAYS of its resolution, from the report's page; it counts against the operator."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from citizens.tests.factories import UserFactory
from operators import actions as operator_actions
from operators.models import Assignment
from operators.tests.factories import operator_with_staff
from services.models import Follow, ReportStatus, ReportUpdate
from services.tests.factories import CITY_LAT, CITY_LON, ReportFactory

pytestmark = pytest.mark.django_db

REOPEN_BUTTON = "The vehicle is still there — reopen"


@pytest.fixture
def kring(db):
    return operator_with_staff("kring")


@pytest.fixture
def resolved(citizen, kring):
    """A report about a bike, routed to Kring and resolved by its staff as removed."""
    from services import actions

    report = actions.report_create(
        service_code="abandoned-vehicle",
        lat=CITY_LAT,
        lon=CITY_LON,
        description="A bike lying across the footpath",
        attributes={"blocking_footpath": "yes", "operator": "kring"},
        reporter=citizen,
    )
    operator_actions.report_route(report_id=report.pk)
    operator_actions.assignment_resolve(user=kring[1], report_id=report.pk, outcome="removed")
    report.refresh_from_db()
    return report


def reopen(client, report, note=""):
    return client.post(f"/reports/{report.pk}/reopen/", {"reopen-note": note}, follow=True)


def test_a_citizen_reopens_a_report_resolved_this_week_and_it_counts_against_the_operator(
    client, other_citizen, resolved
):
    client.force_login(other_citizen)
    assert REOPEN_BUTTON in client.get(resolved.get_absolute_url()).content.decode()
    before = Assignment.objects.get(report=resolved)
    response = reopen(client, resolved, note="Still on the footpath this morning.")
    assert "The report is open again." in response.content.decode()
    resolved.refresh_from_db()
    assert resolved.status == ReportStatus.OPEN
    assignment = Assignment.objects.get(report=resolved)
    assert assignment.reopened == 1
    assert assignment.is_open and assignment.outcome == ""
    assert assignment.due_at > before.due_at
    update = ReportUpdate.objects.filter(report=resolved).last()
    assert (update.by_role, update.note) == ("citizen", "Still on the footpath this morning.")
    assert Follow.objects.filter(report=resolved, user=other_citizen).exists()


def test_a_reopened_report_can_be_reopened_again_after_its_next_resolution(client, other_citizen, resolved, kring):
    client.force_login(other_citizen)
    reopen(client, resolved)
    operator_actions.assignment_resolve(user=kring[1], report_id=resolved.pk, outcome="reparked")
    reopen(client, resolved)
    assert Assignment.objects.get(report=resolved).reopened == 2


def test_after_seven_days_the_report_cannot_be_reopened(client, other_citizen, resolved):
    resolved.closed_at = timezone.now() - timedelta(days=7, minutes=1)
    resolved.save(update_fields=["closed_at"])
    client.force_login(other_citizen)
    assert REOPEN_BUTTON not in client.get(resolved.get_absolute_url()).content.decode()
    response = reopen(client, resolved)
    assert "A report can be reopened within 7 days of its resolution." in response.content.decode()
    resolved.refresh_from_db()
    assert resolved.status == ReportStatus.RESOLVED
    assert Assignment.objects.get(report=resolved).reopened == 0


def test_reopen_days_come_from_the_settings(client, other_citizen, resolved, settings):
    settings.REOPEN_DAYS = 1
    resolved.closed_at = timezone.now() - timedelta(days=2)
    resolved.save(update_fields=["closed_at"])
    client.force_login(other_citizen)
    assert "A report can be reopened within 1 day of its resolution." in reopen(client, resolved).content.decode()
    assert Assignment.objects.get(report=resolved).reopened == 0


def test_visitors_are_not_offered_to_reopen_and_are_sent_to_log_in(client, resolved):
    assert REOPEN_BUTTON not in client.get(resolved.get_absolute_url()).content.decode()
    response = client.post(f"/reports/{resolved.pk}/reopen/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_unconfirmed_account_is_not_offered_to_reopen(client, resolved):
    client.force_login(UserFactory(verified=False))
    assert REOPEN_BUTTON not in client.get(resolved.get_absolute_url()).content.decode()
    response = reopen(client, resolved)
    assert "Confirm your email address" in response.content.decode()
    resolved.refresh_from_db()
    assert resolved.status == ReportStatus.RESOLVED


def test_an_open_report_or_one_about_something_else_is_not_reopened(client, citizen):
    pothole = ReportFactory(status=ReportStatus.RESOLVED, closed_at=timezone.now())
    client.force_login(citizen)
    assert REOPEN_BUTTON not in client.get(pothole.get_absolute_url()).content.decode()
    response = reopen(client, pothole)
    assert "Only a resolved report about a shared vehicle can be reopened." in response.content.decode()
    pothole.refresh_from_db()
    assert pothole.status == ReportStatus.RESOLVED


def test_a_note_too_long_is_refused(client, other_citizen, resolved):
    client.force_login(other_citizen)
    response = reopen(client, resolved, note="x" * 2001)
    assert "at most 2000 characters" in response.content.decode()
    resolved.refresh_from_db()
    assert resolved.status == ReportStatus.RESOLVED


def test_reopening_counts_against_the_write_limit(client, other_citizen, resolved, settings):
    settings.WRITE_RATES = {**settings.WRITE_RATES, "user": "0/minute"}
    client.force_login(other_citizen)
    assert client.post(f"/reports/{resolved.pk}/reopen/").status_code == 429
    resolved.refresh_from_db()
    assert resolved.status == ReportStatus.RESOLVED
