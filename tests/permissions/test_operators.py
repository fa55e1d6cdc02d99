"""Mobility operators: only staff of the operator a report was sent to answer it (on the workspace
or through the API); citizens reopen a resolved one; city staff keep the breach ledger."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from citizens.tests.factories import UserFactory
from operators import actions as operator_actions
from operators.models import Assignment, Breach, Operator
from services.actions import report_create
from services.catalogue import catalogue_load
from services.models import ReportStatus, ReportUpdate
from services.tests.factories import CITY_LAT, CITY_LON
from tests.permissions import (
    ALLOWED,
    OPERATOR_STAFF,
    WITH_TOTP,
    assert_refused_by_the_admin,
    assert_refused_by_the_api,
    assert_refused_on_the_site,
    assert_told,
    cells,
    sign_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(citizen, settings, django_capture_on_commit_callbacks):
    """A published report about a bike, sent to Kring, whose staff is the operator staff column."""
    settings.MODERATION_FIRST_CONTRIBUTIONS_PENDING = 0
    catalogue_load()
    kring, _created = operator_actions.operator_save(slug="kring", name="Kring")
    with django_capture_on_commit_callbacks(execute=True):
        report = report_create(
            service_code="abandoned-vehicle",
            lat=CITY_LAT,
            lon=CITY_LON,
            description="A bike in the gutter",
            attributes={"operator": "kring", "blocking_footpath": "no"},
            reporter=citizen,
        )
    return report, kring


def working_for(request, role: str, client, kring: Operator):
    user = sign_in(client, request, role, totp=True)
    if role == OPERATOR_STAFF:
        operator_actions.operator_staff_grant(operator=kring, user=user)
    return user


@cells("operator_answer_web")
def test_answer_a_report_on_the_operator_workspace(client, request, role, expected, sent):
    report, kring = sent
    working_for(request, role, client, kring)

    response = client.post(f"/operator/reports/{report.pk}/resolve/", {"resolve-outcome": "removed"})

    report.refresh_from_db()
    if expected == ALLOWED:
        assert response.status_code == 302 and response["Location"] == "/operator/"
        assert report.status == ReportStatus.RESOLVED
    else:
        assert_refused_on_the_site(response, expected, back=None)
        assert report.status == ReportStatus.OPEN


@cells("operator_answer_api")
def test_answer_a_report_through_the_operator_api(client, request, role, expected, sent):
    report, kring = sent
    working_for(request, role, client, kring)

    response = client.post(
        f"/api/v1/operator/reports/{report.pk}/resolve/", {"outcome": "reparked"}, content_type="application/json"
    )

    report.refresh_from_db()
    if expected == ALLOWED:
        assert (response.status_code, response.json()["outcome"]) == (200, "reparked")
        assert report.status == ReportStatus.RESOLVED
    else:
        assert_refused_by_the_api(response, expected)
        assert report.status == ReportStatus.OPEN


@cells("reopen_web")
def test_reopen_a_resolved_report_about_a_shared_vehicle(client, request, role, expected, sent):
    report, kring = sent
    answerer = UserFactory(display_name="Kring Staff")
    operator_actions.operator_staff_grant(operator=kring, user=answerer)
    operator_actions.assignment_resolve(user=answerer, report_id=report.pk, outcome="removed")
    sign_in(client, request, role)

    response = client.post(f"/reports/{report.pk}/reopen/", {"reopen-note": "Still here."})

    report.refresh_from_db()
    if expected == ALLOWED:
        assert_told(
            response,
            "The report is open again. You follow it, so you will hear of each update.",
            at=report.get_absolute_url(),
        )
        assert report.status == ReportStatus.OPEN
        assert Assignment.objects.get(report=report).reopened == 1
    else:
        assert_refused_on_the_site(response, expected, back=report.get_absolute_url())
        assert report.status == ReportStatus.RESOLVED
        assert not ReportUpdate.objects.filter(report=report, by_role="citizen").exists()


@cells("breach_ledger")
def test_keep_the_breach_ledger_in_the_admin(client, request, role, expected, sent):
    report, _kring = sent
    assignment = Assignment.objects.get(report=report)
    Assignment.objects.filter(pk=assignment.pk).update(due_at=timezone.now() - timedelta(hours=1))
    breach = operator_actions.assignment_mark_breach(assignment_id=assignment.pk)
    sign_in(client, request, role, totp=True)

    response = client.post(
        f"/admin/operators/breach/{breach.pk}/change/",
        {"impounded": "on", "fee_charged": "50000", "note": "Impounded.", "_save": "1"},
        follow=True,
    )

    breach.refresh_from_db()
    if expected == WITH_TOTP:
        assert response.redirect_chain == [("/admin/operators/breach/", 302)]
        assert (breach.impounded, breach.note) == (True, "Impounded.")
    else:
        assert_refused_by_the_admin(response, expected)
        assert (breach.impounded, breach.note) == (False, "")
        assert Breach.objects.count() == 1
