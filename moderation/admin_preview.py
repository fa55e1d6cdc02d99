"""What moderators see of an item: a preview in context with personal data marked, its
flags, its author's history and its log; loaded for a page of the queue in a fixed number
of queries (see ``load_page``)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cocreate.redaction import find_personal_data
from moderation.kinds import KINDS, Kind, kind_of
from moderation.models import (
    Flag,
    FlagReason,
    ModerationAction,
    ModerationState,
    QueueItem,
    Suspension,
)

EXCERPT = 300
REMOVED_STATES = (ModerationState.HIDDEN, ModerationState.REJECTED)


# Loading a page of the queue.


@dataclass
class History:
    """What moderators have done before about one author."""

    removed: int = 0
    suspensions: int = 0
    suspended: bool = False


@dataclass
class Loaded:
    target: models.Model | None = None
    flags: list[tuple[str, str]] = field(default_factory=list)
    history: History | None = None


def targets_of(items: list[QueueItem]) -> dict[int, models.Model]:
    """The items' content by queue item id: one query per kind present (two for a kind with photos)."""
    ids_by_kind: dict[str, list[int]] = defaultdict(list)
    for item in items:
        ids_by_kind[item.kind].append(item.object_id)
    found: dict[tuple[str, int], models.Model] = {}
    for code, ids in ids_by_kind.items():
        if code not in KINDS:
            continue
        kind = KINDS[code]
        queryset = kind.model.objects.select_related(*kind.related)
        if kind.queue_photos:
            queryset = queryset.prefetch_related(kind.queue_photos)
        found.update(((code, obj.pk), obj) for obj in queryset.filter(pk__in=ids))
    return {item.pk: found[item.kind, item.object_id] for item in items if (item.kind, item.object_id) in found}


def open_flags_of(items: list[QueueItem]) -> dict[tuple[int, int], list[tuple[str, str]]]:
    """Open flags as (reason, note) by (content type id, object id), in one query."""
    wanted: dict[int, list[int]] = defaultdict(list)
    for item in items:
        wanted[item.content_type_id].append(item.object_id)
    if not wanted:
        return {}
    query = Q()
    for content_type_id, ids in wanted.items():
        query |= Q(content_type_id=content_type_id, object_id__in=ids)
    flags: dict[tuple[int, int], list[tuple[str, str]]] = defaultdict(list)
    rows = Flag.objects.filter(query, resolved_at__isnull=True).order_by("created_at", "pk")
    for content_type_id, object_id, reason, note in rows.values_list("content_type_id", "object_id", "reason", "note"):
        flags[content_type_id, object_id].append((reason, note))
    return flags


def histories_of(author_ids: set[int]) -> dict[int, History]:
    """Each author's hidden or rejected items (not those still waiting for review) and suspensions:
    two queries, the first a union of one aggregate per kind."""
    if not author_ids:
        return {}
    histories = {author_id: History() for author_id in author_ids}
    parts = [
        kind.model.objects.filter(**{f"{kind.author_path}__in": author_ids}, moderation_state__in=REMOVED_STATES)
        .exclude(pk__in=QueueItem.objects.filter(kind=kind.code).values("object_id"))
        .order_by()
        .values(who=F(kind.author_path))
        .annotate(removed=Count("pk"))
        for kind in KINDS.values()
    ]
    for row in parts[0].union(*parts[1:], all=True):
        histories[row["who"]].removed += row["removed"]
    active = Q(pk__in=Suspension.objects.active().values("pk"))
    suspensions = (
        Suspension.objects.filter(user_id__in=author_ids)
        .order_by()
        .values("user_id")
        .annotate(total=Count("pk"), active=Count("pk", filter=active))
    )
    for row in suspensions:
        histories[row["user_id"]].suspensions = row["total"]
        histories[row["user_id"]].suspended = row["active"] > 0
    return histories


def load_page(items: list[QueueItem]) -> list[QueueItem]:
    """Attach to each item its content, open flags and author's history (as ``item.loaded``)."""
    targets = targets_of(items)
    flags = open_flags_of(items)
    histories = histories_of({item.author_id for item in items if item.author_id})
    for item in items:
        item.loaded = Loaded(
            target=targets.get(item.pk),
            flags=flags.get((item.content_type_id, item.object_id), []),
            history=histories.get(item.author_id),
        )
    return items


# Rendering.


