"""Moderation: citizens flag; moderators work the queue, edit, suspend (in the admin, with TOTP);
moderators and city staff read the audit log and keep the list of reasons."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from rest_framework.test import APIClient

from citizens import roles
from citizens.tests.factories import UserFactory
from citizens.tests.two_factor import sign_in_with_totp
from moderation import actions as moderation_actions
from moderation.models import (
    ActionKind,
    Flag,
    ModerationAction,
    ModerationReason,
    ModerationState,
    QueueItem,
    Suspension,
)
from services.models import Report
from tests.permissions import (
    ALLOWED,
    WITH_TOTP,
    a_report,
    assert_refused_by_the_admin,
    assert_refused_by_the_api,
    assert_refused_on_the_site,
    assert_told,
    cells,
    sign_in,
)

pytestmark = pytest.mark.django_db

QUEUE = "/admin/moderation/queueitem/"


# Flagging -------------------------------------------------------------------------------------------


@cells("flag_web")
def test_flag_an_item_on_the_website(client, request, role, expected):
    report = a_report()
    user = sign_in(client, request, role)

    response = client.post(f"/moderation/flag/report/{report.pk}/", {"reason": "spam"})

    if expected == ALLOWED:
        assert_told(response, "Thank you: moderators will review it.", at=report.get_absolute_url())
        assert Flag.objects.get().flagger == user
        assert QueueItem.objects.get().flag_count == 1
    else:
        assert_refused_on_the_site(response, expected, back=report.get_absolute_url())
        assert not Flag.objects.exists()
        assert not QueueItem.objects.exists()


@cells("flag_api")
def test_flag_an_item_through_the_api(request, role, expected):
    report = a_report()
    api = APIClient()
    user = sign_in(api, request, role)

    response = api.post("/api/v1/flags/", {"target": "report", "id": report.pk, "reason": "spam"}, format="json")

    if expected == ALLOWED:
        assert response.status_code == 201, response.content
        assert Flag.objects.get().flagger == user
    else:
        assert_refused_by_the_api(response, expected)
        assert not Flag.objects.exists()
        assert not QueueItem.objects.exists()


# The queue and the review page ----------------------------------------------------------------------


def a_pending_report() -> tuple[Report, QueueItem]:
    report = a_report()
    Report.objects.filter(pk=report.pk).update(moderation_state=ModerationState.PENDING)
    report.refresh_from_db()
    return report, moderation_actions.queue_add(target=report)


def decisions_logged() -> list[tuple[str, object]]:
    return list(ModerationAction.objects.values_list("action", "actor"))


@cells("moderation_queue")
def test_work_the_moderation_queue(client, request, role, expected, django_capture_on_commit_callbacks):
    report, item = a_pending_report()
    user = sign_in(client, request, role, totp=True)

    page = client.get(QUEUE, follow=True)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            QUEUE, {"action": "hide", "_selected_action": [item.pk], "reason": "spam", "note": ""}, follow=True
        )

    report.refresh_from_db()
    if expected == WITH_TOTP:
        assert page.status_code == 200
        assert "A deep pothole by the market" in page.content.decode()
        assert response.redirect_chain == [(QUEUE, 302)]
        assert "Hidden: 1 item." in response.content.decode()
        assert report.moderation_state == ModerationState.HIDDEN
        assert decisions_logged() == [(ActionKind.HIDE, user.pk)]
        assert not QueueItem.objects.exists()
        assert [message.to for message in mail.outbox] == [[report.reporter.email]]
    else:
        assert_refused_by_the_admin(page, expected)
        assert_refused_by_the_admin(response, expected)
        assert report.moderation_state == ModerationState.PENDING
        assert decisions_logged() == []
        assert QueueItem.objects.filter(pk=item.pk).exists()
        assert callbacks == []


def test_city_staff_who_are_also_moderators_work_the_queue(client, staff):
    report, item = a_pending_report()
    staff.groups.add(Group.objects.get_or_create(name=roles.MODERATORS)[0])
    sign_in_with_totp(client, staff)

    response = client.post(
        QUEUE, {"action": "approve", "_selected_action": [item.pk], "reason": "meets-rules"}, follow=True
    )

    assert response.redirect_chain == [(QUEUE, 302)]
    report.refresh_from_db()
    assert report.moderation_state == ModerationState.PUBLISHED
    assert decisions_logged() == [(ActionKind.APPROVE, staff.pk)]


@cells("moderation_edit")
def test_edit_an_items_text_on_its_review_page(client, request, role, expected):
    report = a_report(description="Pothole; call me on 0812 3456 7890")
    user = sign_in(client, request, role, totp=True)
    review = f"/admin/moderation/queueitem/review/report/{report.pk}/"

    page = client.get(review, follow=True)
    response = client.post(
        review,
        {"step": "edit", "edit-text": "Pothole; call me on [removed]", "edit-reason": "personal-information"},
        follow=True,
    )

    report.refresh_from_db()
    if expected == WITH_TOTP:
        assert page.status_code == 200
        assert response.redirect_chain == [(review, 302)]
        assert "The text was changed" in response.content.decode()
        assert report.description == "Pothole; call me on [removed]"
        assert decisions_logged() == [(ActionKind.EDIT, user.pk)]
    else:
        assert_refused_by_the_admin(page, expected)
        assert_refused_by_the_admin(response, expected)
        assert report.description == "Pothole; call me on 0812 3456 7890"
        assert decisions_logged() == []


# The audit log, suspensions and reasons -------------------------------------------------------------


@cells("audit_log")
def test_view_and_export_the_audit_log(client, request, role, expected):
    report = a_report()
    moderation_actions.log_action(actor=None, action=ActionKind.AUTO_HIDE, target=report, reason="spam", note="3")
    sign_in(client, request, role, totp=True)

    page = client.get("/admin/moderation/moderationaction/", follow=True)
    export = client.get("/admin/moderation/moderationaction/export/", follow=True)

    if expected == WITH_TOTP:
        assert page.status_code == 200
        assert "Hidden automatically after flags" in page.content.decode()
        assert export.status_code == 200
        assert export["Content-Type"] == "text/csv; charset=utf-8"
        rows = b"".join(export.streaming_content).decode().splitlines()
        assert rows[1].endswith(f",system,automatic,auto_hide,report,{report.pk},spam,3")
    else:
        assert_refused_by_the_admin(page, expected)
        assert_refused_by_the_admin(export, expected)


@cells("suspensions")
def test_manage_suspensions(client, request, role, expected):
    spammer = UserFactory(display_name="Spammer")
    earlier = moderation_actions.user_suspend(
        moderator=UserFactory(is_staff=True, role=roles.MODERATORS), user=UserFactory(), reason_code="abusive"
    )
    user = sign_in(client, request, role, totp=True)

    added = client.post(
        "/admin/moderation/suspension/add/",
        {"user": spammer.pk, "reason": "spam", "note": "Adverts", "until_0": "", "until_1": "", "_save": "1"},
        follow=True,
    )
    lifted = client.post(
        "/admin/moderation/suspension/", {"action": "lift", "_selected_action": [earlier.pk]}, follow=True
    )

    earlier.refresh_from_db()
    if expected == WITH_TOTP:
        assert added.redirect_chain == [("/admin/moderation/suspension/", 302)]
        assert Suspension.objects.active().get(user=spammer).created_by == user
        assert lifted.redirect_chain == [("/admin/moderation/suspension/", 302)]
        assert "1 suspension lifted." in lifted.content.decode()
        assert earlier.lifted_at is not None
        logged = ModerationAction.objects.filter(actor=user).values_list("action", flat=True)
        assert sorted(logged) == [ActionKind.SUSPEND, ActionKind.UNSUSPEND]
    else:
        assert_refused_by_the_admin(added, expected)
        assert_refused_by_the_admin(lifted, expected)
        assert not Suspension.objects.filter(user=spammer).exists()
        assert earlier.lifted_at is None


@cells("moderation_reasons")
def test_edit_moderation_reasons(client, request, role, expected):
    reason = ModerationReason.objects.get(code="other")
    sign_in(client, request, role, totp=True)

    response = client.post(
        f"/admin/moderation/moderationreason/{reason.pk}/change/",
        {"label_en": "Something else", "label_ind": "Lainnya", "active": "on", "order": "7", "_save": "1"},
        follow=True,
    )

    reason.refresh_from_db()
    if expected == WITH_TOTP:
        assert response.redirect_chain == [("/admin/moderation/moderationreason/", 302)]
        assert reason.label == "Something else"
    else:
        assert_refused_by_the_admin(response, expected)
        assert reason.label == "Other"
