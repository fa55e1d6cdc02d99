"""503 Service Unavailable, with ``Retry-After``, when the database or Redis cannot be reached.

Django's 500 handler (``handler500`` in ``cocreate/urls.py``) calls ``server_error``; when the
exception being handled is a dependency that is down, the client gets a 503 it can act on
instead of a 500, in the format it asked for: JSON under ``/api/`` and for Open311 JSON, the
Open311 error list in XML for Open311 ``.xml`` URLs, and an HTML page otherwise. The page is
rendered without the request, so it never needs the database it reports as down.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET

import kombu.exceptions
import redis.exceptions
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

RETRY_AFTER_SECONDS = 30
DEPENDENCY_DOWN = (
    OperationalError,
    InterfaceError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    kombu.exceptions.OperationalError,
)


def is_dependency_down(error: BaseException | None) -> bool:
    """True for a database, Redis or broker connection failure (directly or as the cause)."""
    while error is not None:
        if isinstance(error, DEPENDENCY_DOWN):
            return True
        error = error.__cause__
    return False


def unavailable_response(request: HttpRequest) -> HttpResponse:
    message = _("The service is temporarily unavailable. Please try again in a minute.")
    path = request.path
    if path.startswith("/open311/"):
        errors = [{"code": 503, "description": message}]
        if path.endswith(".xml"):
            root = ET.Element("errors")
            for item in errors:
                error = ET.SubElement(root, "error")
                for key, value in item.items():
                    ET.SubElement(error, key).text = str(value)
            body = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")
            response = HttpResponse(body, status=503, content_type="text/xml; charset=utf-8")
        else:
            response = HttpResponse(json.dumps(errors), status=503, content_type="application/json")
    elif path.startswith("/api/"):
        response = HttpResponse(json.dumps({"detail": message}), status=503, content_type="application/json")
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """The 500 handler: a 503 when a dependency is down, Django's friendly 500 page otherwise."""
    if is_dependency_down(sys.exc_info()[1]):
        return unavailable_response(request)
    return defaults.server_error(request, template_name)
