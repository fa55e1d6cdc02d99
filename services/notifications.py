"""Emails about reports: each public status update goes to the reporter and followers; a visitor's
report asks for its email address to be confirmed."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from citizens.mail import queue_email
from cocreate import signed_links
from cocreate.following import email_followers
from services.models import Follow, ReportUpdate, UnconfirmedReport

UNFOLLOW_SALT = "services.unfollow"
CONFIRM_SALT = "services.confirm-report"


def unfollow_token(*, user_id: int, report_id: int) -> str:
    return signed_links.make_token(UNFOLLOW_SALT, u=user_id, r=report_id)


def read_unfollow_token(token: str) -> tuple[int, int] | None:
    return signed_links.read_token(UNFOLLOW_SALT, token, "u", "r")


def notify_report_update(update: ReportUpdate) -> int:
    """Email every follower (the reporter follows their own report) in their language."""
    report = update.report
    if not report.is_visible:
        return 0

    def unfollow_url(user) -> str:
        token = unfollow_token(user_id=user.pk, report_id=report.pk)
        return settings.SITE_URL + reverse("services:unfollow_by_token", args=[token])

    return email_followers(
        Follow.followers(report),
        template="services/email/update",
        context={"update": update, "report": report, "report_url": settings.SITE_URL + report.get_absolute_url()},
        unfollow_url=unfollow_url,
    )


def confirm_token(*, report_id: int) -> str:
    return signed_links.make_token(CONFIRM_SALT, r=report_id)


def read_confirm_token(token: str) -> int | None:
    parsed = signed_links.read_token(CONFIRM_SALT, token, "r")
    return parsed[0] if parsed else None


def send_report_confirmation(pending: UnconfirmedReport) -> None:
    """The email with the one link that publishes a visitor's report, sent after commit."""
    report = pending.report
    token = confirm_token(report_id=report.pk)
    context = {
        "report": report,
        "confirm_url": settings.SITE_URL + reverse("services:report_confirm", args=[token]),
        "retention_days": settings.UNCONFIRMED_REPORT_RETENTION_DAYS,
        "site_name": settings.SITE_NAME,
    }
    with translation.override(pending.language or settings.LANGUAGE_CODE):
        subject = render_to_string("services/email/confirm_subject.txt", context).strip()
        body = render_to_string("services/email/confirm_body.txt", context)
    queue_email(EmailMultiAlternatives(subject=subject, body=body, to=[pending.email]))
