"""The REST API for services and reports (/api/v1/): thin views over ``services.actions``.

Reads are public and cost a fixed number of queries whatever the number of rows; writes
need a person with a confirmed email address and are rate-limited (``cocreate.throttling``).
"""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from citizens.step_up import StaffPower
from cocreate.api import WRITE_THROTTLES, perform
from cocreate.api_input import CursorPagination, FormParser, JSONParser, MultiPartParser
from moderation.api_permissions import CanContribute, IsVerified
from services import actions, filters, geojson, map_tiles, responsible
from services.models import Report, ReportComment, ReportStatus, ReportUpdate, Service, translated
from services.serializers import (
    FEATURE_COLLECTION_SCHEMA,
    REPORT_TILE_SCHEMA,
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
from services.tiles import MAX_ZOOM, Tile, TileError

# The most features one GeoJSON answer holds, and how many it holds unless ``limit`` asks for fewer.
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


def report_statuses(params) -> list[str]:
    """The ``status`` parameter's statuses, or a 400 naming the unknown ones."""
    statuses = filters.split_values(params.get("status", ""))
    if unknown := sorted(set(statuses) - set(ReportStatus.values)):
        message = _("Unknown status: %(unknown)s. Use %(known)s.")
        raise ValidationError(
            {"status": [message % {"unknown": ", ".join(unknown), "known": ", ".join(ReportStatus.values)}]}
        )
    return statuses


def report_filter(params, default_bbox: tuple | None = None) -> filters.ReportFilter:
    """The list's and the map layer's query string as a ``ReportFilter``, or a 400 naming the bad parameter."""
    statuses = report_statuses(params)
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


class FirstRenderer(BaseContentNegotiation):
    """Answer in the view's one media type whatever the Accept header says (maps send */* or application/json)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def geojson_limit(params) -> int:
    """The ``limit`` parameter: how many features at most, ``GEOJSON_LIMIT`` when absent; or a 400."""
    text = params.get("limit", "").strip()
    if not text:
        return GEOJSON_LIMIT
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= GEOJSON_LIMIT):
        raise ValidationError({"limit": [_("Give a whole number from 1 to %(max)d.") % {"max": GEOJSON_LIMIT}]})
    return int(text)


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def geojson_cursor(created_at: datetime, pk: int) -> str:
    """Where the next page starts: after this feature, newest first (an opaque token to clients)."""
    microseconds = (created_at - EPOCH) // timedelta(microseconds=1)
    return base64.urlsafe_b64encode(f"{microseconds}:{pk}".encode()).decode().rstrip("=")


def read_geojson_cursor(params) -> tuple[datetime, int] | None:
    """The ``cursor`` parameter as the (created_at, id) of the last feature already sent; or a 400."""
    text = params.get("cursor", "").strip()
    if not text:
        return None
    try:
        microseconds, pk = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii").split(":")
        if not 0 < int(pk) < 2**63:  # an id the database can hold
            raise ValueError(pk)
        return EPOCH + timedelta(microseconds=int(microseconds)), int(pk)
    except (ValueError, binascii.Error, OverflowError):
        raise ValidationError(
            {"cursor": [_("This cursor is not one this API gave: follow the “next” link.")]}
        ) from None


class ReportGeoJSON(APIView):
    """Published reports with a point, as a GeoJSON map layer, newest first, in pages."""

    renderer_classes = [GeoJSONRenderer]
    content_negotiation_class = FirstRenderer

    @extend_schema(
        operation_id="reports_geojson",
        summary="Published reports as GeoJSON",
        description=f"Without `bbox`, the city's whole area. Newest first, at most `limit` features "
        f"({GEOJSON_LIMIT}, the most, when absent); `truncated` says whether more match, and `next` is the link to "
        "them (`null` on the last page). For a map, the tiles (`/api/v1/reports/tiles/{z}/{x}/{y}.json`) are "
        "lighter at every zoom.",
        parameters=[
            *FILTER_PARAMETERS,
            OpenApiParameter("limit", int, description=f"At most this many features, 1 to {GEOJSON_LIMIT}."),
            OpenApiParameter("cursor", str, description="Where a page starts: take it from the `next` link."),
        ],
        responses={
            (200, "application/geo+json"): FEATURE_COLLECTION_SCHEMA,
            (400, "application/geo+json"): OpenApiResponse(description="A bad parameter: {field: [messages]}."),
        },
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        limit = geojson_limit(params)
        after = read_geojson_cursor(params)
        located = Report.objects.visible().filter(lat__isnull=False, lon__isnull=False)
        reports = report_filter(params, default_bbox=tuple(settings.CITY_BOUNDS)).apply(located.with_public_point())
        if after is not None:
            created_at, pk = after
            reports = reports.filter(Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk))
        rows = list(
            reports.annotate(service_name=translated("service__name"))
            .order_by("-created_at", "-pk")
            .values_list(
                "pk", "public_lon", "public_lat", "status", "created_at", "service__service_code", "service_name"
            )[: limit + 1]
        )
        truncated = len(rows) > limit
        rows = rows[:limit]
        next_url = None
        if truncated:
            last = rows[-1]
            next_url = replace_query_param(request.build_absolute_uri(), "cursor", geojson_cursor(last[4], last[0]))
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
            members={"truncated": truncated, "next": next_url},
        )
        return HttpResponse(body, content_type="application/geo+json")


class ReportTile(APIView):
    """One tile of the report map: clusters below street zoom, reports from it (``services.map_tiles``).

    Public and the same for everyone, so it reads no credentials and no throttle counter: the
    answer is cached, and a client that already holds it gets a ``304``.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FirstRenderer

    @extend_schema(
        operation_id="reports_tile",
        summary="One tile of the report map",
        description=f"A Web Mercator tile (`z/x/y` as map clients count them, z 0 to {MAX_ZOOM}) of published "
        f"reports inside the city. Below zoom {map_tiles.STREET_ZOOM}, `c` lists clusters: "
        f"`[count, lat, lon]` per cell of 64 px with reports, at the mean of their points. From zoom "
        f"{map_tiles.STREET_ZOOM}, `p` lists reports, newest first, at most {map_tiles.MAX_POINTS}: "
        "`[id, lat, lon, service, status]`, `service` being a place in `s`, the tile's service codes; "
        "`truncated` says whether more are there. `n` is the tile's number of reports either way. "
        f"Cached for {map_tiles.MAX_AGE_SECONDS} s (`Cache-Control`); send the `ETag` back in "
        "`If-None-Match` for a `304` while the map has not changed.",
        parameters=[
            OpenApiParameter("service_code", str, description="Service codes, comma-separated."),
            OpenApiParameter(
                "status", str, description="Statuses, comma-separated: " + ", ".join(ReportStatus.values) + "."
            ),
        ],
        responses={
            200: REPORT_TILE_SCHEMA,
            304: OpenApiResponse(description="Not modified: the tile named in If-None-Match is still current."),
            400: OpenApiResponse(description="No such tile, or a bad filter: {field: [messages]}."),
            404: OpenApiResponse(description="z, x or y is not a whole number."),
        },
    )
    def get(self, request: Request, z: int, x: int, y: int) -> HttpResponse:
        try:
            tile = Tile.checked(z, x, y)
        except TileError as error:
            raise ValidationError({"tile": [str(error)]}) from None
        params = request.query_params
        wanted = map_tiles.TileRequest(
            tile,
            service_codes=tuple(filters.split_values(params.get("service_code", ""))),
            statuses=tuple(report_statuses(params)),
        )
        return map_tiles.serve(request, wanted)


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
