"""The admin lists the moderation queue relies on: preset reasons and suspensions."""

import pytest
from django.urls import reverse

from moderation import actions
from moderation.models import ActionKind, ModerationAction, ModerationReason
from moderation.tests.queue_admin import sign_in
from services.models import Report
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def test_moderators_and_city_staff_keep_the_reasons_but_delete_none(client, moderator, staff):
    reasons = reverse("admin:moderation_moderationreason_changelist")
    for person in (moderator, staff):
        sign_in(client, person)
        assert client.get(reasons).status_code == 200
    response = client.post(
        reverse("admin:moderation_moderationreason_add"),
        {"code": "copyright", "label_en": "Copyright", "label_ind": "Hak cipta", "active": "on", "order": 9},
    )
    assert response.status_code == 302
    assert ModerationReason.objects.filter(code="copyright", active=True).exists()
    reason = ModerationReason.objects.get(code="spam")
    assert client.get(reverse("admin:moderation_moderationreason_delete", args=[reason.pk])).status_code == 403


def test_a_suspension_made_in_the_admin_goes_through_user_suspend_and_is_logged(client, moderator, citizen):
    ReportFactory(reporter=citizen)
    sign_in(client, moderator)
    add = reverse("admin:moderation_suspension_add")
    assert f'value="{citizen.pk}"' in client.get(add, {"user": citizen.pk}).content.decode()

    response = client.post(add, {"user": citizen.pk, "reason": "spam", "note": "Adverts", "hide_content": "on"})

    assert response.status_code == 302
    suspension = citizen.suspensions.get()
    assert (suspension.reason.code, suspension.note, suspension.created_by) == ("spam", "Adverts", moderator)
    assert ModerationAction.objects.filter(action=ActionKind.SUSPEND, reason="spam").count() == 1
    assert not Report.objects.filter(reporter=citizen).visible().exists()
    listing = client.get(reverse("admin:moderation_suspension_changelist")).content.decode()
    assert "Citizen One" in listing and citizen.email not in listing


def test_a_refused_suspension_is_shown_on_the_form_and_nothing_is_kept(client, moderator, staff):
    sign_in(client, moderator)

    response = client.post(reverse("admin:moderation_suspension_add"), {"user": staff.pk, "reason": "spam"})

    assert response.status_code == 200
    assert "Staff accounts are not suspended here" in response.content.decode()
    assert not staff.suspensions.exists()
    assert not ModerationAction.objects.exists()


def test_lifting_suspensions_in_the_admin_is_logged(client, moderator, citizen):
    suspension = actions.user_suspend(moderator=moderator, user=citizen, reason_code="spam")
    sign_in(client, moderator)

    client.post(
        reverse("admin:moderation_suspension_changelist"), {"action": "lift", "_selected_action": [suspension.pk]}
    )

    suspension.refresh_from_db()
    assert suspension.lifted_at is not None
    assert ModerationAction.objects.filter(action=ActionKind.UNSUSPEND).count() == 1


def test_city_staff_cannot_suspend(client, staff, citizen):
    sign_in(client, staff)

    assert client.get(reverse("admin:moderation_suspension_add")).status_code == 403
    assert (
        client.post(reverse("admin:moderation_suspension_add"), {"user": citizen.pk, "reason": "spam"}).status_code
        == 403
    )
    assert not citizen.suspensions.exists()


def test_the_reasons_list_shows_and_filters_the_languages_a_label_is_missing_in(client, moderator):
    ModerationReason.objects.create(code="copyright", label_en="Copyright", label_ind="Hak cipta", label_ja="著作権")
    sign_in(client, moderator)
    reasons = reverse("admin:moderation_moderationreason_changelist")

    page = client.get(reasons).content.decode()
    assert "ms, vi, th, ko, zh-hans" in page  # the new reason; the preset ones are complete

    missing_in_thai = client.get(reasons, {"missing_translation": "th"}).content.decode()
    assert "Copyright" in missing_in_thai and "Spam or advertising" not in missing_in_thai
    assert "Copyright" not in client.get(reasons, {"missing_translation": "ja"}).content.decode()
