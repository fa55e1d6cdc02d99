"""Open data pages: the catalogue of datasets with its charts, and, for city staff, a build on demand
with its live progress."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from citizens import roles
from citizens.step_up import staff_power
from cocreate.limits import limit_writes
from cocreate.page_cache import public_page
from opendata import charts
from opendata.actions import datasets_build_request
from opendata.catalogue import build_progress, build_rows, metadata_paths, published_datasets
from opendata.models import Snapshot

# Views ---------------------------------------------------------------------------------------------


def _require_city_staff(request: HttpRequest) -> None:
    if not roles.is_city_staff(request.user):
        raise PermissionDenied


@public_page("opendata")
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The open data catalogue: every dataset, its dictionary and downloads, and charts."""
    latest = Snapshot.objects.latest_succeeded()
    context: dict[str, object] = {
        "datasets": published_datasets(latest),
        "latest": latest,
        "license_id": settings.OPENDATA_LICENSE_ID,
        "license_url": settings.OPENDATA_LICENSE_URL,
        "publisher": settings.OPENDATA_PUBLISHER,
        "metadata": metadata_paths(),
        "charts": charts.page_charts(),
        "can_build": roles.is_city_staff(request.user),
    }
    if context["can_build"]:
        last_build = Snapshot.objects.first()
        context["last_build"] = last_build
        context["build_rows"] = build_rows(last_build)
    return render(request, "opendata/index.html", context)


@require_POST
@staff_power(roles.is_city_staff)
@limit_writes
def build(request: HttpRequest) -> HttpResponse:
    """City staff build every dataset now instead of waiting for the night."""
    try:
        datasets_build_request(requested_by_role="city")
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The datasets are being built. Their progress is shown below."))
    return redirect(f"{reverse('opendata:index')}#build")


@never_cache
@require_GET
def progress(request: HttpRequest) -> JsonResponse:
    """The running or last build's progress, polled by static/js/opendata-progress.js."""
    _require_city_staff(request)
    return JsonResponse(build_progress(Snapshot.objects.first()))
