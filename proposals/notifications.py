"""Emails about proposals: each status change (the city's answer above all) goes to the
author, the supporters and the followers, once each, in their own language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from citizens.mail import queue_email
from citizens.models import User
from cocreate import signed_links
from proposals.models import ProposalStatusChange

UNFOLLOW_SALT = "proposals.unfollow"


def unfollow_token(*, user_id: int, proposal_id: int) -> str:
    return signed_links.make_token(UNFOLLOW_SALT, u=user_id, p=proposal_id)


def read_unfollow_token(token: str) -> tuple[int, int] | None:
    return signed_links.read_token(UNFOLLOW_SALT, token, "u", "p")


def recipients(change: ProposalStatusChange):
    """Active followers: the author and every supporter follow a proposal until they stop."""
    return (
        User.objects.filter(is_active=True, proposal_follows__proposal=change.proposal)
        .distinct()
        .only("pk", "email", "preferred_language")
        .order_by("pk")
    )


def notify_proposal_change(change: ProposalStatusChange) -> int:
    proposal = change.proposal
    if not proposal.is_visible:
        return 0
    sent = 0
    proposal_url = settings.SITE_URL + proposal.get_absolute_url()
    for user in recipients(change).iterator(chunk_size=500):
        token = unfollow_token(user_id=user.pk, proposal_id=proposal.pk)
        context = {
            "change": change,
            "proposal": proposal,
            "proposal_url": proposal_url,
            "unfollow_url": settings.SITE_URL + reverse("proposals:unfollow_by_token", args=[token]),
            "site_name": settings.SITE_NAME,
        }
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = render_to_string("proposals/email/change_subject.txt", context).strip()
            body = render_to_string("proposals/email/change_body.txt", context)
        message = EmailMultiAlternatives(subject=subject, body=body, to=[user.email])
        message.extra_headers["List-Unsubscribe"] = f"<{context['unfollow_url']}>"
        queue_email(message)
        sent += 1
    return sent
