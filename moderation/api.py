"""The REST API for flags (/api/v1/flags/): a thin view over ``moderation.actions.flag_create``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cocreate.api import WRITE_THROTTLES
from moderation import actions
from moderation.api_permissions import CanContribute
from moderation.serializers import FlagCreateSerializer, FlagSerializer


class FlagCreate(APIView):
    """Flag an item for the moderators: once per person and item."""

    permission_classes = [CanContribute]
    throttle_classes = WRITE_THROTTLES

    @extend_schema(
        operation_id="flags_create",
        summary="Flag a report, a proposal or a comment for the moderators",
        description=(
            "Enough flags from different people hide the item until a moderator reviews it. "
            "Flagging the same item again changes nothing and answers 200."
        ),
        request=FlagCreateSerializer,
        responses={
            201: FlagSerializer,
            200: OpenApiResponse(FlagSerializer, description="Already flagged by you: no new flag."),
            400: OpenApiResponse(description="Unknown kind of item, unknown reason, or no note with “other”."),
            403: OpenApiResponse(description="Not signed in, email not confirmed, or the account is suspended."),
            404: OpenApiResponse(description="No such item, or one the public may not see."),
            429: OpenApiResponse(description="Too many writes; retry after the Retry-After header's seconds."),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = FlagCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            flag, created = actions.flag_create(
                flagger=request.user,
                kind=data["target"],
                object_id=data["id"],
                reason=data["reason"],
                note=data["note"],
            )
        except DjangoValidationError as error:
            errors = error.message_dict
            if "id" in errors:
                raise NotFound(errors["id"][0]) from None
            raise ValidationError(errors) from None
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error) or None) from None
        body = FlagSerializer({"id": flag.pk, "target": data["target"], "reason": flag.reason, "created": created})
        return Response(body.data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
