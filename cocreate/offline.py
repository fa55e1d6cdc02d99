"""The service worker, served from the site's root so that it may look after every page.

It keeps the site's shell (stylesheets, scripts, the report pages once visited) so that a report
can be made without a connection. Its cache is named after the hashed file names it keeps, so a
deployment that changes any of them replaces the cache.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

SHELL_FILES = (
    "css/site.css",
    "css/report-form.css",
    "js/offline.js",
    "js/maps.js",
    "js/location-picker.js",
    "js/report-start.js",
    "js/report-form.js",
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet/leaflet.js",
)
# Pages the worker answers from its cache when there is no connection (they are cached as visited):
# the place-and-service page and the report forms, not the pages of links sent by email.
OFFLINE_PAGES = r"^/report/(?!sent/|confirm/|kept-photo/)([-\w]+/)?$"
FALLBACK_PAGE = "/report/"


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    shell = [static(path) for path in SHELL_FILES] + [reverse("services:service_choose")]
    template = get_template("sw.js")
    version = hashlib.sha256((json.dumps(shell) + template.template.source).encode()).hexdigest()[:12]
    # With hashed names a cached file is never out of date; without them (DEBUG) the network comes first.
    hashed = "Manifest" in settings.STORAGES["staticfiles"]["BACKEND"]
    body = template.render(
        {
            "version": version,
            "hashed_static": json.dumps(hashed),
            "shell": json.dumps(shell),
            "offline_pages": json.dumps(OFFLINE_PAGES),
            "fallback_page": json.dumps(FALLBACK_PAGE),
            "static_url": json.dumps(
                settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
            ),
        },
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    # Browsers check for a new worker on each visit; it must never be served stale.
    response["Cache-Control"] = "no-cache"
    return response
