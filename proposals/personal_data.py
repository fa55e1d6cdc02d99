"""A citizen's proposals, proposal comments, supports and follows: their part of “download my
data” and of “delete my account”, registered with ``citizens.personal_data`` when the app starts.

Deleting an account keeps its proposals, anonymous, and their support counts (a tally of support
given at the time: a threshold may have been crossed on it and a city answer be due). The
person's comments go, except those other people replied to: those become “deleted comment”
placeholders with no text and no author, so the replies keep their thread.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Prefetch, Value
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils.translation import gettext as _

from citizens.models import User
from citizens.personal_data import absolute_url, photo_export, register_export, register_shredder
from moderation import actions as moderation_actions
from proposals import actions
from proposals.models import Proposal, ProposalComment, ProposalFollow, ProposalStatusChange, Support


def export_proposals(user: User) -> list[dict[str, Any]]:
    proposals = (
        Proposal.objects.filter(author=user)
        .select_related("image")
        .prefetch_related(Prefetch("status_changes", queryset=ProposalStatusChange.objects.order_by("created_at")))
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": proposal.pk,
            "url": absolute_url(proposal.get_absolute_url()),
            "title": proposal.title,
            "summary": proposal.summary,
            "body": proposal.body,
            "topic": proposal.topic,
            "lat": proposal.lat,
            "lon": proposal.lon,
            "show_name": proposal.show_name,
            "status": proposal.status,
            "moderation_state": proposal.moderation_state,
            "support_count": proposal.support_count,
            "comment_count": proposal.comment_count,
            "answer": proposal.answer,
            "answered_at": proposal.answered_at,
            "created_at": proposal.created_at,
            "updated_at": proposal.updated_at,
            "edited_at": proposal.edited_at,
            "image": photo_export(proposal.image) if getattr(proposal, "image", None) else None,
            "timeline": [
                {
                    "from_status": change.from_status,
                    "to_status": change.to_status,
                    "note": change.note,
                    "by": change.by_role,
                    "created_at": change.created_at,
                }
                for change in proposal.status_changes.all()
            ],
        }
        for proposal in proposals
    ]


def export_proposal_comments(user: User) -> list[dict[str, Any]]:
    comments = ProposalComment.objects.filter(author=user).order_by("created_at", "pk")
    return [
        {
            "id": comment.pk,
            "proposal": comment.proposal_id,
            "url": absolute_url(reverse("proposals:detail", args=[comment.proposal_id]) + f"#comment-{comment.pk}"),
            "reply_to": comment.parent_id,
            "body": comment.body,
            "show_name": comment.show_name,
            "moderation_state": comment.moderation_state,
            "created_at": comment.created_at,
            "edited_at": comment.edited_at,
            "deleted_at": comment.deleted_at,
        }
        for comment in comments
    ]


def export_supports(user: User) -> list[dict[str, Any]]:
    supports = Support.objects.filter(user=user).select_related("proposal").order_by("created_at", "pk")
    return [
        {
            "proposal": support.proposal_id,
            "title": support.proposal.title,
            "url": absolute_url(support.proposal.get_absolute_url()),
            "created_at": support.created_at,
        }
        for support in supports
    ]


def export_follows(user: User) -> list[dict[str, Any]]:
    follows = ProposalFollow.objects.filter(user=user).order_by("created_at", "pk")
    return [
        {
            "proposal": follow.proposal_id,
            "url": absolute_url(reverse("proposals:detail", args=[follow.proposal_id])),
            "created_at": follow.created_at,
        }
        for follow in follows
    ]


def comments_outlive_their_author() -> bool:
    """Placeholders survive the account only when deleting it does not cascade to its comments."""
    return ProposalComment._meta.get_field("author").remote_field.on_delete is not models.CASCADE


def check_forget(user: User) -> None:
    if not comments_outlive_their_author() and _answered(user):
        # Deleting the account would delete other people's replies along with its comments.
        raise ValidationError(
            _("Your account cannot be deleted yet because of a problem on our side. Please try again later.")
        )


def _answered(user: User) -> set[int]:
    """The person's comments that someone else replied to."""
    return set(
        ProposalComment.objects.filter(parent__author=user).exclude(author=user).values_list("parent_id", flat=True)
    )


def forget(user: User) -> None:
    """Delete the person's proposal comments, leaving a placeholder where others replied.

    Supports and follows go with the account row; proposals stay, their author set to nothing.
    """
    answered = _answered(user)
    comments = list(ProposalComment.objects.filter(author=user))
    for comment in comments:
        moderation_actions.queue_remove(comment)
        if comment.pk in answered and not comment.is_deleted:
            actions.proposal_comment_delete(comment=comment, by=user)
    removed = ProposalComment.objects.filter(pk__in=[comment.pk for comment in comments if comment.pk not in answered])
    # Placeholders still count as comments, as when an author deletes one; removed rows do not.
    for row in removed.order_by().values("proposal").annotate(removed=Count("pk")):
        Proposal.objects.filter(pk=row["proposal"]).update(
            comment_count=Greatest(F("comment_count") - row["removed"], Value(0))
        )
    removed.delete()


def register() -> None:
    register_export("proposals", export_proposals, position=20)
    register_export("proposal_comments", export_proposal_comments, position=21)
    register_export("supports", export_supports, position=22)
    register_export("proposals", export_follows, position=31, within="follows")
    register_shredder("proposals", forget, check=check_forget)
