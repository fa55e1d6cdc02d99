"""The administration of open data: the builds, read-only, and a build on demand for city staff."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from cocreate.admin_roles import admin_city_staff
from opendata.actions import datasets_build_request
from opendata.models import Snapshot

BUILD_ACTION = "build_datasets"


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ("id", "status", "started_at", "finished_at", "rows_done", "rows_total", "requested_by_role")
    list_filter = ("status",)
    fields = ("status", "started_at", "finished_at", "cutoff", "progress", "error", "requested_by_role")
    readonly_fields = fields
    actions = (BUILD_ACTION,)
    # Without a count the action bar shows on an empty list too: the first build starts here.
    show_full_result_count = False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return admin_city_staff(request) or super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return admin_city_staff(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_build_permission(self, request: HttpRequest) -> bool:
        return admin_city_staff(request)

    @admin.display(description=_("rows done"))
    def rows_done(self, snapshot: Snapshot) -> int:
        return snapshot.rows_done

    @admin.display(description=_("rows to write"))
    def rows_total(self, snapshot: Snapshot) -> int:
        return snapshot.rows_total

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        # A build concerns no snapshot in particular: Django runs an action only on a selection,
        # so the build action gets a selection of "everything" when none was ticked.
        if request.method == "POST" and request.POST.get("action") == BUILD_ACTION:
            data = request.POST.copy()
            data["select_across"] = "1"
            if not data.getlist(helpers.ACTION_CHECKBOX_NAME):
                data.setlist(helpers.ACTION_CHECKBOX_NAME, ["0"])
            request.POST = data
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("Build the datasets now"), permissions=["build"])
    def build_datasets(self, request: HttpRequest, queryset: QuerySet[Snapshot]) -> None:
        try:
            snapshot = datasets_build_request(requested_by_role="city")
        except ValidationError as error:
            self.message_user(request, error.messages[0], messages.ERROR)
        else:
            self.message_user(request, _("Build #%(number)s started.") % {"number": snapshot.pk}, messages.SUCCESS)
