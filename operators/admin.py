"""The city's side of the operator regime in the administration: permits and their staff, the
queue of reports no operator was found for, and the breach ledger (annotated, exported as CSV).

City staff manage all of it (after two-factor authentication, as for every staff power); every
change goes through ``operators.actions``.
"""

from __future__ import annotations

import csv

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cocreate.admin_actions import ActionAdmin, ActionForm
from cocreate.admin_roles import CityStaffPermissions, ReviewerViewPermission, admin_city_staff
from operators import actions
from operators.models import (
    LEDGER_NOTE_MAX,
    Assignment,
    Breach,
    Operator,
    OperatorMembership,
    PermittedVehicleType,
)


class PermittedVehicleTypeInline(admin.TabularInline):
    model = PermittedVehicleType
    extra = 1

    def has_view_permission(self, request, obj=None):
        return admin_city_staff(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return admin_city_staff(request) or super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return admin_city_staff(request) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return admin_city_staff(request) or super().has_delete_permission(request, obj)


class MembershipInline(admin.TabularInline):
    """Who works for the operator (granted with ``manage.py grant_operator_staff``)."""

    model = OperatorMembership
    fields = readonly_fields = ("user", "created_at")
    extra = 0
    max_num = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return admin_city_staff(request) or super().has_view_permission(request, obj)


@admin.register(Operator)
class OperatorAdmin(CityStaffPermissions, admin.ModelAdmin):
    list_display = (
        "name",
        "slug",
        "permit_number",
        "permit_valid_until",
        "feed_state",
        "last_good_poll_at",
        "vehicles",
    )
    list_filter = ("feed_state",)
    search_fields = ("name", "slug", "permit_number")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (PermittedVehicleTypeInline, MembershipInline)
    readonly_fields = (
        "webhook_secret",
        "feed_state",
        "feed_error",
        "feed_version",
        "last_poll_at",
        "last_good_poll_at",
    )
    fieldsets = (
        (None, {"fields": ("name", "slug", "public_contact")}),
        (_("Permit"), {"fields": (("permit_number", "permit_valid_from", "permit_valid_until"),)}),
        (
            _("Conditions"),
            {"fields": (("response_hours", "night_response_hours"), "idle_limit_hours", "fine_per_breach")},
        ),
        (
            _("Fleet data"),
            {
                "fields": (
                    "gbfs_url",
                    ("feed_state", "feed_version"),
                    "feed_error",
                    ("last_poll_at", "last_good_poll_at"),
                )
            },
        ),
        (_("Webhook"), {"fields": ("webhook_url", "webhook_secret")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(vehicle_count=Count("vehicles"))

    @admin.display(description=_("vehicles in the feed"), ordering="vehicle_count")
    def vehicles(self, obj: Operator) -> int:
        return obj.vehicle_count

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        actions.operator_saved(operator=obj)


class QueueFilter(admin.SimpleListFilter):
    title = _("queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return (
            ("city", _("City's queue (no operator, or disputed)")),
            ("open", _("Open")),
            ("overdue", _("Overdue")),
        )

    def queryset(self, request, queryset):
        if self.value() == "city":
            return queryset.filter(pk__in=Assignment.objects.city_queue().values("pk"))
        if self.value() == "open":
            return queryset.open()
        if self.value() == "overdue":
            return queryset.open().filter(operator__isnull=False, due_at__lt=timezone.now())
        return queryset


class AssignForm(ActionForm):
    """Send the report to an operator (from the city's queue, or away from a disputed answer)."""

    send_to = forms.ModelChoiceField(label=_("Send to operator"), queryset=Operator.objects.all(), required=False)

    class Meta:
        model = Assignment
        fields = ()

    def asks_for_action(self, cleaned):
        return cleaned.get("send_to") is not None

    def check_action(self, cleaned):
        if not self.instance.report.service.is_micromobility:
            raise forms.ValidationError(_("Only reports about shared vehicles go to operators."))

    def run_action(self):
        return actions.report_assign(report=self.instance.report, operator=self.cleaned_data["send_to"], by=self.actor)


@admin.register(Assignment)
class AssignmentAdmin(ActionAdmin, ReviewerViewPermission, admin.ModelAdmin):
    form = AssignForm
    list_display = (
        "report_link",
        "operator",
        "reason",
        "assigned_at",
        "due_at",
        "acknowledged_at",
        "resolved_at",
        "outcome",
        "reopened",
    )
    list_filter = (QueueFilter, "operator", "reason", "outcome")
    list_select_related = ("operator", "report")
    date_hierarchy = "assigned_at"
    readonly_fields = (
        "report_link",
        "operator",
        "reason",
        "distance_m",
        "assigned_at",
        "due_at",
        "acknowledged_at",
        "resolved_at",
        "outcome",
        "outcome_note",
        "breached_at",
        "reopened",
    )
    fields = (*readonly_fields, "send_to")

    @admin.display(description=_("report"), ordering="report")
    def report_link(self, obj: Assignment):
        return format_html('<a href="{}">#{}</a>', obj.report.get_absolute_url(), obj.report_id)

    def has_change_permission(self, request, obj=None):
        return admin_city_staff(request)

    def get_fields(self, request, obj=None):
        return self.fields if admin_city_staff(request) else self.readonly_fields


class BreachForm(ActionForm):
    """What followed a breach; saved through ``breach_annotate`` (logged)."""

    class Meta:
        model = Breach
        fields = ("impounded", "fee_charged", "note")
        widgets = {"note": forms.Textarea(attrs={"rows": 3, "maxlength": LEDGER_NOTE_MAX})}

    def asks_for_action(self, cleaned):
        return self.has_changed()

    def check_action(self, cleaned):
        return None

    def run_action(self):
        return actions.breach_annotate(
            breach=Breach.objects.get(pk=self.instance.pk),
            by=self.actor,
            impounded=self.cleaned_data["impounded"],
            fee_charged=self.cleaned_data["fee_charged"],
            note=self.cleaned_data["note"],
        )


LEDGER_COLUMNS = (
    "breach_id",
    "operator",
    "report_id",
    "was_due",
    "recorded_at",
    "fine_due",
    "impounded",
    "fee_charged",
    "note",
)


def ledger_rows(queryset):
    """The ledger's CSV rows: no personal data (the note is city staff's own text)."""
    for breach in queryset.select_related("operator", "assignment").order_by("recorded_at", "pk"):
        yield [
            breach.pk,
            breach.operator.slug,
            breach.assignment.report_id,
            breach.due_at.isoformat(),
            breach.recorded_at.isoformat(),
            breach.fine_due,
            "yes" if breach.impounded else "no",
            "" if breach.fee_charged is None else breach.fee_charged,
            breach.note,
        ]


@admin.register(Breach)
class BreachAdmin(ActionAdmin, CityStaffPermissions, admin.ModelAdmin):
    form = BreachForm
    list_display = ("operator", "report_link", "due_at", "recorded_at", "fine_due", "impounded", "fee_charged")
    list_filter = ("operator", "impounded")
    list_select_related = ("operator", "assignment")
    date_hierarchy = "recorded_at"
    readonly_fields = ("operator", "report_link", "due_at", "recorded_at", "fine_due")
    fields = (*readonly_fields, "impounded", "fee_charged", "note")
    actions = ("export_csv",)

    @admin.display(description=_("report"))
    def report_link(self, obj: Breach):
        return format_html('<a href="{}">#{}</a>', obj.assignment.report.get_absolute_url(), obj.assignment.report_id)

    def has_add_permission(self, request, *args):
        return False

    @admin.action(description=_("Download the selected breaches as CSV"))
    def export_csv(self, request: HttpRequest, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="breaches-{timezone.localdate():%Y-%m-%d}.csv"'
        writer = csv.writer(response)
        writer.writerow(LEDGER_COLUMNS)
        writer.writerows(ledger_rows(queryset))
        return response
