"""Deadlines are public and kept: a missed one is a breach with its fine, on the report's timeline,
escalated to city staff; a citizen's reopening counts against the operator and starts again."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from operators import actions
from operators.models import Assignment, Breach, Outcome
from operators.tasks import mark_breaches_task
from operators.tests.factories import operator_with_staff
from services import actions as report_actions
from services.models import ReportStatus, ReportUpdate
from services.tests.factories import CITY_LAT, CITY_LON

pytestmark = pytest.mark.django_db


@pytest.fixture
def routed(citizen, settings, django_capture_on_commit_callbacks):
    settings.MODERATION_FIRST_CONTRIBUTIONS_PENDING = 0
    _operator, operator_user = operator_with_staff("kring", fine_per_breach=Decimal("250000"))
    with django_capture_on_commit_callbacks(execute=True):
        report = report_actions.report_create(
            service_code="abandoned-vehicle",
            lat=CITY_LAT,
            lon=CITY_LON,
            description="Bike in the canal",
            attributes={"operator": "kring", "blocking_footpath": "no"},
            reporter=citizen,
        )
    return report, Assignment.objects.get(report=report), operator_user


def test_a_missed_deadline_is_a_breach_with_its_fine_told_to_the_city(
    routed, staff, django_capture_on_commit_callbacks
):
    report, assignment, _user = routed
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.breaches_mark(now=assignment.due_at - timedelta(minutes=1)) == 0
        assert actions.breaches_mark(now=assignment.due_at + timedelta(minutes=1)) == 1
        assert mark_breaches_task() == 0  # recorded once
    breach = Breach.objects.get()
    assert (breach.operator.slug, breach.fine_due, breach.due_at) == ("kring", Decimal("250000"), assignment.due_at)
    assert "missed the deadline" in ReportUpdate.objects.filter(report=report).last().note
    staff_mail = [message for message in mail.outbox if staff.email in message.to]
    assert len(staff_mail) == 1 and "missed the deadline" in staff_mail[0].subject
    assert "250000" in staff_mail[0].body


def test_an_answer_in_time_is_no_breach(routed, django_capture_on_commit_callbacks):
    report, assignment, user = routed
    with django_capture_on_commit_callbacks(execute=True):
        actions.assignment_resolve(user=user, report_id=report.pk, outcome=Outcome.REMOVED)
        assert actions.breaches_mark(now=assignment.due_at + timedelta(days=1)) == 0
    report.refresh_from_db()
    assert report.status == ReportStatus.RESOLVED
    assert not Breach.objects.exists()


def test_a_citizen_reopens_within_seven_days_and_it_counts_against_the_operator(
    routed, citizen, django_capture_on_commit_callbacks
):
    report, assignment, user = routed
    with django_capture_on_commit_callbacks(execute=True):
        actions.assignment_resolve(user=user, report_id=report.pk, outcome=Outcome.REPARKED)
        report_actions.report_reopen(report=report, by=citizen)
    assignment.refresh_from_db()
    report.refresh_from_db()
    assert report.status == ReportStatus.OPEN
    assert (assignment.reopened, assignment.resolved_at, assignment.outcome) == (1, None, "")
    assert assignment.due_at > timezone.now()
    last = ReportUpdate.objects.filter(report=report).last()
    assert (last.by_role, last.note) == ("citizen", "The vehicle is still there.")


def test_reopening_after_seven_days_is_refused(routed, citizen, django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError

    report, _assignment, user = routed
    with django_capture_on_commit_callbacks(execute=True):
        actions.assignment_resolve(user=user, report_id=report.pk, outcome=Outcome.REMOVED)
    report.refresh_from_db()
    type(report).objects.filter(pk=report.pk).update(closed_at=timezone.now() - timedelta(days=8))
    with pytest.raises(ValidationError, match="within 7 days"):
        report_actions.report_reopen(report=report, by=citizen)


def test_a_disputed_report_needs_a_reason_and_goes_back_to_the_city(routed, django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError

    report, assignment, user = routed
    with pytest.raises(ValidationError):
        actions.assignment_resolve(user=user, report_id=report.pk, outcome=Outcome.DISPUTED, note=" ")
    with django_capture_on_commit_callbacks(execute=True):
        actions.assignment_resolve(
            user=user, report_id=report.pk, outcome=Outcome.DISPUTED, note="Not our bike: the colour is wrong."
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.OPEN
    assert list(Assignment.objects.city_queue()) == [assignment]


def test_the_city_closing_a_report_ends_the_operators_duty(routed, staff, django_capture_on_commit_callbacks):
    report, assignment, _user = routed
    with django_capture_on_commit_callbacks(execute=True):
        report_actions.report_change_status(report=report, to_status=ReportStatus.CLOSED, by=staff, note="Cleared.")
        assert actions.breaches_mark(now=assignment.due_at + timedelta(hours=1)) == 0
    assignment.refresh_from_db()
    assert assignment.resolved_at is not None and assignment.outcome == ""
