"""The service catalogue and the Open311 client keys in the admin, for city staff."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from cocreate.admin_roles import CityStaffPermissions
from services.models import (
    AttributeValue,
    Open311Client,
    Service,
    ServiceAttribute,
)


class ServiceAttributeInline(CityStaffPermissions, admin.TabularInline):
    model = ServiceAttribute
    extra = 0
    fields = ("order", "code", "datatype", "required", "variable", "description", "description_id")
    show_change_link = True  # allowed values are edited on the attribute's own page


@admin.register(Service)
class ServiceAdmin(CityStaffPermissions, admin.ModelAdmin):
    list_display = (
        "service_code",
        "name",
        "group",
        "active",
        "pre_moderated",
        "location_precision",
        "is_micromobility",
        "response_days",
    )
    list_filter = ("active", "group", "pre_moderated", "location_precision", "is_micromobility", "type")
    search_fields = ("service_code", "name", "name_id", "group", "group_id", "keywords")
    prepopulated_fields = {"service_code": ("name",)}
    inlines = (ServiceAttributeInline,)
    fieldsets = (
        (None, {"fields": ("service_code", "name", "name_id", "group", "group_id", "keywords", "order", "active")}),
        (_("Description"), {"fields": ("description", "description_id")}),
        (
            _("Handling"),
            {
                "fields": (
                    "type",
                    "pre_moderated",
                    "location_precision",
                    "response_days",
                    "is_micromobility",
                    "agency_responsible",
                )
            },
        ),
    )


class AttributeValueInline(CityStaffPermissions, admin.TabularInline):
    model = AttributeValue
    extra = 0
    fields = ("order", "key", "name", "name_id")


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(CityStaffPermissions, admin.ModelAdmin):
    list_display = ("code", "service", "datatype", "required", "order")
    list_filter = ("datatype", "required", "service")
    list_select_related = ("service",)
    search_fields = ("code", "description", "description_id", "service__service_code")
    autocomplete_fields = ("service",)
    inlines = (AttributeValueInline,)


# Reports.


@admin.register(Open311Client)
class Open311ClientAdmin(CityStaffPermissions, admin.ModelAdmin):
    list_display = ("name", "key_prefix", "active", "trusted", "created_at")
    list_filter = ("active", "trusted")
    search_fields = ("name", "key_prefix")
    fields = ("name", "key_prefix", "active", "trusted", "created_at")
    readonly_fields = ("key_prefix", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A key is shown once, when it is made, so it is made on the command line.
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        if request.method == "GET":
            messages.info(
                request,
                _(
                    "Keys are created on the server with “python manage.py create_open311_key <name>”, "
                    "which prints the key once. Here you can rename a client or switch it off."
                ),
            )
        return super().changelist_view(request, extra_context)
