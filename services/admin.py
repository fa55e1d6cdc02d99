"""The administration of the service catalogue and of reports, for city staff.

The groups carry no model permissions: roles decide here. City staff manage the
catalogue and move reports through their states; moderators may look. A status
changes only through ``report_change_status``, so the public timeline and the
followers' emails never miss a change made in the admin.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import BLANK_CHOICE_DASH, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cocreate.admin_actions import ActionAdmin, ActionForm
from cocreate.admin_roles import ReviewerViewPermission
from services import admin_catalogue  # noqa: F401  (registers the catalogue)
from services.actions import can_change_status, check_status_change, report_change_status
from services.attributes import describe_answers
from services.models import (
    REJECTION_REASON_MAX,
    STATUS_NOTE_MAX,
    Report,
    ReportComment,
    ReportContact,
    ReportStatus,
    ReportUpdate,
)


def may_change_status(request: HttpRequest) -> bool:
    if not hasattr(request, "_admin_may_change_status"):
        request._admin_may_change_status = can_change_status(request.user)
    return request._admin_may_change_status


STATUS_FIELDS = ("new_status", "public_note", "duplicate_of_id", "rejection_reason")
# Where the errors of ``report_change_status`` belong on the form.
ERROR_FIELDS = {"status": "new_status", "note": "public_note", "duplicate_of": "duplicate_of_id"}


class ReportStatusForm(ActionForm):
    """No field of the report itself is edited here; the extra fields feed ``report_change_status``."""

    new_status = forms.ChoiceField(
        label=_("New status"), choices=[*BLANK_CHOICE_DASH, *ReportStatus.choices], required=False
    )
    public_note = forms.CharField(
        label=_("Public note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=STATUS_NOTE_MAX,
        required=False,
        help_text=_("Shown on the report's timeline and emailed to everyone who follows it."),
    )
    duplicate_of_id = forms.IntegerField(
        label=_("Original report number (for duplicates)"),
        min_value=1,
        required=False,
    )
    rejection_reason = forms.CharField(
        label=_("Reason (for rejections)"),
        max_length=REJECTION_REASON_MAX,
        required=False,
        help_text=_("Why the city will not act on the report. It is shown publicly."),
    )
    error_fields = ERROR_FIELDS

    class Meta:
        model = Report
        fields = ()

    def clean(self) -> dict:
        cleaned = super().clean()
        details = (cleaned.get(name) for name in ("public_note", "duplicate_of_id", "rejection_reason"))
        if not self.errors and not self.asks_for_action(cleaned) and any(details):
            self.add_error("new_status", _("Choose a new status to publish these details."))
        return cleaned

    def asks_for_action(self, cleaned: dict) -> bool:
        return bool(cleaned.get("new_status")) and cleaned["new_status"] != self.instance.status

    def check_action(self, cleaned: dict) -> None:
        cleaned["duplicate_of"] = None
        if cleaned.get("duplicate_of_id"):
            cleaned["duplicate_of"] = Report.objects.filter(pk=cleaned["duplicate_of_id"]).first()
            if cleaned["duplicate_of"] is None:
                raise ValidationError({"duplicate_of_id": _("There is no report with this number.")})
        check_status_change(report=self.instance, by=self.actor, **self.change(cleaned))

    def run_action(self) -> ReportUpdate:
        return report_change_status(report=self.instance, by=self.actor, **self.change(self.cleaned_data))

    @staticmethod
    def change(cleaned: dict) -> dict:
        return {
            "to_status": cleaned["new_status"],
            "note": cleaned.get("public_note", ""),
            "duplicate_of": cleaned.get("duplicate_of"),
            "rejection_reason": cleaned.get("rejection_reason", ""),
        }


class ReportContactInline(admin.StackedInline):
    """The private contact an Open311 client sent: only superusers see it, and only here."""

    model = ReportContact
    fields = readonly_fields = ("email", "first_name", "last_name", "phone")
    extra = 0
    max_num = 0
    can_delete = False

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(ActionAdmin, ReviewerViewPermission, admin.ModelAdmin):
    """Nothing of the report is edited directly; saving the page runs the status change once."""

    form = ReportStatusForm
    list_display = ("id", "service", "status", "moderation_state", "reporter_name", "created_at", "expected_at")
    list_display_links = ("id", "service")
    list_filter = ("status", "service", "moderation_state", "source")
    list_select_related = ("service", "reporter")
    date_hierarchy = "created_at"
    # id__exact compares the number as text, so a word typed in the box is not an error.
    search_fields = ("id__exact", "description")
    actions = ("acknowledge",)
    inlines = (ReportContactInline,)
    readonly_fields = (
        "service",
        "status",
        "moderation_state",
        "source",
        "open311_client",
        "created_at",
        "updated_at",
        "expected_at",
        "closed_at",
        "reporter_name",
        "show_name",
        "description",
        "address",
        "lat",
        "lon",
        "answers",
        "photo_thumbnails",
        "status_notes",
        "duplicate_of",
        "current_rejection_reason",
        "timeline",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("service", "status"),
                    ("moderation_state", "source", "open311_client"),
                    ("created_at", "updated_at"),
                    ("expected_at", "closed_at"),
                )
            },
        ),
        (
            _("What was reported"),
            {
                "fields": (
                    ("reporter_name", "show_name"),
                    "description",
                    "address",
                    ("lat", "lon"),
                    "answers",
                    "photo_thumbnails",
                )
            },
        ),
        (_("Status"), {"fields": ("status_notes", "duplicate_of", "current_rejection_reason", "timeline")}),
    )
    status_fieldset = (
        _("Change the status"),
        {
            "fields": STATUS_FIELDS,
            "description": _("Followers get an email about the change, with the public note."),
        },
    )

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_change_status(request)

    def has_change_status_permission(self, request: HttpRequest) -> bool:
        return may_change_status(request)

    def get_fieldsets(self, request: HttpRequest, obj=None):
        if obj is not None and may_change_status(request):
            return (*self.fieldsets, self.status_fieldset)
        return self.fieldsets

    @admin.action(description=_("Acknowledge selected reports"), permissions=["change_status"])
    def acknowledge(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        acknowledged = 0
        for report in queryset.filter(status=ReportStatus.OPEN):
            report_change_status(report=report, to_status=ReportStatus.ACKNOWLEDGED, by=request.user)
            acknowledged += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d report acknowledged; reports not open were left as they were.",
                "%(count)d reports acknowledged; reports not open were left as they were.",
                acknowledged,
            )
            % {"count": acknowledged},
            messages.SUCCESS,
        )

    @admin.display(description=_("reporter"))
    def reporter_name(self, obj: Report) -> str:
        # The display name only: an email address never appears in the admin's report pages.
        return str(obj.reporter) if obj.reporter else "—"

    @admin.display(description=_("answers"))
    def answers(self, obj: Report) -> str:
        pairs = describe_answers(obj.service, obj.attributes or {})
        if not pairs:
            return "—"
        return format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>", pairs))

    @admin.display(description=_("photos"))
    def photo_thumbnails(self, obj: Report) -> str:
        items = []
        for photo in obj.photos.all():
            if photo.thumbnail and photo.image:
                items.append(
                    format_html(
                        # A height attribute, not a style: the content security policy allows no inline styles.
                        '<a href="{}"><img src="{}" alt="{}" height="120"></a> ',
                        photo.image_url,
                        photo.thumbnail_url,
                        _("Photo %(number)d") % {"number": photo.position + 1},
                    )
                )
            else:
                items.append(format_html("<span>{}</span>", photo.get_state_display()))
        return format_html_join("", "{}", ((item,) for item in items)) if items else "—"

    @admin.display(description=_("reason for rejection"))
    def current_rejection_reason(self, obj: Report) -> str:
        return obj.rejection_reason or "—"

    @admin.display(description=_("timeline"))
    def timeline(self, obj: Report) -> str:
        rows = [
            (
                timezone.localtime(update.created_at).strftime("%Y-%m-%d %H:%M"),
                update.get_from_status_display(),
                update.get_to_status_display(),
                update.by_role or "—",
                update.note,
            )
            for update in obj.updates.all()
        ]
        if not rows:
            return "—"
        return format_html("<ol>{}</ol>", format_html_join("", "<li>{}: {} → {} ({})<br>{}</li>", rows))


@admin.register(ReportComment)
class ReportCommentAdmin(ReviewerViewPermission, admin.ModelAdmin):
    list_display = ("id", "report", "author_name", "moderation_state", "created_at")
    list_filter = ("moderation_state",)
    list_select_related = ("report__service", "author")
    search_fields = ("body", "report__id__exact")
    date_hierarchy = "created_at"
    fields = ("report", "author_name", "show_name", "body", "moderation_state", "created_at")
    readonly_fields = ("report", "author_name", "show_name", "body", "created_at")

    @admin.display(description=_("author"))
    def author_name(self, obj: ReportComment) -> str:
        return str(obj.author)


@admin.register(ReportUpdate)
class ReportUpdateAdmin(ReviewerViewPermission, admin.ModelAdmin):
    """The public timeline is history: nobody edits or deletes it."""

    list_display = ("report", "from_status", "to_status", "by_role", "created_at")
    list_filter = ("to_status", "by_role")
    list_select_related = ("report__service",)
    search_fields = ("note", "report__id__exact")
    date_hierarchy = "created_at"
    fields = ("report", "from_status", "to_status", "note", "by_role", "created_at")
    readonly_fields = fields

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
