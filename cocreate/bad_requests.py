"""Requests refused before any view: a NUL character in the path or the query string.

No address or filter of the site holds a NUL, and PostgreSQL refuses one in any text it
compares, so such a request is answered here with a 400 in the format its client reads:
JSON for the REST API, the Open311 error list (XML or JSON) for Open311, a page otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from xml.etree import ElementTree as ET

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.defaults import bad_request


def error_format(path: str) -> str:
    """``json``, ``xml`` or ``html``: what a client of ``path`` expects an error in."""
    if path.startswith("/open311/"):
        return "xml" if path.endswith(".xml") else "open311-json"
    if path.startswith("/api/"):
        return "json"
    return "html"


def error_response(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """An error in the format of the path's client; Open311's is the spec's ``errors`` list."""
    fmt = error_format(request.path)
    if fmt == "json":
        return HttpResponse(json.dumps({"detail": message}), status=status, content_type="application/json")
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
    return bad_request(request, ValueError(message))


def has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists())


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_nul(request):
            return error_response(request, 400, _("Remove the NUL characters from the address."))
        return self.get_response(request)
