"""The moderation state shared by everything citizens write."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ModerationState(models.TextChoices):
    PUBLISHED = "published", _("Published")
    PENDING = "pending", _("Awaiting moderation")
    HIDDEN = "hidden", _("Hidden")
    REJECTED = "rejected", _("Rejected")


class ModeratedQuerySet(models.QuerySet):
    def visible(self):
        """What the public may see: published content only."""
        return self.filter(moderation_state=ModerationState.PUBLISHED)


class Moderated(models.Model):
    """Mixin for content that moderators can hold, hide or reject."""

    moderation_state = models.CharField(
        _("moderation state"),
        max_length=12,
        choices=ModerationState.choices,
        default=ModerationState.PUBLISHED,
        db_index=True,
    )

    class Meta:
        abstract = True

    @property
    def is_visible(self) -> bool:
        return self.moderation_state == ModerationState.PUBLISHED
