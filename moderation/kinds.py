"""The kinds of content citizens write, as moderation sees them.

Models are named by label and loaded lazily, so the apps that hold the content can
use the moderation mixin without an import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    code: str
    model_label: str
    label: str
    author_path: str  # lookup from the item to its author
    text_field: str = ""  # the field a moderator may edit
    context_path: str = ""  # the item this one belongs to, shown in the queue
    flaggable: bool = True

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)


KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in (
        Kind("report", "services.Report", _("Report"), "reporter", "description"),
        Kind("report_comment", "services.ReportComment", _("Report comment"), "author", "body", "report"),
        Kind("report_photo", "services.ReportPhoto", _("Report photo"), "report__reporter", "", "report", False),
        Kind("proposal", "proposals.Proposal", _("Proposal"), "author", "body"),
        Kind("proposal_comment", "proposals.ProposalComment", _("Proposal comment"), "author", "body", "proposal"),
        Kind(
            "proposal_image", "proposals.ProposalImage", _("Proposal image"), "proposal__author", "", "proposal", False
        ),
    )
}
FLAGGABLE = tuple(code for code, kind in KINDS.items() if kind.flaggable)


def kind_of(instance: models.Model) -> Kind:
    label = instance._meta.label
    for kind in KINDS.values():
        if kind.model_label == label:
            return kind
    raise LookupError(f"{label} is not moderated content")


def author_of(instance: models.Model):
    value = instance
    for part in kind_of(instance).author_path.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value
