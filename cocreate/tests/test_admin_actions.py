"""Saving an admin page runs its action once; a refused one is a form error and writes nothing.

The forms check the action's rules without writing, and the admin runs the action on save:
each test spies on the action the admin calls and counts the calls.
"""

from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from citizens.tests.two_factor import sign_in_with_totp
from cocreate.models import PendingJob
from moderation import actions as moderation_actions
from moderation.models import ActionKind, ModerationAction
from proposals import admin as proposals_admin
from proposals.models import ProposalStatus, ProposalStatusChange
from proposals.tests.factories import ProposalFactory
from services import admin as services_admin
from services.actions import report_follow
from services.models import ReportStatus, ReportUpdate
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def spy(module, name: str):
    """Counts the calls to an action the admin looks up in ``module``, and still runs it."""
    return mock.patch.object(module, name, wraps=getattr(module, name))


def form_errors(response) -> dict:
    return response.context["adminform"].form.errors


def test_a_status_change_in_the_admin_runs_report_change_status_once(
    client, staff, citizen, django_capture_on_commit_callbacks
):
    report = ReportFactory(reporter=citizen)
    report_follow(report=report, user=citizen)
    sign_in_with_totp(client, staff)

    with spy(services_admin, "report_change_status") as action, django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:services_report_change", args=[report.pk]),
            {"new_status": ReportStatus.IN_PROGRESS, "public_note": "Crew sent.", "_save": "1"},
        )

    assert response.status_code == 302
    assert action.call_count == 1
    assert ReportUpdate.objects.filter(report=report).count() == 1
    assert ModerationAction.objects.filter(action=ActionKind.STATUS_CHANGE).count() == 1
    assert len(mail.outbox) == 1


def test_a_refused_status_change_in_the_admin_writes_nothing(client, staff):
    report = ReportFactory()
    sign_in_with_totp(client, staff)

    with spy(services_admin, "report_change_status") as action:
        response = client.post(
            reverse("admin:services_report_change", args=[report.pk]),
            {"new_status": ReportStatus.REJECTED, "rejection_reason": "", "_save": "1"},
        )

    assert response.status_code == 200
    assert "Give a reason for rejecting the report." in form_errors(response)["rejection_reason"]
    assert action.call_count == 0
    assert not ReportUpdate.objects.exists()
    assert not ModerationAction.objects.exists()
    assert not PendingJob.objects.exists()


def test_bulk_acknowledging_runs_report_change_status_once_per_open_report(client, staff):
    open_reports = ReportFactory.create_batch(2)
    ReportFactory(status=ReportStatus.RESOLVED)
    sign_in_with_totp(client, staff)

    with spy(services_admin, "report_change_status") as action:
        client.post(
            reverse("admin:services_report_changelist"),
            {"action": "acknowledge", "_selected_action": [report.pk for report in open_reports]},
        )

    assert action.call_count == 2
    assert ReportUpdate.objects.count() == 2


@pytest.fixture
def proposal_under_review(citizen):
    return ProposalFactory(author=citizen, status=ProposalStatus.UNDER_REVIEW)


def test_an_answer_in_the_admin_runs_proposal_answer_once(client, staff, proposal_under_review):
    sign_in_with_totp(client, staff)

    with spy(proposals_admin, "proposal_answer") as action:
        response = client.post(
            reverse("admin:proposals_proposal_change", args=[proposal_under_review.pk]),
            {"new_status": ProposalStatus.ACCEPTED, "answer_text": "We will plant forty trees.", "_save": "1"},
        )

    assert response.status_code == 302
    assert action.call_count == 1
    assert ProposalStatusChange.objects.filter(to_status=ProposalStatus.ACCEPTED).count() == 1
    assert ModerationAction.objects.filter(action=ActionKind.ANSWER).count() == 1


def test_a_refused_answer_in_the_admin_writes_nothing(client, staff, proposal_under_review):
    sign_in_with_totp(client, staff)

    with spy(proposals_admin, "proposal_answer") as action:
        response = client.post(
            reverse("admin:proposals_proposal_change", args=[proposal_under_review.pk]),
            {"new_status": ProposalStatus.DECLINED, "answer_text": "   ", "_save": "1"},
        )

    assert response.status_code == 200
    assert form_errors(response)["answer_text"]
    assert action.call_count == 0
    assert not ProposalStatusChange.objects.exists()
    assert not ModerationAction.objects.exists()


def test_a_suspension_in_the_admin_runs_user_suspend_once(client, moderator, citizen):
    sign_in_with_totp(client, moderator)

    with spy(moderation_actions, "user_suspend") as action:
        response = client.post(
            reverse("admin:moderation_suspension_add"), {"user": citizen.pk, "reason": "spam", "note": "Adverts"}
        )

    assert response.status_code == 302
    assert action.call_count == 1
    assert citizen.suspensions.count() == 1
    assert ModerationAction.objects.filter(action=ActionKind.SUSPEND).count() == 1


def test_a_refused_suspension_in_the_admin_writes_nothing(client, moderator, citizen):
    sign_in_with_totp(client, moderator)

    with spy(moderation_actions, "user_suspend") as action:
        response = client.post(
            reverse("admin:moderation_suspension_add"),
            {"user": citizen.pk, "reason": "spam", "until_0": "2000-01-01", "until_1": "10:00"},
        )

    assert response.status_code == 200
    assert "The end of a suspension must be in the future." in form_errors(response)["until"]
    assert action.call_count == 0
    assert not citizen.suspensions.exists()
    assert not ModerationAction.objects.exists()
