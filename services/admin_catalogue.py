"""The service catalogue and the Open311 client keys in the admin, for city staff.

Names, groups, descriptions, questions and answers are written in each language in its own
tab (``cocreate.admin_translations``); the list shows which translations are missing.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline
from modeltranslation.utils import get_translation_fields

from cocreate.admin_roles import CityStaffPermissions
from cocreate.admin_translations import MissingTranslationFilter, TranslatedAdmin
from services.models import (
    AttributeValue,
    Open311Client,
    Service,
    ServiceAttribute,
)


class ServiceAttributeInline(CityStaffPermissions, TranslationTabularInline):
    model = ServiceAttribute
    extra = 0
    fields = ("order", "code", "datatype", "required", "variable", "description")
    show_change_link = True  # allowed values are edited on the attribute's own page


@admin.register(Service)
class ServiceAdmin(CityStaffPermissions, TranslatedAdmin):
    list_display = (
        "service_code",
        "name",
        "group",
        "active",
        "pre_moderated",
        "location_precision",
        "is_micromobility",
        "response_days",
        "missing_translations",
    )
    # The English group is the group's key, the same whatever language the admin speaks.
    list_filter = (
        "active",
        "group_en",
        MissingTranslationFilter,
        "pre_moderated",
        "location_precision",
        "is_micromobility",
        "type",
    )
    search_fields = ("service_code", *get_translation_fields("name", "group"), "keywords")
    prepopulated_fields = {"service_code": ("name",)}
    inlines = (ServiceAttributeInline,)
    fieldsets = (
        (None, {"fields": ("service_code", "name", "group", "keywords", "order", "active")}),
        (_("Description"), {"fields": ("description",)}),
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


class AttributeValueInline(CityStaffPermissions, TranslationTabularInline):
    model = AttributeValue
    extra = 0
    fields = ("order", "key", "name")


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(CityStaffPermissions, TranslatedAdmin):
    list_display = ("code", "service", "datatype", "required", "order", "missing_translations")
    list_filter = ("datatype", "required", MissingTranslationFilter, "service")
    list_select_related = ("service",)
    search_fields = ("code", *get_translation_fields("description"), "service__service_code")
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
