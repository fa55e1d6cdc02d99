"""What moderation needs to know of proposals, their comments and their images.

Imported once from ``ProposalsConfig.ready``: moderation names no content app, so each one
registers its own kinds (see ``moderation.kinds``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from moderation.kinds import Kind, photo_kind, register
from proposals.models import Proposal, ProposalComment, ProposalImage


def image_of(proposal: Proposal) -> list[ProposalImage]:
    image = getattr(proposal, "image", None)  # None when the proposal has no image
    return [image] if image is not None else []


register(
    Kind(
        "proposal",
        Proposal,
        _("Proposal"),
        "author",
        text_field="body",
        title_field="title",
        summary_field="summary",
        photos=image_of,
    )
)
register(
    Kind(
        "proposal_comment",
        ProposalComment,
        _("Proposal comment"),
        "author",
        text_field="body",
        context_path="proposal",
        related=("proposal",),
    )
)
register(
    photo_kind(
        "proposal_image",
        ProposalImage,
        _("Proposal image"),
        "proposal__author",
        context_path="proposal",
        related=("proposal",),
    )
)
