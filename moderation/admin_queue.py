"""The moderation queue in the admin: what waits for a moderator, shown in context, the
decisions taken on it one item or many at a time, and the review page of one item.

Every write goes through ``moderation.actions``. A page of the queue costs a fixed number
of queries whatever the queue's length: the page's items are loaded per kind (at most one
query per kind), then their open flags and their authors' histories in one query each
(see ``load_page``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cocreate.redaction import find_personal_data
from moderation import actions
from moderation.kinds import KINDS, Kind, author_of
from moderation.models import (
    ActionKind,
    Flag,
    FlagReason,
    ModerationAction,
    ModerationReason,
    ModerationState,
    QueueItem,
    Suspension,
)
from moderation.notifications import localized_label
from moderation.rules import is_moderator

EXCERPT = 300
REMOVED_STATES = (ModerationState.HIDDEN, ModerationState.REJECTED)
DECISIONS = (
    (ActionKind.APPROVE, _("Approve")),
    (ActionKind.HIDE, _("Hide")),
    (ActionKind.REJECT, _("Reject")),
    (ActionKind.RESTORE, _("Restore")),
    (ActionKind.DISMISS_FLAGS, _("Dismiss the flags")),
)
# What the preview shows of each kind, loaded with the item itself.
RELATED = {
    "report": ("service",),
    "report_comment": ("report__service",),
    "report_photo": ("report__service",),
    "proposal": (),
    "proposal_comment": ("proposal",),
    "proposal_image": ("proposal",),
}


def may_moderate(request: HttpRequest) -> bool:
    """``is_moderator`` for an active staff account, asked once per request: the admin asks often."""
    if not hasattr(request, "_admin_may_moderate"):
        user = request.user
        request._admin_may_moderate = bool(user.is_active and user.is_staff and is_moderator(user))
    return request._admin_may_moderate


class ReasonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ModerationReason) -> str:
        return localized_label(obj)


class ReasonForm(forms.Form):
    """The preset reason and the optional note every moderation decision carries."""

    reason = ReasonChoiceField(
        label=_("Reason"),
        queryset=ModerationReason.objects.filter(active=True),
        to_field_name="code",
        empty_label=_("Choose a reason"),
        # Checked in QueueItemAdmin.response_action, so that a missing reason is named as such.
        required=False,
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=actions.NOTE_MAX, required=False)

    def __init__(self, *args, require_reason: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = require_reason

    def reason_and_note(self) -> dict[str, str]:
        return {"reason_code": self.cleaned_data["reason"].code, "note": self.cleaned_data["note"]}


class QueueActionForm(helpers.ActionForm, ReasonForm):
    field_order = ("action", "select_across", "reason", "note")


class DecisionForm(ReasonForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS)
    field_order = ("decision", "reason", "note")

    def carry_out(self, moderator, target: models.Model) -> str:
        decision = self.cleaned_data["decision"]
        actions.moderate(moderator=moderator, target=target, action=decision, **self.reason_and_note())
        return _("Done: %(action)s.") % {"action": ActionKind(decision).label}


class EditForm(ReasonForm):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8, "cols": 80}), strip=False)
    field_order = ("text", "reason", "note")

    def carry_out(self, moderator, target: models.Model) -> str:
        actions.content_edit(
            moderator=moderator, target=target, text=self.cleaned_data["text"], **self.reason_and_note()
        )
        return _("The text was changed; the previous version is in the history below.")


class PhotoRemovalForm(ReasonForm):
    def __init__(self, *args, photo: models.Model, **kwargs):
        super().__init__(*args, prefix=f"photo-{photo.pk}", require_reason=True, **kwargs)
        self.photo = photo

    def carry_out(self, moderator, target: models.Model) -> str:
        actions.moderate(moderator=moderator, target=self.photo, action=ActionKind.HIDE, **self.reason_and_note())
        return _("The photo was removed.")


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
    """The items' content by queue item id: one query per kind present (two for reports, with photos)."""
    ids_by_kind: dict[str, list[int]] = defaultdict(list)
    for item in items:
        ids_by_kind[item.kind].append(item.object_id)
    found: dict[tuple[str, int], models.Model] = {}
    for code, ids in ids_by_kind.items():
        if code not in KINDS:
            continue
        queryset = KINDS[code].model.objects.select_related(*RELATED[code])
        if code == "report":
            queryset = queryset.prefetch_related("photos")
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
        return format_html('<img src="{}" alt="{}" height="{}">', photo.thumbnail.url, label, height)
    return format_html("<span>{}</span>", photo.get_state_display())


