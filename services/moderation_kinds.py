"""What moderation needs to know of reports, their comments and their photos.

Imported once from ``ServicesConfig.ready``: moderation names no content app, so each one
registers its own kinds (see ``moderation.kinds``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from moderation.kinds import Kind, photo_kind, register
from services.models import Report, ReportComment, ReportPhoto


def photos_of(report: Report) -> list[ReportPhoto]:
    return list(report.photos.all())


register(
    Kind(
        "report",
        Report,
        _("Report"),
        "reporter",
        text_field="description",
        related=("service",),
        photos=photos_of,
        queue_photos="photos",
    )
)
register(
    Kind(
        "report_comment",
        ReportComment,
        _("Report comment"),
        "author",
        text_field="body",
        context_path="report",
        related=("report__service",),
    )
)
register(
    photo_kind(
        "report_photo",
        ReportPhoto,
        _("Report photo"),
        "report__reporter",
        context_path="report",
        related=("report__service",),
    )
)
