"""Who may do what in the admin. The role groups carry no model permissions: the predicates of
``citizens.roles`` decide, with the person's role groups read once per request."""

from __future__ import annotations

from django.http import HttpRequest

from citizens import roles


def _role_names(request: HttpRequest) -> set[str]:
    """The person's role groups, read once per request: the admin asks for permissions often."""
    if not hasattr(request, "_admin_role_names"):
        request._admin_role_names = roles.role_names(request.user)
    return request._admin_role_names


def admin_city_staff(request: HttpRequest) -> bool:
    """``roles.is_city_staff`` for an account that may enter the administration."""
    return roles.is_staff_member(request.user) and roles.is_city_staff(request.user, _role_names(request))


def is_reviewer(request: HttpRequest) -> bool:
    """City staff and moderators may read reports, comments and timelines."""
    return admin_city_staff(request) or (
        roles.is_staff_member(request.user) and roles.is_moderator(request.user, _role_names(request))
    )


class CityStaffPermissions:
    """City staff view, add and change; deleting needs Django's own permission (superusers)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return admin_city_staff(request) or super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return admin_city_staff(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return admin_city_staff(request) or super().has_add_permission(request, *args)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return admin_city_staff(request) or super().has_change_permission(request, obj)


class ReviewerViewPermission:
    """City staff and moderators may look; nobody adds here."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_reviewer(request) or super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_reviewer(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return False


# The service catalogue.
