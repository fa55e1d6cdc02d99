"""The REST API's write permissions: the contribution rules of ``moderation.rules`` in DRF's terms."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from moderation import rules


class CanContribute(BasePermission):
    """Anyone reads; writing needs a signed-in, active, confirmed and not suspended person."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if not (request.user and request.user.is_authenticated):
            return False
        try:
            rules.check_can_contribute(request.user)
        except DjangoPermissionDenied as error:
            self.message = str(error)
            return False
        return True


class IsVerified(BasePermission):
    """Anyone reads; following needs a signed-in person with a confirmed email address."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return True
        try:
            rules.check_verified(request.user)
        except DjangoPermissionDenied as error:
            self.message = str(error)
            return False
        return True
