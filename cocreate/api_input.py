"""How the REST API reads requests and answers their errors: every bad request a 4xx with a JSON body.

Bodies over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` are a 413, JSON nested deeper than
``JSON_MAX_DEPTH`` or not valid UTF-8 a 400, an altered pagination cursor a 404. Registered
as DRF's defaults in settings, so this module must not import ``rest_framework.views``
at load time (that module reads the defaults when it is imported).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import pagination, parsers, status
from rest_framework.exceptions import APIException, NotFound, ParseError
from rest_framework.request import Request

if TYPE_CHECKING:
    from rest_framework.views import APIView


# Deeper than any document the API takes (attributes are one level), far below Python's recursion limit.
JSON_MAX_DEPTH = 32


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request body is too large.")
    default_code = "payload_too_large"


def read_body(stream, parser_context: dict | None) -> bytes:
    """The request body, refused with a 413 beyond Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``.

    DRF's JSON and form parsers read the stream directly, so Django's own check never runs.
    """
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = stream.read(limit + 1) if limit is not None else stream.read()
    if limit is not None and len(body) > limit:
        raise PayloadTooLarge()
    return body


def decode_utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise ParseError(_("The request body is not valid UTF-8.")) from None


def json_depth(value: object) -> int:
    """How deeply ``value``'s lists and objects nest (iterative: no recursion to exhaust)."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            pending.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with a size limit (413), strict UTF-8 and a nesting limit (400)."""

    def parse(self, stream, media_type=None, parser_context=None):
        if stream is None:
            return {}
        text = decode_utf8(read_body(stream, parser_context))
        try:
            data = json.loads(text, parse_constant=self.refuse_constant)
        except RecursionError:
            raise ParseError(_("JSON nested too deeply.")) from None
        except ValueError as error:
            raise ParseError(_("JSON parse error: %(error)s") % {"error": error}) from None
        if json_depth(data) > JSON_MAX_DEPTH:
            raise ParseError(_("JSON nested too deeply: at most %(depth)d levels.") % {"depth": JSON_MAX_DEPTH})
        return data

    @staticmethod
    def refuse_constant(name: str) -> None:
        raise ValueError(_("%(name)s is not a number JSON allows.") % {"name": name})


class FormParser(parsers.FormParser):
    """DRF's form parser with Django's size limit (413) and strict UTF-8 (400)."""

    def parse(self, stream, media_type=None, parser_context=None):
        body = read_body(stream, parser_context)
        try:
            # Django decodes a bad byte into U+FFFD; decode strictly first so it is refused instead.
            for piece in body.decode("ascii").replace("=", "&").split("&"):
                unquote_to_bytes(piece.replace("+", " ")).decode("utf-8")
        except UnicodeDecodeError:
            raise ParseError(_("The request body is not valid UTF-8.")) from None
        try:
            return QueryDict(body, encoding="utf-8")
        except TooManyFieldsSent as error:
            raise ParseError(str(error)) from None


class MultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser, answering a request beyond Django's upload limits with a JSON error."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RequestDataTooBig:
            raise PayloadTooLarge() from None
        except (TooManyFilesSent, TooManyFieldsSent) as error:
            raise ParseError(str(error)) from None


def exception_handler(exc: Exception, context: dict):
    """DRF's handler, also answering Django's request-size errors in JSON rather than an HTML page."""
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        exc = ParseError(str(exc))
    from rest_framework.views import exception_handler as drf_exception_handler

    return drf_exception_handler(exc, context)


class CursorPagination(pagination.CursorPagination):
    """DRF's cursor pages, answering a cursor whose position does not fit the ordering with a 404.

    DRF checks that a cursor decodes, not that its position is a value of the ordering's
    field: an altered one reached the database and failed there.
    """

    def paginate_queryset(self, queryset: QuerySet, request: Request, view: APIView | None = None):
        self.model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request: Request):
        cursor = super().decode_cursor(request)
        if cursor is None or cursor.position is None:
            return cursor
        name = self.ordering[0].lstrip("-") if isinstance(self.ordering[0], str) else None
        try:
            field = self.model._meta.get_field(name) if name else None
        except FieldDoesNotExist:
            return cursor
        if field is None:
            return cursor
        try:
            value = field.to_python(cursor.position)
            if isinstance(value, datetime) and value.tzinfo is not None:
                value.astimezone(UTC)  # an offset that pushes it past year 9999 cannot be compared
        except (DjangoValidationError, ValueError, OverflowError, TypeError):
            raise NotFound(self.invalid_cursor_message) from None
        return cursor
