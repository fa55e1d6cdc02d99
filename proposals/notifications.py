"""Emails about proposals: each status change (the city's answer above all) goes to the
author, the supporters and the followers, once each, in their own language."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from cocreate import signed_links
from cocreate.following import email_followers
from proposals.models import ProposalFollow, ProposalStatusChange

UNFOLLOW_SALT = "proposals.unfollow"


def unfollow_token(*, user_id: int, proposal_id: int) -> str:
    return signed_links.make_token(UNFOLLOW_SALT, u=user_id, p=proposal_id)


def read_unfollow_token(token: str) -> tuple[int, int] | None:
    return signed_links.read_token(UNFOLLOW_SALT, token, "u", "p")


def notify_proposal_change(change: ProposalStatusChange) -> int:
    """Email every active follower: the author and every supporter follow a proposal until they stop."""
    proposal = change.proposal
    if not proposal.is_visible:
        return 0

    def unfollow_url(user) -> str:
        token = unfollow_token(user_id=user.pk, proposal_id=proposal.pk)
        return settings.SITE_URL + reverse("proposals:unfollow_by_token", args=[token])

    return email_followers(
        ProposalFollow.followers(proposal),
        template="proposals/email/change",
        context={
            "change": change,
            "proposal": proposal,
            "proposal_url": settings.SITE_URL + proposal.get_absolute_url(),
        },
        unfollow_url=unfollow_url,
    )
