"""What every app's REST API shares: who may write, throttles, and how actions' errors answer."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.settings import api_settings

from cocreate.throttling import AddressWriteThrottle, UserWriteThrottle

WRITE_THROTTLES = [UserWriteThrottle, AddressWriteThrottle]


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
