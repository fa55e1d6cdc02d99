"""Emails about reports: each public status update goes to the reporter and followers."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from citizens.mail import queue_email
from cocreate import signed_links
from services.models import Follow, ReportUpdate

UNFOLLOW_SALT = "services.unfollow"


def unfollow_token(*, user_id: int, report_id: int) -> str:
    return signed_links.make_token(UNFOLLOW_SALT, u=user_id, r=report_id)


def read_unfollow_token(token: str) -> tuple[int, int] | None:
    return signed_links.read_token(UNFOLLOW_SALT, token, "u", "r")


def notify_report_update(update: ReportUpdate) -> int:
    """Email every follower (the reporter follows their own report) in their language."""
    report = update.report
    if not report.is_visible:
        return 0
    sent = 0
    follows = Follow.objects.filter(report=report, user__is_active=True).select_related("user")
    for follow in follows:
        user = follow.user
        token = unfollow_token(user_id=user.pk, report_id=report.pk)
        context = {
            "update": update,
            "report": report,
            "report_url": settings.SITE_URL + report.get_absolute_url(),
            "unfollow_url": settings.SITE_URL + reverse("services:unfollow_by_token", args=[token]),
            "site_name": settings.SITE_NAME,
        }
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = render_to_string("services/email/update_subject.txt", context).strip()
            body = render_to_string("services/email/update_body.txt", context)
        message = EmailMultiAlternatives(subject=subject, body=body, to=[user.email])
        message.extra_headers["List-Unsubscribe"] = f"<{context['unfollow_url']}>"
        queue_email(message)
        sent += 1
    return sent
