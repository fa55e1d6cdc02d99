"""Every moderation write: flags, the queue, decisions, edits, suspensions, and the audit log."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citizens import roles
from cocreate import outbox, page_cache
from cocreate.redaction import published_versions
from cocreate.text_checks import clean_text
from moderation import notifications
from moderation.kinds import KINDS, author_of, flaggable, kind_of
from moderation.models import (
    NOTE_MAX,
    ActionKind,
    Flag,
    FlagReason,
    ModerationAction,
    ModerationReason,
    ModerationState,
    QueueItem,
    Suspension,
)
from moderation.rules import check_can_contribute


def log_action(
    *,
    actor,
    action: str,
    acting_as: str | None = None,
    target: models.Model | None = None,
    reason: str = "",
    note: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> ModerationAction:
    """Write one entry of the audit log: the one path for every moderation and staff action.

    ``acting_as`` is the role whose power the act used (``citizens.roles``), so that the entry
    names the role the report timeline names for the same act.
    """
    entry = ModerationAction(
        actor=actor,
        actor_role=roles.role_of(actor, acting_as=acting_as),
        action=action,
        reason=reason,
        note=note,
        before=before,
        after=after,
    )
    if target is not None:
        entry.content_type = ContentType.objects.get_for_model(target)
        entry.object_id = target.pk
        try:
            entry.kind = kind_of(target).code
        except LookupError:
            entry.kind = target._meta.model_name
    entry.save(force_insert=True)
    return entry


def get_target(kind: str, object_id: object) -> models.Model:
    if kind not in KINDS:
        raise ValidationError({"target": _("Unknown kind of item.")})
    try:
        return KINDS[kind].model.objects.get(pk=int(object_id))
    except (TypeError, ValueError, KINDS[kind].model.DoesNotExist):
        raise ValidationError({"id": _("No such item.")}) from None


def is_public(target: models.Model) -> bool:
    """Whether the public sees the item: visible, not deleted, and so is the item it belongs to
    (a comment of a hidden report is not public)."""
    if not target.is_visible or getattr(target, "deleted_at", None) is not None:
        return False
    context = kind_of(target).context_path
    parent = getattr(target, context) if context else None
    return parent is None or parent.is_visible


def queue_add(*, target: models.Model, flags: int = 0, auto_hidden: bool = False) -> QueueItem:
    """Put an item in the moderation queue (or refresh its flag count there)."""
    author = author_of(target)
    item, _created = QueueItem.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        defaults={
            "kind": kind_of(target).code,
            "author": author,
            "flag_count": flags,
            "auto_hidden": auto_hidden,
            "created_at": getattr(target, "created_at", None) or timezone.now(),
        },
    )
    return item


def queue_remove(target: models.Model) -> None:
    QueueItem.objects.filter(content_type=ContentType.objects.get_for_model(target), object_id=target.pk).delete()


def open_flags(target: models.Model):
    return Flag.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk, resolved_at__isnull=True
    )


@transaction.atomic
def flag_create(*, flagger, kind: str, object_id: object, reason: str, note: str = "") -> tuple[Flag, bool]:
    """Flag a visible item once; enough distinct flaggers hide it pending review. Returns (flag, created)."""
    check_can_contribute(flagger)
    if kind not in flaggable():
        raise ValidationError({"target": _("This kind of item cannot be flagged.")})
    target = get_target(kind, object_id)
    if not is_public(target):
        raise ValidationError({"id": _("No such item.")})
    errors = {}
    if reason not in FlagReason.values:
        errors["reason"] = [_("Choose one of the listed reasons.")]
    try:
        note = clean_text(note, limit=NOTE_MAX, required=reason == FlagReason.OTHER, missing=_("Say what is wrong."))
    except ValidationError as error:
        errors["note"] = error.messages
    if errors:
        raise ValidationError(errors)
    content_type = ContentType.objects.get_for_model(target)
    existing = Flag.objects.filter(content_type=content_type, object_id=target.pk, flagger=flagger).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            flag = Flag.objects.create(
                content_type=content_type, object_id=target.pk, flagger=flagger, reason=reason, note=note
            )
    except IntegrityError:  # the same person flagged it at the same moment
        return Flag.objects.get(content_type=content_type, object_id=target.pk, flagger=flagger), False
    # Lock the item so that concurrent flags count one after the other and hide it once.
    target = type(target).objects.select_for_update().get(pk=target.pk)
    flaggers = open_flags(target).values("flagger").distinct().count()
    auto_hide = flaggers >= settings.MODERATION_AUTO_HIDE_FLAGS and target.is_visible
    if auto_hide:
        type(target).objects.filter(pk=target.pk).update(moderation_state=ModerationState.HIDDEN)
        log_action(actor=None, action=ActionKind.AUTO_HIDE, target=target, reason=reason, note=str(flaggers))
        outbox.enqueue(notifications.tell_author, kind=kind, object_id=target.pk, reason=reason)
        page_cache.bump()  # gone from every cached page at once, wherever it showed
    queue_add(target=target, flags=flaggers, auto_hidden=auto_hide)
    return flag, True


def check_moderator(user) -> None:
    if not roles.is_moderator(user):
        raise PermissionDenied(_("Only moderators can do this."))


def check_reason(reason_code: str) -> ModerationReason:
    reason = ModerationReason.objects.filter(code=reason_code, active=True).first()
    if reason is None:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    return reason


DECISIONS = {
    ActionKind.APPROVE: ModerationState.PUBLISHED,
    ActionKind.RESTORE: ModerationState.PUBLISHED,
    ActionKind.HIDE: ModerationState.HIDDEN,
    ActionKind.REJECT: ModerationState.REJECTED,
    ActionKind.DISMISS_FLAGS: None,
}


@transaction.atomic
def moderate(*, moderator, target: models.Model, action: str, reason_code: str, note: str = "") -> models.Model:
    """Approve, hide, reject, restore, or dismiss the flags of one item, with a preset reason."""
    check_moderator(moderator)
    if action not in DECISIONS:
        raise ValidationError({"action": _("Unknown moderation action.")})
    reason = check_reason(reason_code)
    note = (note or "").strip()[:NOTE_MAX]
    target = type(target).objects.select_for_update().get(pk=target.pk)
    before = target.moderation_state
    state = DECISIONS[action] or before
    if action == ActionKind.DISMISS_FLAGS and before == ModerationState.HIDDEN:
        # Dismissing the flags of an automatically hidden item puts it back.
        state = ModerationState.PUBLISHED
    if state != before:
        type(target).objects.filter(pk=target.pk).update(moderation_state=state)
        target.moderation_state = state
        # An item may show on many pages (a comment on its proposal's, a proposal on the lists):
        # every cached page goes stale, so hidden content is gone at once. Moderation is rare.
        page_cache.bump()
    open_flags(target).update(resolved_at=timezone.now())
    if state == ModerationState.PENDING:
        queue_add(target=target)  # its flags are dismissed, but it still awaits a decision
    else:
        queue_remove(target)
    log_action(
        actor=moderator,
        action=action,
        target=target,
        reason=reason.code,
        note=note,
        before={"state": before},
        after={"state": state},
    )
    if state in (ModerationState.HIDDEN, ModerationState.REJECTED) and state != before:
        kind = kind_of(target).code
        outbox.enqueue(notifications.tell_author, kind=kind, object_id=target.pk, reason=reason.code)
    return target


@transaction.atomic
def content_edit(*, moderator, target: models.Model, text: str, reason_code: str, note: str = "") -> models.Model:
    """Edit the text of an item (to remove a phone number, say); the previous text stays in the log."""
    check_moderator(moderator)
    reason = check_reason(reason_code)
    field = kind_of(target).text_field
    if not field:
        raise ValidationError({"text": _("This kind of item has no text to edit.")})
    text_field = target._meta.get_field(field)
    try:
        text = text_field.clean(text, target)
    except ValidationError as error:
        raise ValidationError({"text": error.messages}) from None
    if text_field.max_length and len(text) > text_field.max_length:  # a TextField's limit is not a validator
        raise ValidationError({"text": _("Use at most %(limit)d characters.") % {"limit": text_field.max_length}})
    target = type(target).objects.select_for_update().get(pk=target.pk)
    previous = getattr(target, field)
    # The public forms the model keeps of the text (its HTML, its redacted text) change with it.
    updates = {field: text, **published_versions(target, field, text)}
    type(target).objects.filter(pk=target.pk).update(**updates)
    page_cache.bump()
    log_action(
        actor=moderator,
        action=ActionKind.EDIT,
        target=target,
        reason=reason.code,
        note=note,
        before={field: previous},
        after={field: text},
    )
    for name, value in updates.items():
        setattr(target, name, value)
    return target


def check_suspension(*, moderator, user, reason_code: str, until: datetime | None = None) -> ModerationReason:
    """Every rule of ``user_suspend``, checked without writing; returns the reason."""
    check_moderator(moderator)
    reason = check_reason(reason_code)
    if until is not None and until <= timezone.now():
        raise ValidationError({"until": _("The end of a suspension must be in the future.")})
    if user.is_staff or user.is_superuser:  # staff status, not a role: it opens the administration
        raise ValidationError({"user": _("Staff accounts are not suspended here; remove their staff status first.")})
    return reason


@transaction.atomic
def user_suspend(
    *, moderator, user, reason_code: str, note: str = "", until: datetime | None = None, hide_content: bool = False
) -> Suspension:
    """Suspend an account for a period (or for good); optionally hide everything it published."""
    reason = check_suspension(moderator=moderator, user=user, reason_code=reason_code, until=until)
    suspension = Suspension.objects.create(user=user, reason=reason, note=note, ends_at=until, created_by=moderator)
    log_action(
        actor=moderator,
        action=ActionKind.SUSPEND,
        target=user,
        reason=reason.code,
        note=note,
        after={"until": until.isoformat() if until else None, "hide_content": hide_content},
    )
    if hide_content:
        for kind in KINDS.values():
            if kind.contribution:
                # What is public or waiting for review; a rejection stays a rejection.
                hidden = kind.model.objects.filter(**{kind.author_path: user}).exclude(
                    moderation_state__in=(ModerationState.HIDDEN, ModerationState.REJECTED)
                )
                for target in hidden:
                    moderate(
                        moderator=moderator, target=target, action=ActionKind.HIDE, reason_code=reason.code, note=note
                    )
    return suspension


@transaction.atomic
def user_unsuspend(*, moderator, suspension: Suspension, note: str = "") -> Suspension:
    check_moderator(moderator)
    Suspension.objects.filter(pk=suspension.pk).update(lifted_at=timezone.now())
    log_action(
        actor=moderator, action=ActionKind.UNSUSPEND, target=suspension.user, reason=suspension.reason.code, note=note
    )
    suspension.refresh_from_db()
    return suspension
