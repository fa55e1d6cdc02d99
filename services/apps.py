from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = _("Services and reports")

    def ready(self) -> None:
        from services import personal_data

        personal_data.register()  # its part of "download my data" and "delete my account"

        from django.db.models.signals import post_delete

        from cocreate.images import delete_upload
        from services.models import ReportPhoto

        post_delete.connect(delete_upload, sender=ReportPhoto, dispatch_uid="services.delete_upload")

        from services import map_version

        map_version.connect()  # the report map's tiles are cached until a write changes the map

        from citizens import roles
        from cocreate.photo_serving import PhotoKind, register_photo_kind

        # A report's photo is public when it and its report are published; its reporter sees the
        # published photos of their report in any moderation state, as the report page shows them.
        register_photo_kind(
            "report",
            PhotoKind(
                model=ReportPhoto,
                is_public=lambda photo: photo.is_visible and photo.report.is_visible,
                may_see=lambda photo, user: (
                    roles.reads_as_staff(user) or (photo.is_visible and photo.report.reporter_id == user.pk)
                ),
                related=("report",),
            ),
        )

        from services import moderation_kinds  # noqa: F401  (registers its kinds with moderation)
