"""City staff keep the breach ledger in the admin: annotate (logged) and export as CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from citizens.tests.two_factor import sign_in_with_totp
from moderation.models import ModerationAction
from operators import actions
from operators.models import Assignment, Breach
from operators.tests.factories import OperatorFactory
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def breach(db):
    operator = OperatorFactory(slug="kring", fine_per_breach=Decimal("100"))
    report = ReportFactory()
    assignment = Assignment.objects.create(
        report=report, operator=operator, reason="chosen", due_at=report.created_at + timedelta(hours=24)
    )
    return Breach.objects.create(assignment=assignment, operator=operator, due_at=assignment.due_at, fine_due=100)


def test_city_staff_annotate_a_breach_and_it_is_logged(client, staff, breach):
    sign_in_with_totp(client, staff)
    url = reverse("admin:operators_breach_change", args=[breach.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"impounded": "on", "fee_charged": "50000", "note": "Impounded at depot 2."})
    assert response.status_code == 302
    breach.refresh_from_db()
    assert (breach.impounded, breach.fee_charged, breach.note) == (True, Decimal("50000"), "Impounded at depot 2.")
    assert ModerationAction.objects.filter(action="ledger_note", actor=staff).count() == 1


def test_the_ledger_downloads_as_csv_without_personal_data(client, staff, breach):
    sign_in_with_totp(client, staff)
    response = client.post(
        reverse("admin:operators_breach_changelist"),
        {"action": "export_csv", "_selected_action": [breach.pk]},
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["breach_id", "operator", "report_id"]
    assert rows[1][1:3] == ["kring", str(breach.assignment.report_id)]
    assert breach.assignment.report.reporter.email not in response.content.decode()


def test_moderators_cannot_open_the_ledger(client, moderator, breach):
    sign_in_with_totp(client, moderator)
    assert client.get(reverse("admin:operators_breach_changelist")).status_code == 403


def test_city_staff_send_a_report_from_their_queue_to_an_operator(client, staff, django_capture_on_commit_callbacks):
    from services.catalogue import catalogue_load
    from services.models import Service

    catalogue_load()
    operator = OperatorFactory(slug="zoom", name="Zoom")
    report = ReportFactory(service=Service.objects.get(service_code="abandoned-vehicle"))
    queued = Assignment.objects.create(report=report, operator=None, reason="no_match")
    sign_in_with_totp(client, staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:operators_assignment_change", args=[queued.pk]), {"send_to": operator.pk})
    assert response.status_code == 302
    queued.refresh_from_db()
    assert (queued.operator, queued.reason) == (operator, "staff") and queued.due_at is not None
    assert actions.may_act(staff, report) is False
