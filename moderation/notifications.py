"""Telling authors why their contribution was hidden or rejected."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from citizens.mail import queue_email
from cocreate import outbox
from moderation.kinds import KINDS, author_of
from moderation.models import FlagReason, ModerationReason


def reason_label(code: str) -> str:
    """A reason's label in the current language (a preset reason's, or a flag's)."""
    reason = ModerationReason.objects.filter(code=code).first()
    if reason is not None:
        return reason.label
    return str(FlagReason(code).label) if code in FlagReason.values else code


def moderation_reason(target) -> str:
    """Why an item is not public, as its author is told: the reason of the latest decision."""
    from moderation.models import ModerationAction

    entry = ModerationAction.objects.for_target(target).exclude(reason="").first()
    return reason_label(entry.reason) if entry else ""


@outbox.job
def tell_author(*, kind: str, object_id: int, reason: str) -> int:
    """Email the author (through the mail queue, with retries) that an item of theirs is no longer public, and why."""
    target = KINDS[kind].model.objects.filter(pk=object_id).first()
    author = author_of(target) if target is not None else None
    if author is None or not author.is_active:
        return 0
    url = target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""
    with translation.override(author.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "kind": KINDS[kind].label,
            "state": target.get_moderation_state_display(),
            "reason": reason_label(reason),
            "url": settings.SITE_URL + url if url else "",
            "site_name": settings.SITE_NAME,
        }
        subject = render_to_string("moderation/email/hidden_subject.txt", context).strip()
        body = render_to_string("moderation/email/hidden_body.txt", context)
    queue_email(EmailMultiAlternatives(subject=subject, body=body, to=[author.email]))
    return 1
