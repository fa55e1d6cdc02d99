"""A citizen's reports, report comments and follows: their part of “download my data” and of
“delete my account”, registered with ``citizens.personal_data`` when the app starts.

The export leaves out what belongs to others (who at the city changed a report's status).
Deleting an account keeps its reports, anonymous, as public records of the city's services;
their private Open311 contact details and the person's comments go.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.urls import reverse

from citizens.models import User
from citizens.personal_data import absolute_url, photo_export, register_export, register_shredder
from moderation import actions as moderation_actions
from services.models import Follow, Report, ReportComment, ReportContact, ReportPhoto, ReportUpdate


def export_reports(user: User) -> list[dict[str, Any]]:
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
            "url": absolute_url(report.get_absolute_url()),
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
            "photos": [{**photo_export(photo), "created_at": photo.created_at} for photo in report.photos.all()],
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


def export_report_comments(user: User) -> list[dict[str, Any]]:
    comments = ReportComment.objects.filter(author=user).order_by("created_at", "pk")
    return [
        {
            "id": comment.pk,
            "report": comment.report_id,
            "url": absolute_url(reverse("services:report_detail", args=[comment.report_id])),
            "body": comment.body,
            "show_name": comment.show_name,
            "moderation_state": comment.moderation_state,
            "created_at": comment.created_at,
        }
        for comment in comments
    ]


def export_follows(user: User) -> list[dict[str, Any]]:
    follows = Follow.objects.filter(user=user).order_by("created_at", "pk")
    return [
        {
            "report": follow.report_id,
            "url": absolute_url(reverse("services:report_detail", args=[follow.report_id])),
            "created_at": follow.created_at,
        }
        for follow in follows
    ]


def forget(user: User) -> None:
    """Delete the contact details of the person's reports and their comments, out of the queue too.

    The reports stay, their reporter set to nothing when the account row goes; follows go with it.
    """
    ReportContact.objects.filter(report__reporter=user).delete()
    comments = list(ReportComment.objects.filter(author=user))
    for comment in comments:
        moderation_actions.queue_remove(comment)
    ReportComment.objects.filter(pk__in=[comment.pk for comment in comments]).delete()


def register() -> None:
    register_export("reports", export_reports, position=10)
    register_export("report_comments", export_report_comments, position=11)
    register_export("reports", export_follows, position=30, within="follows")
    register_shredder("services", forget)
