from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = _("Services and reports")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from cocreate.images import delete_upload
        from services.models import ReportPhoto

        post_delete.connect(delete_upload, sender=ReportPhoto, dispatch_uid="services.delete_upload")
