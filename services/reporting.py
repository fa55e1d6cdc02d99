"""Filing a report from a phone: the place first, then the kind of problem, then the form.

Every step works without JavaScript; with it, the map keeps the pin at its centre, services used
near the pin come first, photos shrink in the browser and a report made offline waits on the phone.
A visitor without an account reports first and confirms their email address after.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cocreate import geo
from cocreate.limits import limit_writes
from services import actions, geocoding, photos
from services.forms import ReportForm
from services.models import PendingPhoto, Report, Service
from services.notifications import read_confirm_token
from services.views import map_context

NEAR_SERVICES_RADIUS_M = 500
PLACES_LIMIT = 8


def _location_context() -> dict[str, object]:
    return {**map_context(), "geocoder": bool(settings.GEOCODER_URL)}


def _point(params) -> tuple[float, float] | None:
    """A valid point inside the city from ``lat``/``lon`` parameters, or None."""
    try:
        lat, lon = geo.parse_point(params.get("lat"), params.get("lon"))
    except ValidationError:
        return None
    return None if lat is None else (lat, lon)


def _services_first(services: list[Service], codes: list[str]) -> list[Service]:
    rank = {code: index for index, code in enumerate(codes)}
    return sorted(services, key=lambda service: rank.get(service.service_code, len(rank)))


@require_GET
def service_choose(request: HttpRequest) -> HttpResponse:
    """Step one: where is it (a map whose centre is the pin), then what kind of problem."""
    query = request.GET.get("q", "").strip()[:100]
    services = Service.objects.active()
    if query:
        services = services.search(query)
    services = list(services)
    point = _point(request.GET)
    if point:
        services = _services_first(
            services, Report.objects.visible().service_codes_near(*point, NEAR_SERVICES_RADIUS_M)
        )
    recent = Report.objects.service_codes_recent(request.user) if request.user.is_authenticated else []
    services = _services_first(services, recent)
    context = {
        "services": services,
        "recent": set(recent),
        "query": query,
        "lat": f"{point[0]:.6f}" if point else "",
        "lon": f"{point[1]:.6f}" if point else "",
        "location_query": f"lat={point[0]:.6f}&lon={point[1]:.6f}" if point else "",
        **_location_context(),
    }
    return render(request, "services/service_choose.html", context)


@require_GET
def services_near(request: HttpRequest) -> JsonResponse:
    """Codes of the services reported most near a point, for the picker to list first."""
    point = _point(request.GET)
    if point is None:
        return JsonResponse({"errors": {"location": [_("Give a point inside the city.")]}}, status=400)
    return JsonResponse({"services": Report.objects.visible().service_codes_near(*point, NEAR_SERVICES_RADIUS_M)})


@require_GET
def places(request: HttpRequest) -> JsonResponse:
    """Places matching the words typed: from the geocoder if one is configured, and published reports."""
    query = request.GET.get("q", "").strip()[:100]
    if len(query) < 3:
        return JsonResponse({"results": []})
    return JsonResponse({"results": geocoding.places_matching(query, PLACES_LIMIT)})


def _location_initial(request: HttpRequest) -> dict[str, str]:
    point = _point(request.GET)
    return {"lat": f"{point[0]:.6f}", "lon": f"{point[1]:.6f}"} if point else {}


def _pending_files(kept: list[PendingPhoto]) -> list[File]:
    return [File(photo.image.open("rb"), name=f"photo-{index}.jpg") for index, photo in enumerate(kept)]


def _file_report(request: HttpRequest, form: ReportForm, kept: list[PendingPhoto]) -> Report | None:
    """Save the report, or put every problem on the form at once; None when refused."""
    form_valid = form.is_valid()
    data = form.cleaned_data
    uploads = data.get("photos") or []
    files = _pending_files(kept)
    visitor = form.visitor
    common = {
        "service_code": form.service.service_code,
        "lat": data.get("lat"),
        "lon": data.get("lon"),
        "address": data.get("address", ""),
        "description": data.get("description", ""),
        "attributes": form.answers(),
        "photo_uploads": files + uploads,
        "confirm_email": data.get("email", "") if visitor else None,
    }
    try:
        if not form_valid:
            actions.report_check(**common)
            return None
        return actions.report_create(
            **common,
            reporter=None if visitor else request.user,
            show_name=data.get("show_name", False),
            confirm_name=data.get("name", ""),
        )
    except ValidationError as error:
        form.add_action_errors(error)
    except PermissionDenied as error:
        messages.error(request, str(error))
    finally:
        for file in files:
            file.close()
    return None


@limit_writes
def report_create(request: HttpRequest, service_code: str) -> HttpResponse:
    """Step two: the place, the service's questions, photos, the description; an email for visitors."""
    service = get_object_or_404(Service.objects.active().with_attributes(), service_code=service_code)
    signed_in = request.user.is_authenticated
    if signed_in and not request.user.has_verified_email():
        messages.warning(request, _("Confirm your email address before you report a problem."))
        return redirect("account_email")
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        service=service,
        visitor=not signed_in,
        initial=_location_initial(request),
    )
    kept: list[PendingPhoto] = []
    if request.method == "POST":
        kept = photos.pending_read(request.POST.getlist("pending_photo"))
        report = _file_report(request, form, kept)
        if report is not None:
            photos.pending_discard(kept)
            if not signed_in:
                return redirect("services:report_sent")
            if report.is_visible:
                messages.success(
                    request, _("Thank you. Your report is published and you will be told of every update.")
                )
            else:
                messages.success(request, _("Thank you. Your report is awaiting moderation before it is published."))
            return redirect(report)
        # Nothing the citizen gave is lost: photos come back as thumbnails, kept for the next try.
        kept += photos.pending_keep((form.cleaned_data.get("photos") or [])[: photos.MAX_PHOTOS - len(kept)])
    context = {
        "form": form,
        "service": service,
        "kept_photos": [(photo, photos.pending_token(photo)) for photo in kept],
        "nearby_url": reverse("services:nearby_reports", args=[service.service_code]),
        **_location_context(),
    }
    return render(request, "services/report_form.html", context)


@require_GET
def pending_photo(request: HttpRequest, token: str) -> FileResponse:
    """A kept photo, shown as a thumbnail in the re-shown form (already stripped of metadata)."""
    found = photos.pending_read([token])
    if not found:
        raise Http404
    response = FileResponse(found[0].image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
def report_sent(request: HttpRequest) -> HttpResponse:
    """After a visitor's report: look in your mailbox."""
    return render(request, "services/report_sent.html", {"retention_days": settings.UNCONFIRMED_REPORT_RETENTION_DAYS})


def report_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the email: one tap publishes the report (or sends it to moderation)."""
    report_id = read_confirm_token(token)
    if report_id is None or not Report.objects.filter(pk=report_id).exists():
        raise Http404
    try:
        report = actions.report_confirm(report_id=report_id)
    except PermissionDenied as error:
        return render(request, "services/report_confirmed.html", {"refused": str(error)}, status=403)
    return render(request, "services/report_confirmed.html", {"report": report})
