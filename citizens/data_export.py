"""“Download my data”: everything the site holds about one person, as one JSON document.

Read-only, through the other apps' models. Every list is loaded with one query (related
rows prefetched), so the export costs the same number of queries however much a person
wrote. What belongs to other people is left out: replies by others, who changed a report's
status, which moderator acted. Secrets are never exported: not the password hash, not the
API token's key, not the two-factor authentication secrets.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from citizens.models import ApiToken, User
from moderation.models import Flag, Suspension
from proposals.models import Proposal, ProposalComment, ProposalFollow, ProposalStatusChange, Support
from services.models import Follow, Report, ReportComment, ReportPhoto, ReportUpdate

FILENAME = "cocreate-my-data.json"
FORMAT_VERSION = 1


def _url(path: str) -> str:
    return settings.SITE_URL + path


def _photo_url(url: str) -> str | None:
    """A photo's address (``image_url``, ``thumbnail_url``) made absolute; None when there is none."""
    if not url:
        return None
    return url if "://" in url else _url(url)


def _account(user: User) -> dict[str, Any]:
    methods = sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    token_created = ApiToken.objects.filter(user=user).values_list("created_at", flat=True).first()
    return {
        "email": user.email,
        "display_name": user.display_name,
        "preferred_language": user.preferred_language,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "roles": user.role_labels(),
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
        ],
        # Which methods are set up, never their secrets.
        "two_factor_enabled": any(method != Authenticator.Type.RECOVERY_CODES for method in methods),
        "two_factor_methods": methods,
        # When the token was made, never its key: whoever holds the key can act as the person.
        "api_token_created": token_created,
    }


def _reports(user: User) -> list[dict[str, Any]]:
    reports = (
        Report.objects.filter(reporter=user)
        .select_related("service", "contact")
        .prefetch_related(
            Prefetch("photos", queryset=ReportPhoto.objects.order_by("position", "pk")),
            Prefetch("updates", queryset=ReportUpdate.objects.order_by("created_at", "pk")),
        )
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": report.pk,
            "url": _url(report.get_absolute_url()),
            "service": {"code": report.service.service_code, "name": report.service.name},
            "status": report.status,
            "status_notes": report.status_notes,
            "description": report.description,
            "lat": report.lat,
            "lon": report.lon,
            "address": report.address,
            "attributes": report.attributes,
            "show_name": report.show_name,
            "moderation_state": report.moderation_state,
            "rejection_reason": report.rejection_reason,
            "duplicate_of": report.duplicate_of_id,
            "source": report.source,
            "created_at": report.created_at,
            "updated_at": report.updated_at,
            "closed_at": report.closed_at,
            "expected_at": report.expected_at,
            "contact": _report_contact(report),
            "photos": [
                {
                    "image": _photo_url(photo.image_url),
                    "thumbnail": _photo_url(photo.thumbnail_url),
                    "state": photo.state,
                    "moderation_state": photo.moderation_state,
                    "created_at": photo.created_at,
                }
                for photo in report.photos.all()
            ],
            # The public timeline; who at the city made each change is not the person's data.
            "timeline": [
                {
                    "from_status": update.from_status,
                    "to_status": update.to_status,
                    "note": update.note,
                    "by": update.by_role,
                    "created_at": update.created_at,
                }
                for update in report.updates.all()
            ],
        }
        for report in reports
    ]


def _report_contact(report: Report) -> dict[str, str] | None:
    contact = getattr(report, "contact", None)
    if contact is None:
        return None
    return {
        "email": contact.email,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "phone": contact.phone,
    }


def _report_comments(user: User) -> list[dict[str, Any]]:
    comments = ReportComment.objects.filter(author=user).order_by("created_at", "pk")
    return [
        {
            "id": comment.pk,
            "report": comment.report_id,
            "url": _url(reverse("services:report_detail", args=[comment.report_id])),
            "body": comment.body,
            "show_name": comment.show_name,
            "moderation_state": comment.moderation_state,
            "created_at": comment.created_at,
        }
        for comment in comments
    ]


def _proposals(user: User) -> list[dict[str, Any]]:
    proposals = (
        Proposal.objects.filter(author=user)
        .select_related("image")
        .prefetch_related(Prefetch("status_changes", queryset=ProposalStatusChange.objects.order_by("created_at")))
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": proposal.pk,
            "url": _url(proposal.get_absolute_url()),
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
            "image": _proposal_image(proposal),
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


def _proposal_image(proposal: Proposal) -> dict[str, Any] | None:
    image = getattr(proposal, "image", None)
    if image is None:
        return None
    return {
        "image": _photo_url(image.image_url),
        "thumbnail": _photo_url(image.thumbnail_url),
        "state": image.state,
        "moderation_state": image.moderation_state,
    }


def _proposal_comments(user: User) -> list[dict[str, Any]]:
    comments = ProposalComment.objects.filter(author=user).order_by("created_at", "pk")
    return [
        {
            "id": comment.pk,
            "proposal": comment.proposal_id,
            "url": _url(reverse("proposals:detail", args=[comment.proposal_id]) + f"#comment-{comment.pk}"),
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


def _supports(user: User) -> list[dict[str, Any]]:
    supports = Support.objects.filter(user=user).select_related("proposal").order_by("created_at", "pk")
    return [
        {
            "proposal": support.proposal_id,
            "title": support.proposal.title,
            "url": _url(support.proposal.get_absolute_url()),
            "created_at": support.created_at,
        }
        for support in supports
    ]


def _follows(user: User) -> dict[str, list[dict[str, Any]]]:
    reports = Follow.objects.filter(user=user).order_by("created_at", "pk")
    proposals = ProposalFollow.objects.filter(user=user).order_by("created_at", "pk")
    return {
        "reports": [
            {
                "report": follow.report_id,
                "url": _url(reverse("services:report_detail", args=[follow.report_id])),
                "created_at": follow.created_at,
            }
            for follow in reports
        ],
        "proposals": [
            {
                "proposal": follow.proposal_id,
                "url": _url(reverse("proposals:detail", args=[follow.proposal_id])),
                "created_at": follow.created_at,
            }
            for follow in proposals
        ],
    }


def _flags(user: User) -> list[dict[str, Any]]:
    flags = Flag.objects.filter(flagger=user).select_related("content_type").order_by("created_at", "pk")
    return [
        {
            "item": flag.content_type.model,
            "item_id": flag.object_id,
            "reason": flag.reason,
            "note": flag.note,
            "created_at": flag.created_at,
            "resolved_at": flag.resolved_at,
        }
        for flag in flags
    ]


def _suspensions(user: User) -> list[dict[str, Any]]:
    suspensions = Suspension.objects.filter(user=user).select_related("reason").order_by("starts_at", "pk")
    return [
        {
            "reason": suspension.reason.label,
            "reason_code": suspension.reason.code,
            "note": suspension.note,
            "starts_at": suspension.starts_at,
            "ends_at": suspension.ends_at,
            "lifted_at": suspension.lifted_at,
        }
        for suspension in suspensions
    ]


def personal_data(*, user: User) -> dict[str, Any]:
    """Everything the site holds about ``user``, ready for ``DjangoJSONEncoder``."""
    return {
        "format_version": FORMAT_VERSION,
        "site": settings.SITE_NAME,
        "exported_at": timezone.now(),
        "account": _account(user),
        "reports": _reports(user),
        "report_comments": _report_comments(user),
        "proposals": _proposals(user),
        "proposal_comments": _proposal_comments(user),
        "supports": _supports(user),
        "follows": _follows(user),
        "flags": _flags(user),
        "suspensions": _suspensions(user),
    }
