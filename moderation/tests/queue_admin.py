"""Signing in to the moderation admin and putting items in its queue, in tests."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from citizens.tests.factories import UserFactory
from citizens.tests.two_factor import sign_in_with_totp
from moderation import actions
from moderation.models import ModerationState

QUEUE = reverse("admin:moderation_queueitem_changelist")


def sign_in(client, user):
    return sign_in_with_totp(client, user)


def pending(target, days_ago: int = 0):
    """Hold an item for moderation, as pre-moderation does."""
    type(target).objects.filter(pk=target.pk).update(moderation_state=ModerationState.PENDING)
    target.refresh_from_db()
    target.created_at = timezone.now() - timedelta(days=days_ago)
    return actions.queue_add(target=target)


def flag(target, kind: str, times: int, reason: str = "spam", note: str = ""):
    for _ in range(times):
        actions.flag_create(flagger=UserFactory(), kind=kind, object_id=target.pk, reason=reason, note=note)
