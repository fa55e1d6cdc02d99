"""The REST API for services and reports (/api/v1/): thin views over ``services.actions``.

Reads are public and cost a fixed number of queries whatever the number of rows; writes
need a person with a confirmed email address and are rate-limited (``cocreate.throttling``).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from citizens.step_up import StaffPower
from cocreate.api import WRITE_THROTTLES, perform
from cocreate.api_input import CursorPagination, FormParser, JSONParser, MultiPartParser
from moderation.api_permissions import CanContribute, IsVerified
from services import actions, filters, geojson, responsible
from services.models import Report, ReportComment, ReportStatus, ReportUpdate, Service, translated
from services.serializers import (
    FEATURE_COLLECTION_SCHEMA,
    CommentCreateSerializer,
    CommentSerializer,
    FollowSerializer,
    MyReportSerializer,
    ReportCreateSerializer,
    ReportDetailSerializer,
    ReportSerializer,
    ServiceSerializer,
    StatusChangeSerializer,
)

GEOJSON_LIMIT = 5000
# A report id no site reaches, filled into the page route once per map layer (see ReportGeoJSON).
URL_SENTINEL = 987654321987
# Three decimals of a degree are about 110 m: enough to find the street, not the door.


# Reads -------------------------------------------------------------------------------------------


def listed(reports: QuerySet[Report]) -> QuerySet[Report]:
    """What a report representation needs, in a fixed number of queries (the operator answering
    for each report is joined in: ``services.responsible``)."""
    return responsible.annotate(reports.for_listing().with_public_point().with_comment_counts())


def readable_reports(request: Request) -> QuerySet[Report]:
    """Published reports, and the requester's own while they wait for moderation."""
    return Report.objects.readable_by(request.user)


def get_readable_report(request: Request, report_id: int, reports: QuerySet[Report] | None = None) -> Report:
    report = (reports if reports is not None else readable_reports(request)).filter(pk=report_id).first()
    if report is None:
        raise Http404
    return report


def _moment(params, name: str, end_of_day: bool) -> datetime | None:
    """An ISO 8601 date or date-time from the query string; a bare date covers the whole day."""
    try:
        return filters.parse_moment(params.get(name, ""), end_of_day=end_of_day)
    except ValueError:
        raise ValidationError({name: [_("Enter an ISO 8601 date or date and time, such as 2026-11-02.")]}) from None


def report_filter(params, default_bbox: tuple | None = None) -> filters.ReportFilter:
    """The list's and the map layer's query string as a ``ReportFilter``, or a 400 naming the bad parameter."""
    statuses = filters.split_values(params.get("status", ""))
    if unknown := sorted(set(statuses) - set(ReportStatus.values)):
        message = _("Unknown status: %(unknown)s. Use %(known)s.")
        raise ValidationError(
            {"status": [message % {"unknown": ", ".join(unknown), "known": ", ".join(ReportStatus.values)}]}
        )
    since = _moment(params, "since", end_of_day=False)
    until = _moment(params, "until", end_of_day=True)
    try:
        bbox = filters.parse_bbox(params.get("bbox", "")) or default_bbox
    except DjangoValidationError as error:
        raise ValidationError(error.message_dict) from None
    return filters.ReportFilter(
        service_codes=tuple(filters.split_values(params.get("service_code", ""))),
        statuses=tuple(statuses),
        since=since,
        until=until,
        bbox=bbox,
    )


FILTER_PARAMETERS = [
    OpenApiParameter("service_code", str, description="Service codes, comma-separated."),
    OpenApiParameter("status", str, description="Statuses, comma-separated: " + ", ".join(ReportStatus.values) + "."),
    OpenApiParameter("since", str, description="Reported on or after this ISO 8601 date or date-time."),
    OpenApiParameter("until", str, description="Reported on or before this ISO 8601 date (whole day) or date-time."),
    OpenApiParameter("bbox", str, description="min_lon,min_lat,max_lon,max_lat (WGS 84)."),
]


# Writes ------------------------------------------------------------------------------------------


class WriteView:
    permission_classes = [CanContribute]
    throttle_classes = WRITE_THROTTLES


