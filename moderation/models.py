"""Moderation: the state shared by everything citizens write, flags, the queue, suspensions
and the append-only audit log of every moderation and staff action."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The longest note a flag, a suspension or a moderation decision carries.
NOTE_MAX = 500


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


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSIVE = "abusive", _("Abusive or hateful")
    PERSONAL_INFORMATION = "personal_information", _("Personal information")
    OFF_TOPIC = "off_topic", _("Off topic")
    DUPLICATE = "duplicate", _("Duplicate")
    OTHER = "other", _("Other")


class Flag(models.Model):
    """A citizen's report that an item breaks the rules; one per citizen per item."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    flagger = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags")
    reason = models.CharField(_("reason"), max_length=24, choices=FlagReason.choices)
    note = models.CharField(_("note"), max_length=NOTE_MAX, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "flagger"], name="moderation_one_flag_each")
        ]
        indexes = [models.Index(fields=["content_type", "object_id", "resolved_at"], name="flag_target_open")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.content_type.model} {self.object_id})"


class QueueItem(models.Model):
    """An item waiting for a moderator: pending, or flagged and not yet reviewed."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("kind"), max_length=24)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    flag_count = models.PositiveIntegerField(_("flags"), default=0)
    auto_hidden = models.BooleanField(_("hidden automatically"), default=False)
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)
    queued_at = models.DateTimeField(_("queued"), default=timezone.now)

    class Meta:
        ordering = ("-flag_count", "created_at", "pk")
        verbose_name = _("moderation queue item")
        verbose_name_plural = _("moderation queue")
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="moderation_queue_once")]
        indexes = [models.Index(fields=["-flag_count", "created_at"], name="queue_order")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class ModerationReason(models.Model):
    """A preset reason moderators pick when they act; staff edit the list."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("label"), max_length=120)  # one column per language (translation.py)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ("order", "code")
        verbose_name = _("moderation reason")
        verbose_name_plural = _("moderation reasons")

    def __str__(self) -> str:
        return self.label


class SuspensionQuerySet(models.QuerySet):
    def active(self, now=None):
        """Suspensions in force now."""
        now = now or timezone.now()
        return self.filter(lifted_at__isnull=True, starts_at__lte=now).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )


class Suspension(models.Model):
    """A period during which a person cannot post, comment, support or flag."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suspensions")
    reason = models.ForeignKey(ModerationReason, on_delete=models.PROTECT, verbose_name=_("reason"))
    note = models.CharField(_("note"), max_length=NOTE_MAX, blank=True)
    starts_at = models.DateTimeField(_("starts"), default=timezone.now)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True, help_text=_("Empty: permanent."))
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = SuspensionQuerySet.as_manager()

    class Meta:
        ordering = ("-starts_at",)
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.reason}"


class ActionKind(models.TextChoices):
    APPROVE = "approve", _("Approved")
    HIDE = "hide", _("Hidden")
    REJECT = "reject", _("Rejected")
    RESTORE = "restore", _("Restored")
    DISMISS_FLAGS = "dismiss_flags", _("Flags dismissed")
    AUTO_HIDE = "auto_hide", _("Hidden automatically after flags")
    EDIT = "edit", _("Edited")
    REMOVE_PHOTO = "remove_photo", _("Photo removed")
    SUSPEND = "suspend", _("Account suspended")
    UNSUSPEND = "unsuspend", _("Suspension lifted")
    STATUS_CHANGE = "status_change", _("Report status changed")
    ANSWER = "answer", _("Proposal answered")
    LEDGER_NOTE = "ledger_note", _("Breach ledger annotated")


class AppendOnlyQuerySet(models.QuerySet):
    def for_target(self, target: models.Model):
        """Entries about one item, newest first."""
        return self.filter(content_type=ContentType.objects.get_for_model(target), object_id=target.pk).order_by(
            "-created_at", "-pk"
        )

    def update(self, **kwargs):
        raise PermissionDenied("The audit log cannot be changed.")

    def delete(self):
        raise PermissionDenied("The audit log cannot be deleted.")


class ModerationAction(models.Model):
    """One entry of the audit log. Written once through ``moderation.actions.log_action``;
    never changed nor deleted, and kept when the acting account is deleted."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_role = models.CharField(_("role"), max_length=40)
    action = models.CharField(_("action"), max_length=24, choices=ActionKind.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    kind = models.CharField(_("kind of item"), max_length=24, blank=True)
    reason = models.CharField(_("reason"), max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_target")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.kind} {self.object_id or ''}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionDenied("The audit log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("The audit log cannot be deleted.")
