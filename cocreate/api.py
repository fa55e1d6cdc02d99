"""What every app's REST API shares: who may write, throttles, and how actions' errors answer."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from cocreate.throttling import AddressWriteThrottle, UserWriteThrottle
from moderation import rules

WRITE_THROTTLES = [UserWriteThrottle, AddressWriteThrottle]


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


def perform(action, **kwargs):
    """Call an action, turning Django's errors into the API's 400 and 403 responses."""
    try:
        return action(**kwargs)
    except DjangoValidationError as error:
        detail = (
            error.message_dict if hasattr(error, "error_dict") else {api_settings.NON_FIELD_ERRORS_KEY: error.messages}
        )
        raise ValidationError(detail) from None
    except DjangoPermissionDenied as error:
        raise PermissionDenied(str(error) or None) from None