# Views -------------------------------------------------------------------------------------------


class ServiceList(generics.ListAPIView):
    """Active services with their questions; names in the request's language (Accept-Language)."""

    serializer_class = ServiceSerializer
    pagination_class = None
    queryset = Service.objects.active().with_attributes()


class ServiceDetail(generics.RetrieveAPIView):
    serializer_class = ServiceSerializer
    queryset = Service.objects.active().with_attributes()
    lookup_field = "service_code"


class NewestFirst(CursorPagination):
    ordering = ("-created_at", "-pk")


class OldestFirst(CursorPagination):
    ordering = ("created_at", "pk")


@extend_schema_view(
    get=extend_schema(parameters=FILTER_PARAMETERS, summary="List published reports, newest first"),
    post=extend_schema(
        summary="Report a problem",
        request={"multipart/form-data": ReportCreateSerializer, "application/json": ReportCreateSerializer},
        responses={
            201: ReportSerializer,
            400: OpenApiResponse(description="Invalid input: {field: [messages]}."),
            403: OpenApiResponse(description="Not signed in, or the email address is not confirmed."),
            429: OpenApiResponse(description="Too many writes; retry after the Retry-After header's seconds."),
        },
    ),
)
class ReportListCreate(WriteView, generics.ListAPIView):
    serializer_class = ReportSerializer
    pagination_class = NewestFirst
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self) -> QuerySet[Report]:
        return report_filter(self.request.query_params).apply(listed(Report.objects.visible()))

    def post(self, request: Request) -> Response:
        serializer = ReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = perform(
            actions.report_create,
            service_code=data["service_code"],
            lat=data.get("lat"),
            lon=data.get("lon"),
            address=data["address"],
            description=data["description"],
            attributes=data["attributes"],
            photo_uploads=data["photos"],
            reporter=request.user,
            show_name=data["show_name"],
            source=Report.Source.API,
        )
        report = get_readable_report(request, report.pk, listed(readable_reports(request)))
        return Response(ReportSerializer(report, context={"request": request}).data, status=status.HTTP_201_CREATED)


def get_report_with_timeline(request: Request, report_id: int) -> Report:
    """A readable report with what its detail representation shows, in a fixed number of queries."""
    reports = listed(readable_reports(request)).prefetch_related(
        Prefetch("updates", queryset=ReportUpdate.objects.order_by("created_at", "pk")),
        Prefetch(
            "comments",
            queryset=ReportComment.objects.visible().select_related("author"),
            to_attr="visible_comments",
        ),
    )
    return get_readable_report(request, report_id, reports)


class RecentlyUpdatedFirst(CursorPagination):
    ordering = ("-updated_at", "-pk")


@extend_schema(
    summary="List your own reports",
    description="The signed-in citizen's reports, in any moderation state (`moderation_state` says whether "
    "each is published yet), the most recently updated first, 50 a page.",
    responses={200: MyReportSerializer, 403: OpenApiResponse(description="Not signed in.")},
)
class MyReportList(generics.ListAPIView):
    serializer_class = MyReportSerializer
    pagination_class = RecentlyUpdatedFirst
    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> QuerySet[Report]:
        return listed(Report.objects.reported_by(self.request.user))


class ReportDetail(generics.RetrieveAPIView):
    """A published report (or your own awaiting moderation) with its public timeline."""

    serializer_class = ReportDetailSerializer

    def get_object(self) -> Report:
        return get_report_with_timeline(self.request, self.kwargs["report_id"])


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


