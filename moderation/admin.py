"""The moderators' administration: the queue (in ``admin_queue``), the preset reasons,
suspensions and the audit log.

Roles decide here, as elsewhere in the admin (see services/admin.py): moderators work the
queue and suspend accounts; moderators and city staff keep the list of reasons and read
the audit log, which nobody adds to, changes or deletes from here. Suspensions are made and
lifted only through ``moderation.actions`` so that each is logged. No page here shows an
email address.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from cocreate.admin_actions import ActionAdmin, ActionForm
from cocreate.admin_roles import admin_city_staff
from cocreate.admin_translations import MissingTranslationFilter, TranslatedAdmin
from cocreate.redaction import redact
from moderation import actions
from moderation.admin_forms import ReasonChoiceField
from moderation.admin_preview import review_url
from moderation.admin_queue import ModeratorPermissions, QueueItemAdmin, may_moderate
from moderation.kinds import KINDS
from moderation.models import ModerationAction, ModerationReason, QueueItem, Suspension

admin.site.register(QueueItem, QueueItemAdmin)


def may_keep_reasons(request: HttpRequest) -> bool:
    """Moderators and city staff keep the list of reasons and read the audit log."""
    return may_moderate(request) or admin_city_staff(request)


@admin.register(ModerationReason)
class ModerationReasonAdmin(TranslatedAdmin):
    """Reasons are switched off, never deleted: the log and suspensions refer to them by code.
    Their label is written in each language in its own tab."""

    list_display = ("label", "code", "missing_translations", "active", "order")
    list_editable = ("active", "order")
    list_filter = ("active", MissingTranslationFilter)
    fields = ("code", "label", "active", "order")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_keep_reasons(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_keep_reasons(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return may_keep_reasons(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_keep_reasons(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return ("code",) if obj is not None else ()


# Suspensions.


class SuspensionAddForm(ActionForm):
    """A new suspension, made by ``user_suspend``; its refusals become form errors."""

    reason = ReasonChoiceField(
        label=_("Reason"), queryset=ModerationReason.objects.filter(active=True), to_field_name="code"
    )
    note = forms.CharField(
        label=_("Note"), max_length=actions.NOTE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    until = forms.SplitDateTimeField(
        label=_("Until"), required=False, widget=AdminSplitDateTime, help_text=_("Empty: permanent.")
    )
    hide_content = forms.BooleanField(
        label=_("Hide everything this person has published"), required=False, initial=False
    )

    class Meta:
        model = Suspension
        fields = ("user",)

    def check_action(self, cleaned: dict) -> None:
        actions.check_suspension(
            moderator=self.actor, user=cleaned["user"], reason_code=cleaned["reason"].code, until=cleaned["until"]
        )

    def run_action(self) -> Suspension:
        cleaned = self.cleaned_data
        suspension = actions.user_suspend(
            moderator=self.actor,
            user=cleaned["user"],
            reason_code=cleaned["reason"].code,
            note=cleaned["note"],
            until=cleaned["until"],
            hide_content=cleaned["hide_content"],
        )
        # The admin's own messages and history name the suspension user_suspend made.
        obj = self.instance
        obj.pk, obj.starts_at, obj.ends_at = suspension.pk, suspension.starts_at, suspension.ends_at
        obj._state.adding = False
        return suspension


class SuspensionStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin):
        return (("active", _("In force")), ("lifted", _("Lifted")))

    def queryset(self, request: HttpRequest, queryset):
        if self.value() == "active":
            return queryset.active()
        if self.value() == "lifted":
            return queryset.filter(lifted_at__isnull=False)
        return queryset


@admin.register(Suspension)
class SuspensionAdmin(ActionAdmin, ModeratorPermissions, admin.ModelAdmin):
    """A suspension is made once, by ``user_suspend``, when the add page is saved."""

    list_display = ("user_name", "reason", "starts_at", "ends_at", "in_force", "lifted_at")
    list_filter = (SuspensionStatusFilter, "reason")
    list_select_related = ("user", "reason")
    search_fields = ("user__display_name", "user__id__exact")
    raw_id_fields = ("user",)
    readonly_fields = ("user_name", "reason", "note", "starts_at", "ends_at", "lifted_at", "in_force", "made_by")
    actions = ("lift",)
    add_fields = ("user", "reason", "note", "until", "hide_content")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return may_moderate(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # Changed only by lifting it, which is logged.
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest):
        in_force = ExpressionWrapper(Q(pk__in=Suspension.objects.active().values("pk")), BooleanField())
        return super().get_queryset(request).annotate(is_in_force=in_force)

    def get_fields(self, request: HttpRequest, obj=None):
        return self.add_fields if obj is None else self.readonly_fields

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return () if obj is None else self.readonly_fields

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = SuspensionAddForm
        return super().get_form(request, obj, change, **kwargs)

    @admin.display(description=_("person"))
    def user_name(self, obj: Suspension) -> str:
        # The display name only: an email address never appears in these pages.
        return str(obj.user)

    @admin.display(description=_("made by"))
    def made_by(self, obj: Suspension) -> str:
        return str(obj.created_by) if obj.created_by else "—"

    @admin.display(description=_("in force"), boolean=True)
    def in_force(self, obj: Suspension) -> bool:
        return obj.is_in_force

    @admin.action(description=_("Lift the selected suspensions"), permissions=["moderate"])
    def lift(self, request: HttpRequest, queryset) -> None:
        lifted = 0
        for suspension in queryset.active().select_related("user", "reason"):
            actions.user_unsuspend(moderator=request.user, suspension=suspension)
            lifted += 1
        self.message_user(
            request,
            ngettext("%(count)d suspension lifted.", "%(count)d suspensions lifted.", lifted) % {"count": lifted},
            messages.SUCCESS,
        )


# The audit log.


class Echo:
    """A file that hands back what is written to it, so that csv.writer feeds a streamed response."""

    def write(self, value: str) -> str:
        return value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """Read only: the log is append-only (the model and, on PostgreSQL, the database refuse changes)."""

    list_display = ("created_at", "actor_role", "actor_name", "action", "kind", "target", "reason", "short_note")
    list_filter = ("action", "kind", "actor_role", "reason")
    list_select_related = ("actor",)
    date_hierarchy = "created_at"
    # object_id__exact compares the number as text, so a word typed in the box is not an error.
    search_fields = ("object_id__exact",)
    search_help_text = _("Search by the number of the item.")
    fields = readonly_fields = (
        "created_at",
        "actor_role",
        "actor_name",
        "action",
        "kind",
        "target",
        "reason",
        "note",
        "before",
        "after",
    )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_keep_reasons(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_keep_reasons(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_urls(self):
        export = self.admin_site.admin_view(self.export_view)
        return [path("export/", export, name="moderation_moderationaction_export"), *super().get_urls()]

    @admin.display(description=_("by"))
    def actor_name(self, entry: ModerationAction) -> str:
        if entry.actor is not None:
            return str(entry.actor)
        return gettext("automatic") if entry.actor_role == "system" else gettext("deleted account")

    @admin.display(description=_("item"))
    def target(self, entry: ModerationAction) -> str:
        if entry.object_id is None:
            return "—"
        if entry.kind in KINDS:
            return format_html('<a href="{}">{}</a>', review_url(entry.kind, entry.object_id), entry.object_id)
        return str(entry.object_id)

    @admin.display(description=_("note"))
    def short_note(self, entry: ModerationAction) -> str:
        return entry.note if len(entry.note) <= 80 else entry.note[:80] + "…"

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """The log as the list shows it now (filters, search, dates), as CSV: no email address in it."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(reverse("admin:moderation_moderationaction_changelist"))
        header = [
            gettext("when"),
            gettext("actor role"),
            gettext("actor"),
            gettext("action"),
            gettext("kind"),
            gettext("object id"),
            gettext("reason"),
            gettext("note"),
        ]
        names = {"system": gettext("automatic"), "": gettext("deleted account")}
        entries = changelist.queryset.select_related("actor")
        filename = f"audit-log-{timezone.localdate():%Y-%m-%d}.csv"
        response = StreamingHttpResponse(export_rows(header, entries, names), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


def export_rows(header: list[str], entries, names: dict[str, str]) -> Iterator[str]:
    writer = csv.writer(Echo())
    yield writer.writerow(header)
    for entry in entries.iterator(chunk_size=2000):
        if entry.actor is not None:
            actor = redact(str(entry.actor))
        else:
            actor = names["system"] if entry.actor_role == "system" else names[""]
        yield writer.writerow(
            [
                cell(timezone.localtime(entry.created_at).isoformat(timespec="seconds")),
                cell(entry.actor_role),
                cell(actor),
                cell(entry.action),
                cell(entry.kind),
                cell(entry.object_id),
                cell(entry.reason),
                # Notes are free text: whatever looks personal in one stays out of the file.
                cell(redact(entry.note)),
            ]
        )
