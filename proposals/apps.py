from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposals")

    def ready(self) -> None:
        from proposals import personal_data

        personal_data.register()  # its part of "download my data" and "delete my account"

        from django.db.models.signals import post_delete

        from cocreate.images import delete_upload
        from proposals.models import ProposalImage

        post_delete.connect(delete_upload, sender=ProposalImage, dispatch_uid="proposals.delete_upload")

        from citizens import roles
        from cocreate.photo_serving import PhotoKind, register_photo_kind

        # As the proposal page shows it: to everyone when the image and its proposal are
        # published, to the author while the proposal is not, and to staff always.
        register_photo_kind(
            "proposal",
            PhotoKind(
                model=ProposalImage,
                is_public=lambda image: image.is_visible and image.proposal.is_visible,
                may_see=lambda image, user: (
                    roles.reads_as_staff(user) or (image.is_visible and image.proposal.author_id == user.pk)
                ),
                related=("proposal",),
            ),
        )

        from proposals import moderation_kinds  # noqa: F401  (registers its kinds with moderation)