def highlighted(text: str, limit: int | None = None) -> SafeString:
    """The text, escaped, with every personal-looking stretch in <mark>; cut at ``limit`` characters."""
    shown = text if limit is None or len(text) <= limit else text[:limit]
    pieces: list[SafeString | str] = []
    position = 0
    for _kind, start, end in find_personal_data(text):
        if start >= len(shown):
            break
        if start < position:
            continue
        end = min(end, len(shown))
        pieces.append(escape(shown[position:start]))
        pieces.append(format_html("<mark>{}</mark>", shown[start:end]))
        position = end
    pieces.append(escape(shown[position:]))
    if len(shown) < len(text):
        pieces.append("…")
    return format_html_join("", "{}", ((piece,) for piece in pieces))


def thumbnail(photo: models.Model, height: int = 80) -> SafeString:
    if photo.thumbnail:
        label = _("Photo")
        if photo.moderation_state != ModerationState.PUBLISHED:
            label = _("Photo (%(state)s)") % {"state": photo.get_moderation_state_display()}
        # A height attribute, not a style: the content security policy allows no inline styles.
        return format_html('<img src="{}" alt="{}" height="{}">', photo.thumbnail_url, label, height)
    return format_html("<span>{}</span>", photo.get_state_display())


def context_of(kind: Kind, target: models.Model) -> SafeString:
    """What the item belongs to: the report or proposal a comment or photo was written on."""
    if not kind.context_path:
        return escape("")
    parent = getattr(target, kind.context_path)
    title_field = kind_of(parent).title_field
    title = getattr(parent, title_field) if title_field else str(parent)
    return format_html('<div>{} <a href="{}">{}</a></div>', _("On"), parent.get_absolute_url(), title)


def preview(kind: Kind, target: models.Model, limit: int | None = EXCERPT) -> SafeString:
    parts = [context_of(kind, target)]
    if kind.title_field:
        parts.append(format_html("<strong>{}</strong>", highlighted(getattr(target, kind.title_field))))
    if kind.summary_field:
        parts.append(format_html("<div>{}</div>", highlighted(getattr(target, kind.summary_field))))
    if kind.text_field:
        parts.append(format_html("<div>{}</div>", highlighted(getattr(target, kind.text_field), limit)))
    if kind.is_photo:
        parts.append(thumbnail(target, height=120))
    if kind.queue_photos:
        photos = getattr(target, kind.queue_photos).all()
        parts.append(format_html_join(" ", "{}", ((thumbnail(photo),) for photo in photos)))
    return format_html_join("", "{}", ((part,) for part in parts))


def describe_flags(flags: list[tuple[str, str]]) -> str:
    """The open flags' reasons, counted, with their notes (as in "Spam or advertising ×2, Other: 'phone'")."""
    counts = Counter(reason for reason, _note in flags)
    notes: dict[str, list[str]] = defaultdict(list)
    for reason, note in flags:
        if note:
            notes[reason].append(f"'{note}'")
    described = []
    for reason, count in counts.items():
        text = str(FlagReason(reason).label) if reason in FlagReason.values else reason
        if count > 1:
            text += f" ×{count}"
        if notes[reason]:
            text += ": " + ", ".join(notes[reason])
        described.append(text)
    return ", ".join(described)


def describe_history(history: History | None) -> str:
    if history is None:
        return ""
    parts = [
        ngettext("%(count)d item hidden or rejected", "%(count)d items hidden or rejected", history.removed)
        % {"count": history.removed},
        ngettext("%(count)d suspension", "%(count)d suspensions", history.suspensions) % {"count": history.suspensions},
    ]
    if history.suspended:
        parts.append(str(_("suspended")))
    return ", ".join(parts)


def review_url(kind: str, object_id: int) -> str:
    return reverse("admin:moderation_queueitem_review", args=[kind, object_id])


def error_messages(error: Exception) -> list[str]:
    if isinstance(error, ValidationError):
        return [str(message) for message in error.messages]
    return [str(error)]


@dataclass
class Entry:
    entry: ModerationAction
    changes: list[tuple[str, object, object]]


def audit_entries(target: models.Model, photos: list[models.Model]) -> list[Entry]:
    """The log of the item and of its photos, newest first, each with its before and after values."""
    logged = ModerationAction.objects.for_target(target)
    if photos:
        content_type = ContentType.objects.get_for_model(photos[0])
        logged |= ModerationAction.objects.filter(content_type=content_type, object_id__in=[p.pk for p in photos])
    entries = []
    for entry in logged.select_related("actor").order_by("-created_at", "-pk"):
        before, after = entry.before or {}, entry.after or {}
        keys = list(dict.fromkeys([*before, *after]))
        entries.append(Entry(entry, [(key, before.get(key), after.get(key)) for key in keys]))
    return entries
