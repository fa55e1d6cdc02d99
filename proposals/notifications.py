"""Emails about proposals: each status change (the city's answer above all) goes to the
author, the supporters and the followers, once each, in their own language."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from citizens.models import User
from proposals.models import ProposalStatusChange

UNFOLLOW_SALT = "proposals.unfollow"


def unfollow_token(*, user_id: int, proposal_id: int) -> str:
    return signing.dumps({"u": user_id, "p": proposal_id}, salt=UNFOLLOW_SALT)


def read_unfollow_token(token: str) -> tuple[int, int] | None:
    try:
        data = signing.loads(token, salt=UNFOLLOW_SALT, max_age=60 * 60 * 24 * 365)
    except signing.BadSignature:
        return None
    return int(data["u"]), int(data["p"])


def recipients(change: ProposalStatusChange):
    """Active people who wrote, support or follow the proposal."""
    proposal = change.proposal
    people = User.objects.filter(is_active=True).filter(
        pk__in=User.objects.filter(supports__proposal=proposal).values("pk")
    ) | User.objects.filter(is_active=True, proposal_follows__proposal=proposal)
    if proposal.author_id:
        people = people | User.objects.filter(is_active=True, pk=proposal.author_id)
    return people.distinct().only("pk", "email", "preferred_language").order_by("pk")


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
        sent += message.send()
    return sent
