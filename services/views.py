"""Report pages: choose a service, report, browse, the map, one report, follow, comment, status, reopen."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from citizens.models import User
from citizens.step_up import staff_power
from cocreate import geo
from cocreate.following import follow_or_unfollow
from cocreate.limits import limit_writes
from cocreate.page_cache import public_page
from cocreate.redaction import shown_text
from moderation.notifications import moderation_reason
from services import actions, responsible
from services.api import URL_SENTINEL
from services.attributes import describe_answers
from services.filters import ReportFilter, local_day
from services.forms import CommentForm, MapFilterForm, ReopenForm, ReportFilterForm, StatusForm
from services.models import Follow, Report, ReportComment, ReportPhoto, ReportStatus, Service
from services.notifications import read_unfollow_token

PAGE_SIZE = 20
NEAR_RADIUS_M = 1000


def _get_visible_report(request: HttpRequest, report_id: int) -> Report:
    """A report the requester may see: published, or their own in any moderation state."""
    return get_object_or_404(
        Report.objects.readable_by(request.user).select_related("service", "reporter", "duplicate_of"), pk=report_id
    )


def map_context() -> dict[str, object]:
    min_lon, min_lat, max_lon, max_lat = settings.CITY_BOUNDS
    return {
        "map_bounds": f"{min_lat},{min_lon},{max_lat},{max_lon}",
        "map_tile_url": settings.MAP_TILE_URL,
        "map_attribution": settings.MAP_TILE_ATTRIBUTION,
        "map_zoom_in": _("Zoom in"),
        "map_zoom_out": _("Zoom out"),
        "map_attribution_prefix": _("Map: Leaflet"),
    }


# The map's sentences for one and for several, still holding ``%(count)s``: the browser picks one by
# the language's plural rule and puts the number in.
PLURAL_FORMS = (("one", 1), ("other", 2))


def _map_layer_context() -> dict[str, object]:
    """What the map of reports' script needs to draw the tiles: their address, the words it says,
    and the names of the services and statuses the tiles give by code."""
    tile_url = reverse("api_report_tile", kwargs={"z": 0, "x": 0, "y": 0}).replace("/0/0/0.", "/{z}/{x}/{y}.")
    report_url = reverse("services:report_detail", args=[URL_SENTINEL]).replace(str(URL_SENTINEL), "{id}")
    return {
        "counts": {
            form: ngettext("%(count)s report shown", "%(count)s reports shown", number) for form, number in PLURAL_FORMS
        },
        "cluster_titles": {
            form: ngettext("Show the report here", "Show the %(count)s reports here", number)
            for form, number in PLURAL_FORMS
        },
        "map_tile_data_url": tile_url,
        "map_report_url": report_url,
        "service_names": json.dumps({s.service_code: s.name for s in Service.objects.order_by()}),
        "status_names": json.dumps({value: str(label) for value, label in ReportStatus.choices}),
    }


@require_GET
def nearby_reports(request: HttpRequest, service_code: str) -> JsonResponse:
    """Open reports of the same service near a point: offered before filing a duplicate."""
    service = get_object_or_404(Service.objects.active(), service_code=service_code)
    try:
        lat = geo.parse_coordinate(request.GET.get("lat"), "lat")
        lon = geo.parse_coordinate(request.GET.get("lon"), "lon")
    except ValidationError as error:
        return JsonResponse({"errors": error.message_dict}, status=400)
    reports = actions.similar_open_reports(service=service, lat=lat, lon=lon)
    return JsonResponse(
        {
            "results": [
                {
                    "id": report.pk,
                    "url": report.get_absolute_url(),
                    "follow_url": f"/reports/{report.pk}/follow/",
                    "description": report.public_description[:200],
                    "status": report.get_status_display(),
                    "distance_m": report.distance_m,
                    "created_at": report.created_at.isoformat(),
                }
                for report in reports
            ]
        }
    )


def _filtered_reports(form: ReportFilterForm):
    reports = Report.objects.visible().for_listing()
    if not form.is_valid():
        return reports.none()
    data = form.cleaned_data
    report_filter = ReportFilter(
        service_codes=(data["service"].service_code,) if data["service"] else (),
        statuses=(data["status"],) if data["status"] else (),
        since=local_day(data["since"]) if data["since"] else None,
        until=local_day(data["until"], end_of_day=True) if data["until"] else None,
        near=(*data["near"], NEAR_RADIUS_M) if data["near"] else None,
    )
    return report_filter.apply(reports)


@public_page("reports", cache_query=("page", "service", "status"))
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    """Browse reports with filters, newest first."""
    form = ReportFilterForm(request.GET or None)
    reports = _filtered_reports(form) if request.GET else Report.objects.visible().for_listing()
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "services/report_list.html", {"form": form, "page": page, "query": query.urlencode()})


@public_page(cache_query=("service", "status"))
@require_GET
def report_map(request: HttpRequest) -> HttpResponse:
    """The map of reports, drawn from the report tiles of the visible area, with a service and a status filter."""
    form = MapFilterForm(request.GET or None)
    query = request.GET.urlencode() if form.is_bound and form.is_valid() else ""
    context = {**map_context(), **_map_layer_context(), "form": form, "query": query}
    return render(request, "services/report_map.html", context)


@public_page("report:{report_id}")
@require_GET
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _get_visible_report(request, report_id)
    photos = ReportPhoto.objects.filter(report=report).visible().order_by("position", "pk")
    comments = ReportComment.objects.visible().filter(report=report).select_related("author")
    update_photos = responsible.timeline_photos(report)
    timeline = sorted(
        [
            *(
                ("update", update.created_at, update, update_photos.get(update.pk, []))
                for update in report.updates.all()
            ),
            *(("comment", c.created_at, c, []) for c in comments),
        ],
        key=lambda entry: entry[1],
    )
    user = request.user
    following = user.is_authenticated and Follow.objects.filter(report=report, user=user).exists()
    service = Service.objects.with_attributes().get(pk=report.service_id)
    context = {
        "report": report,
        "moderation_reason": moderation_reason(report) if not report.is_visible else "",
        "photos": photos,
        "answers": describe_answers(service, shown_text(report, "attributes", user)),
        "timeline": timeline,
        "following": following,
        "comment_form": CommentForm(),
        "status_form": StatusForm(initial={"status": report.status}) if actions.can_change_status(user) else None,
        "responsible": responsible.summary(report),
        "reopen_form": ReopenForm(prefix="reopen") if _may_reopen(report, user) else None,
        "share_url": request.build_absolute_uri(report.get_absolute_url()),
        **map_context(),
    }
    return render(request, "services/report_detail.html", context)


def _may_reopen(report: Report, user) -> bool:
    """Whether the page offers ``user`` to reopen the report (``actions.check_reopen``)."""
    if not user.is_authenticated:
        return False
    try:
        actions.check_reopen(report=report, by=user)
    except (ValidationError, PermissionDenied):
        return False
    return True


@require_POST
@login_required
@limit_writes
def report_reopen(request: HttpRequest, report_id: int) -> HttpResponse:
    """A citizen says the vehicle is still there: the resolved report opens again."""
    report = _get_visible_report(request, report_id)
    form = ReopenForm(request.POST, prefix="reopen")
    if not form.is_valid():
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
        return redirect(report)
    try:
        actions.report_reopen(report=report, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        for messages_list in error.message_dict.values():
            for message in messages_list:
                messages.error(request, message)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The report is open again. You follow it, so you will hear of each update."))
    return redirect(report)


@require_POST
@login_required
@limit_writes
def report_follow(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _get_visible_report(request, report_id)
    return follow_or_unfollow(
        request,
        report,
        follow=lambda: actions.report_follow(report=report, user=request.user),
        unfollow=lambda: actions.report_unfollow(report=report, user=request.user),
        followed=_("You follow this report: you will get an email for each update."),
        unfollowed=_("You no longer follow this report."),
    )


@require_POST
@login_required
@limit_writes
def report_comment(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _get_visible_report(request, report_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = actions.report_comment_create(report=report, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            for messages_list in error.message_dict.values():
                for message in messages_list:
                    messages.error(request, message)
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            if comment.is_visible:
                messages.success(request, _("Your comment is published."))
            else:
                messages.success(request, _("Thank you. Your comment is awaiting moderation before it is published."))
    else:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
    return redirect(report)


@require_POST
@staff_power(actions.can_change_status)
@limit_writes
def report_status(request: HttpRequest, report_id: int) -> HttpResponse:
    """City staff move a report to a new status with an optional public note."""
    report = _get_visible_report(request, report_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        duplicate_of = Report.objects.filter(pk=data["duplicate_of"]).first() if data["duplicate_of"] else None
        try:
            actions.report_change_status(
                report=report,
                to_status=data["status"],
                by=request.user,
                note=data["note"],
                duplicate_of=duplicate_of,
                rejection_reason=data["rejection_reason"],
            )
        except ValidationError as error:
            for messages_list in error.message_dict.values():
                for message in messages_list:
                    messages.error(request, message)
        else:
            messages.success(request, _("The status is changed and followers are told."))
    else:
        messages.error(request, _("Choose a valid status."))
    return redirect(report)


def unfollow_by_token(request: HttpRequest, token: str) -> HttpResponse:
    """The unsubscribe link of update emails: confirm, then stop following (no login needed)."""
    parsed = read_unfollow_token(token)
    if parsed is None:
        raise Http404
    user_id, report_id = parsed
    report = get_object_or_404(Report, pk=report_id)
    if request.method == "POST":
        if follower := User.objects.filter(pk=user_id).first():
            actions.report_unfollow(report=report, user=follower)
        messages.success(request, _("You will no longer receive emails about this report."))
        return redirect(report) if report.is_visible else redirect("home")
    return render(request, "services/unfollow.html", {"report": report})
