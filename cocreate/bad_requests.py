"""Errors in the format the client reads: JSON for the REST API, the Open311 error list
(XML or JSON) for Open311, a page otherwise.

Django's own 400, 403 and 404 answers (an address no route matches, such as
``/api/v1/reports/-1/``) go through the handlers here, and a NUL character in the path or
the query string is refused before any view: no address or filter of the site holds one,
and PostgreSQL refuses one in any text it compares.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from xml.etree import ElementTree as ET

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views import defaults


def error_format(path: str) -> str:
    """``json``, ``xml`` or ``html``: what a client of ``path`` expects an error in."""
    if path.startswith("/open311/"):
        return "xml" if path.endswith(".xml") else "open311-json"
    if path.startswith("/api/"):
        return "json"
    return "html"


def error_response(request: HttpRequest, status: int, message: str) -> HttpResponse | None:
    """An error in the format of the path's client (None for a page); Open311's is the spec's ``errors`` list."""
    fmt = error_format(request.path)
    if fmt == "json":
        # The GeoJSON layer answers its errors in the media type its clients asked for.
        media_type = "application/geo+json" if request.path.endswith(".geojson") else "application/json"
        return HttpResponse(json.dumps({"detail": message}), status=status, content_type=media_type)
    if fmt == "open311-json":
        body = json.dumps([{"code": status, "description": message}])
        return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    if fmt == "xml":
        errors = ET.Element("errors")
        error = ET.SubElement(errors, "error")
        ET.SubElement(error, "code").text = str(status)
        ET.SubElement(error, "description").text = message
        body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(
            errors, encoding="utf-8", xml_declaration=False
        )
        return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
    return None


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler400``."""
    message = _("The request could not be understood.")
    return error_response(request, 400, message) or defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler403``."""
    message = _("You do not have permission to do this.")
    return error_response(request, 403, message) or defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``."""
    return error_response(request, 404, _("Not found.")) or defaults.page_not_found(request, exception)


def has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists())


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_nul(request):
            message = _("Remove the NUL characters from the address.")
            return error_response(request, 400, message) or defaults.bad_request(request, ValueError(message))
        return self.get_response(request)
