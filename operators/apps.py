"""Mobility operators, their fleets and the reports routed to them."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperatorsConfig(AppConfig):
    name = "operators"
    verbose_name = _("Mobility operators")

    def ready(self) -> None:
        from operators.reports import RESPONSIBLE
        from services import responsible

        responsible.register(RESPONSIBLE)  # operators answer for reports about their vehicles

        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete

        from cocreate.images import delete_upload
        from operators.models import ResolutionPhoto
        from operators.workspace_views import note_workspace_on_login

        post_delete.connect(delete_upload, sender=ResolutionPhoto, dispatch_uid="operators.delete_upload")
        # The site menu links to the workspace without a query on every page (see the receiver).
        user_logged_in.connect(note_workspace_on_login, dispatch_uid="operators.note_workspace")

        from citizens import roles
        from cocreate.photo_serving import PhotoKind, register_photo_kind
        from operators.actions import operator_of

        # An answer's photo is public once processed, while its report is published; the
        # operator's own staff and stepped-up staff see it in any case.
        register_photo_kind(
            "resolution",
            PhotoKind(
                model=ResolutionPhoto,
                is_public=lambda photo: photo.is_public,
                may_see=lambda photo, user: (
                    roles.reads_as_staff(user) or getattr(operator_of(user), "pk", None) == photo.operator_id
                ),
                related=("report",),
            ),
        )
