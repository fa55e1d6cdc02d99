"""The moderation queue in the admin: what waits for a moderator, shown in context, the
decisions taken on it one item or many at a time, and the review page of one item.

Every write goes through ``moderation.actions``. A page of the queue costs a fixed number
of queries whatever the queue's length: the page's items are loaded per kind (at most one
query per kind), then their open flags and their authors' histories in one query each
(see ``load_page``).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from citizens import roles
from moderation import actions
from moderation.admin_forms import DecisionForm, EditForm, PhotoRemovalForm, QueueActionForm, ReasonForm
from moderation.admin_preview import (
    audit_entries,
    describe_flags,
    describe_history,
    error_messages,
    load_page,
    preview,
    review_url,
    targets_of,
)
from moderation.kinds import KINDS, author_of
from moderation.models import (
    ActionKind,
    ModerationState,
    QueueItem,
)


class ModeratorPermissions:
    """Only moderators open these pages and act on them."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_moderate(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_moderate(request)

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return may_moderate(request)


def may_moderate(request: HttpRequest) -> bool:
    """``is_moderator`` for an active staff account, asked once per request: the admin asks often."""
    if not hasattr(request, "_admin_may_moderate"):
        user = request.user
        request._admin_may_moderate = roles.is_staff_member(user) and roles.is_moderator(user)
    return request._admin_may_moderate


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


class QueueItemAdmin(ModeratorPermissions, admin.ModelAdmin):
    """The moderation queue: for moderators only; nothing here is edited but through a decision."""

    list_display = ("kind_label", "preview", "state", "flags", "author_history", "created_at")
    list_filter = (KindFilter, "auto_hidden")
    list_select_related = ("author",)
    list_per_page = 50
    show_full_result_count = False  # one count of a long queue is enough
    sortable_by = ("created_at",)
    action_form = QueueActionForm
    actions = ("approve", "hide", "reject", "restore", "dismiss_flags")

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
        target = get_object_or_404(KINDS[kind].model.objects.select_related(*KINDS[kind].related), pk=object_id)
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
        photos = KINDS[kind].photos(target)
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
