from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposals")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from cocreate.images import delete_upload
        from proposals.models import ProposalImage

        post_delete.connect(delete_upload, sender=ProposalImage, dispatch_uid="proposals.delete_upload")