class AlwaysGeoJSON(BaseContentNegotiation):
    """Answer GeoJSON whatever the Accept header says (maps send */* or application/json)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ReportGeoJSON(APIView):
    """Published reports with a point, as a GeoJSON map layer."""

    renderer_classes = [GeoJSONRenderer]
    content_negotiation_class = AlwaysGeoJSON

    @extend_schema(
        operation_id="reports_geojson",
        summary="Published reports as GeoJSON",
        description="Without `bbox`, the city's whole area. At most 5000 features, newest first.",
        parameters=FILTER_PARAMETERS,
        responses={
            (200, "application/geo+json"): FEATURE_COLLECTION_SCHEMA,
            (400, "application/geo+json"): OpenApiResponse(description="A bad filter: {field: [messages]}."),
        },
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        located = Report.objects.visible().filter(lat__isnull=False, lon__isnull=False)
        reports = report_filter(params, default_bbox=tuple(settings.CITY_BOUNDS)).apply(located.with_public_point())
        rows = (
            reports.annotate(service_name=translated("service__name"))
            .order_by("-created_at", "-pk")
            .values_list(
                "pk", "public_lon", "public_lat", "status", "created_at", "service__service_code", "service_name"
            )
        )[:GEOJSON_LIMIT]
        labels = {value: str(label) for value, label in ReportStatus.choices}
        # reverse() costs more than the rest of a feature: resolve the page route once, then fill in each id.
        page_url = request.build_absolute_uri(reverse("services:report_detail", args=[URL_SENTINEL]))
        body = geojson.feature_collection(
            (
                geojson.Row(pk, lon, lat, report_status, created_at, code, name)
                for pk, lon, lat, report_status, created_at, code, name in rows
            ),
            page_url=page_url.replace(str(URL_SENTINEL), "{}"),
            status_labels=labels,
        )
        return HttpResponse(body, content_type="application/geo+json")


@extend_schema_view(
    get=extend_schema(summary="Visible comments on a report, oldest first"),
    post=extend_schema(
        summary="Comment on a report", request=CommentCreateSerializer, responses={201: CommentSerializer}
    ),
)
class ReportComments(WriteView, generics.ListAPIView):
    serializer_class = CommentSerializer
    pagination_class = OldestFirst

    def get_queryset(self) -> QuerySet[ReportComment]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the view
            return ReportComment.objects.none()
        report = get_readable_report(self.request, self.kwargs["report_id"])
        return ReportComment.objects.visible().filter(report=report).select_related("author")

    def post(self, request: Request, report_id: int) -> Response:
        report = get_readable_report(request, report_id)
        serializer = CommentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = perform(
            actions.report_comment_create, report=report, author=request.user, **serializer.validated_data
        )
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class ReportFollow(WriteView, APIView):
    """Follow a report to get an email for each public update; unfollow to stop."""

    permission_classes = [IsVerified]

    @extend_schema(request=None, responses={200: FollowSerializer, 201: FollowSerializer})
    def post(self, request: Request, report_id: int) -> Response:
        report = get_readable_report(request, report_id)
        created = perform(actions.report_follow, report=report, user=request.user)
        return Response({"following": True}, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, report_id: int) -> Response:
        report = get_readable_report(request, report_id)
        perform(actions.report_unfollow, report=report, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReportStatusChange(APIView):
    """City staff move a report to a new status with an optional public note; followers are told.

    A staff power: the account must be city staff (or a superuser) and stepped up, that is
    signed in with its TOTP code or using a staff API token (``citizens.step_up``). Otherwise
    the answer is 403, with ``"code": "two_factor_required"`` when only the second factor is missing.
    """

    permission_classes = [StaffPower]
    throttle_classes = WRITE_THROTTLES
    staff_power = staticmethod(actions.can_change_status)

    @extend_schema(
        request=StatusChangeSerializer,
        responses={
            200: ReportDetailSerializer,
            400: OpenApiResponse(description="Invalid status change: {field: [messages]}."),
            403: OpenApiResponse(
                description='Not signed in, not city staff, or no second factor: {"detail": …, '
                '"code": "two_factor_required"}.'
            ),
            404: OpenApiResponse(description="No such report, or one the public may not see."),
            429: OpenApiResponse(description="Too many writes; retry after the Retry-After header's seconds."),
        },
    )
    def post(self, request: Request, report_id: int) -> Response:
        report = get_readable_report(request, report_id)
        serializer = StatusChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        perform(actions.report_change_status, report=report, by=request.user, **serializer.validated_data)
        report = get_report_with_timeline(request, report_id)
        return Response(ReportDetailSerializer(report, context={"request": request}).data)
