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
from django.template.loader import render_to_string
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
# Pages the worker answers from its cache when there is no connection (they are cached as visited).
OFFLINE_PAGES = ("/report/",)


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    shell = [static(path) for path in SHELL_FILES] + [reverse("services:service_choose")]
    version = hashlib.sha256(json.dumps(shell).encode()).hexdigest()[:12]
    body = render_to_string(
        "sw.js",
        {
            "version": version,
            "shell": json.dumps(shell),
            "offline_pages": json.dumps(OFFLINE_PAGES),
            "static_url": json.dumps(
                settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
            ),
        },
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    # Browsers check for a new worker on each visit; it must never be served stale.
    response["Cache-Control"] = "no-cache"
    return response