def context_of(kind: Kind, target: models.Model) -> SafeString:
    """What the item belongs to: the report or proposal a comment or photo was written on."""
    if not kind.context_path:
        return escape("")
    parent = getattr(target, kind.context_path)
    title = parent.title if hasattr(parent, "title") else str(parent)
    return format_html('<div>{} <a href="{}">{}</a></div>', _("On"), parent.get_absolute_url(), title)


def photos_of(target: models.Model) -> list[models.Model]:
    """The photos shown with a report or proposal (their own moderation happens on its page)."""
    if target._meta.label == "services.Report":
        return list(target.photos.all())
    if target._meta.label == "proposals.Proposal":
        image = getattr(target, "image", None)
        return [image] if image is not None else []
    return []


def preview(kind: Kind, target: models.Model, limit: int | None = EXCERPT) -> SafeString:
    parts = [context_of(kind, target)]
    if target._meta.label == "proposals.Proposal":
        parts.append(format_html("<strong>{}</strong>", highlighted(target.title)))
        parts.append(format_html("<div>{}</div>", highlighted(target.summary)))
    if kind.text_field:
        parts.append(format_html("<div>{}</div>", highlighted(getattr(target, kind.text_field), limit)))
    if hasattr(target, "thumbnail"):
        parts.append(thumbnail(target, height=120))
    if target._meta.label == "services.Report":
        parts.append(format_html_join(" ", "{}", ((thumbnail(photo),) for photo in target.photos.all())))
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


class KindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin):
        return [(code, kind.label) for code, kind in KINDS.items()]

    def queryset(self, request: HttpRequest, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class QueueChangeList(ChangeList):
    """Loads the content of the page's items in a fixed number of queries; rows open the review page."""

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        self.result_list = load_page(list(self.result_list))

    def url_for_result(self, result: QueueItem) -> str:
        return review_url(result.kind, result.object_id)


class QueueItemAdmin(admin.ModelAdmin):
    """The moderation queue: for moderators only; nothing here is edited but through a decision."""

    list_display = ("kind_label", "preview", "state", "flags", "author_history", "created_at")
    list_filter = (KindFilter, "auto_hidden")
    list_select_related = ("author",)
    list_per_page = 50
    show_full_result_count = False  # one count of a long queue is enough
    sortable_by = ("created_at",)
    action_form = QueueActionForm
    actions = ("approve", "hide", "reject", "restore", "dismiss_flags")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_moderate(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_moderate(request)

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return may_moderate(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_changelist(self, request: HttpRequest, **kwargs):
        return QueueChangeList

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        return super().changelist_view(request, {"title": _("Moderation queue"), **(extra_context or {})})

    def get_urls(self):
        review = self.admin_site.admin_view(self.review_view)
        return [
            path("review/<str:kind>/<int:object_id>/", review, name="moderation_queueitem_review"),
            *super().get_urls(),
        ]

    # Columns.

    @admin.display(description=_("kind"))
    def kind_label(self, item: QueueItem) -> str:
        return str(KINDS[item.kind].label) if item.kind in KINDS else item.kind

    @admin.display(description=_("content"))
    def preview(self, item: QueueItem) -> str:
        target = item.loaded.target
        if target is None:
            return str(_("(no longer exists)"))
        return preview(KINDS[item.kind], target)

    @admin.display(description=_("state"))
    def state(self, item: QueueItem) -> str:
        target = item.loaded.target
        if target is None:
            return "—"
        if item.auto_hidden and target.moderation_state == ModerationState.HIDDEN:
            return str(_("Hidden automatically"))
        return target.get_moderation_state_display()

    @admin.display(description=_("flags"))
    def flags(self, item: QueueItem) -> str:
        return describe_flags(item.loaded.flags) or "—"

    @admin.display(description=_("author"))
    def author_history(self, item: QueueItem) -> str:
        if item.author is None:
            return "—"
        suspend = reverse("admin:moderation_suspension_add") + f"?user={item.author_id}"
        return format_html(
            # The display name only: an email address never appears in the queue.
            '{}<br><small>{}</small><br><a href="{}">{}</a>',
            str(item.author),
            describe_history(item.loaded.history),
            suspend,
            _("Suspend"),
        )

    # Decisions on the selected items.

    def response_action(self, request: HttpRequest, queryset):
        # Every decision needs a preset reason; without one, say so (not "No action selected").
        if not ReasonForm(request.POST, require_reason=True).is_valid():
            self.message_user(request, _("Choose a reason from the list. Nothing was changed."), messages.ERROR)
            return None
        return super().response_action(request, queryset)

    def decide(self, request: HttpRequest, queryset, action: str) -> None:
        form = ReasonForm(request.POST, require_reason=True)
        if not form.is_valid():
            return
        reason, note = form.cleaned_data["reason"], form.cleaned_data["note"]
        items = list(queryset)
        targets = targets_of(items)
        done = 0
        for item in items:
            target = targets.get(item.pk)
            if target is None:
                # The content was deleted since it was queued: nothing is left to decide.
                QueueItem.objects.filter(pk=item.pk).delete()
                continue
            try:
                actions.moderate(
                    moderator=request.user, target=target, action=action, reason_code=reason.code, note=note
                )
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{item}: {'; '.join(error_messages(error))}", messages.ERROR)
            else:
                done += 1
        self.message_user(
            request,
            ngettext("%(action)s: %(count)d item.", "%(action)s: %(count)d items.", done)
            % {"action": ActionKind(action).label, "count": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("Approve the selected items"), permissions=["moderate"])
    def approve(self, request: HttpRequest, queryset) -> None:
        self.decide(request, queryset, ActionKind.APPROVE)

    @admin.action(description=_("Hide the selected items"), permissions=["moderate"])
    def hide(self, request: HttpRequest, queryset) -> None:
        self.decide(request, queryset, ActionKind.HIDE)

    @admin.action(description=_("Reject the selected items"), permissions=["moderate"])
    def reject(self, request: HttpRequest, queryset) -> None:
        self.decide(request, queryset, ActionKind.REJECT)

    @admin.action(description=_("Restore the selected items"), permissions=["moderate"])
    def restore(self, request: HttpRequest, queryset) -> None:
        self.decide(request, queryset, ActionKind.RESTORE)

    @admin.action(description=_("Dismiss the flags of the selected items"), permissions=["moderate"])
    def dismiss_flags(self, request: HttpRequest, queryset) -> None:
        self.decide(request, queryset, ActionKind.DISMISS_FLAGS)

    # The review page of one item, in the queue or not.

    def review_view(self, request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
        if not may_moderate(request):
            raise PermissionDenied
        if kind not in KINDS:
            raise Http404
        target = get_object_or_404(KINDS[kind].model.objects.select_related(*RELATED[kind]), pk=object_id)
        step = request.POST.get("step", "")
        data = request.POST if request.method == "POST" else None

        def sent(prefix: str):
            return data if step == prefix else None

        forms_by_step: dict[str, ReasonForm] = {
            "decide": DecisionForm(sent("decide"), prefix="decide", require_reason=True)
        }
        if KINDS[kind].text_field:
            initial = {"text": getattr(target, KINDS[kind].text_field)}
            forms_by_step["edit"] = EditForm(sent("edit"), prefix="edit", initial=initial, require_reason=True)
        photos = photos_of(target)
        for photo in photos:
            forms_by_step[f"photo-{photo.pk}"] = PhotoRemovalForm(sent(f"photo-{photo.pk}"), photo=photo)

        form = forms_by_step.get(step)
        if data is not None and form is not None and form.is_valid():
            try:
                done = form.carry_out(request.user, target)
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, error_messages(error))
            else:
                self.message_user(request, done)
                # A decision takes the item out of the queue: back to the queue for the next one.
                leave = step == "decide"
                return redirect("admin:moderation_queueitem_changelist" if leave else request.path)

        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Review: %(kind)s %(id)s") % {"kind": KINDS[kind].label, "id": target.pk},
            "kind": KINDS[kind],
            "target": target,
            "preview": preview(KINDS[kind], target, limit=None),
            "queue_item": QueueItem.objects.filter(kind=kind, object_id=target.pk).first(),
            "author": author_of(target),
            "flags": describe_flags(
                list(actions.open_flags(target).order_by("created_at", "pk").values_list("reason", "note"))
            ),
            "decision_form": forms_by_step["decide"],
            "edit_form": forms_by_step.get("edit"),
            "photo_forms": [forms_by_step[f"photo-{photo.pk}"] for photo in photos],
            "entries": audit_entries(target, photos),
        }
        return TemplateResponse(request, "admin/moderation/queueitem/review.html", context)


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
