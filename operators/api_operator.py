"""The API for operators' own tools (/api/v1/operator/): their assignments, and their answers.

An operator staff account's API token (or session) reads the reports routed to its operator and
answers them, through the same ``operators.actions`` as the workspace pages. Another operator's
report answers 404, as if it did not exist; an account that works for no operator gets 403.
What comes out is what the public reads of a report (redacted text, the published point and
address, public photos) plus the assignment: never who reported it.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cocreate.api import WRITE_THROTTLES, perform
from cocreate.api_input import CursorPagination
from cocreate.redaction import redact
from operators import actions
from operators.models import OUTCOME_NOTE_MAX, Assignment, Outcome, Reason
from services.models import ReportStatus

STATUSES = ("open", "resolved")


class WorksForOperator(BasePermission):
    """Signed in (token or session) with an account of operator staff that works for an operator."""

    message = gettext_lazy("Only operator staff may use the operator API.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        view.operator = actions.operator_of(user)
        return view.operator is not None


# Serializers -------------------------------------------------------------------------------------


class OperatorReportSerializer(serializers.Serializer):
    """One assignment with the public view of its report. No reporter field, ever."""

    id = serializers.IntegerField(source="report_id", help_text="The report's number.")
    url = serializers.SerializerMethodField(help_text="The report's public page.")
    service_code = serializers.CharField(source="report.service.service_code")
    status = serializers.ChoiceField(source="report.status", choices=ReportStatus.choices)
    lat = serializers.SerializerMethodField(help_text="The published latitude (rounded for sensitive services).")
    lon = serializers.SerializerMethodField(help_text="The published longitude.")
    address = serializers.CharField(source="report.public_address", help_text="The published address, redacted.")
    description = serializers.SerializerMethodField(help_text="The description as published: personal data redacted.")
    photos = serializers.SerializerMethodField()
    assigned_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.SerializerMethodField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.ChoiceField(choices=["", *Outcome.values], help_text="Empty while open.")
    reason = serializers.ChoiceField(choices=Reason.choices, help_text="Why the report was sent to you.")

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_url(self, assignment: Assignment) -> str:
        return self._absolute(assignment.report.get_absolute_url())

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_lat(self, assignment: Assignment) -> float | None:
        point = assignment.report.public_point
        return point[0] if point else None

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_lon(self, assignment: Assignment) -> float | None:
        point = assignment.report.public_point
        return point[1] if point else None

    def get_description(self, assignment: Assignment) -> str:
        return redact(assignment.report.description)

    @extend_schema_field(serializers.ListField(child=serializers.URLField()))
    def get_photos(self, assignment: Assignment) -> list[str]:
        """Public photos (prefetched as ``public_photos`` by ``for_workspace``)."""
        return [self._absolute(photo.image_url) for photo in assignment.report.public_photos]

    def get_overdue(self, assignment: Assignment) -> bool:
        return assignment.is_overdue()


class AcknowledgeSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=OUTCOME_NOTE_MAX, default="")


class ResolveSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=OUTCOME_NOTE_MAX,
        default="",
        help_text="Public. Required when the outcome is disputed: say why.",
    )


# Views -------------------------------------------------------------------------------------------


class OperatorView:
    permission_classes = [WorksForOperator]
    operator = None

    def assignments(self) -> QuerySet[Assignment]:
        return Assignment.objects.for_operator(self.operator).on_published_reports().for_workspace()

    def get_assignment(self, report_id: int) -> Assignment:
        assignment = self.assignments().filter(report__pk=report_id).first()
        if assignment is None:
            raise Http404
        return assignment


class ByStatus(CursorPagination):
    """Open assignments by deadline, resolved ones the latest first, all of them the newest first."""

    orderings = {"open": ("due_at", "pk"), "resolved": ("-resolved_at", "-pk"), "": ("-assigned_at", "-pk")}

    def get_ordering(self, request, queryset, view):
        return self.orderings[view.status]


@extend_schema(
    summary="List the reports routed to your operator",
    description="Your operator's assignments: open ones by deadline (soonest first), resolved ones the latest "
    "first, all of them the newest first. 50 a page. Needs an operator staff account.",
    parameters=[OpenApiParameter("status", str, enum=list(STATUSES), description="open or resolved; both without it.")],
    responses={200: OperatorReportSerializer(many=True)},
)
class OperatorReportList(OperatorView, generics.ListAPIView):
    serializer_class = OperatorReportSerializer
    pagination_class = ByStatus
    status = ""

    def get_queryset(self) -> QuerySet[Assignment]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the view
            return Assignment.objects.none()
        self.status = self.request.query_params.get("status", "")
        if self.status not in ("", *STATUSES):
            raise ValidationError({"status": [_("Use open or resolved.")]})
        assignments = self.assignments()
        if self.status == "open":
            return assignments.open()
        if self.status == "resolved":
            return assignments.filter(resolved_at__isnull=False)
        return assignments


@extend_schema(
    summary="One report routed to your operator",
    responses={
        200: OperatorReportSerializer,
        404: OpenApiResponse(description="No such report among your operator's."),
    },
)
class OperatorReportDetail(OperatorView, generics.RetrieveAPIView):
    serializer_class = OperatorReportSerializer

    def get_object(self) -> Assignment:
        return self.get_assignment(self.kwargs["report_id"])


def _answer(view: OperatorView, request: Request, report_id: int, action, **kwargs) -> Response:
    try:
        perform(action, user=request.user, report_id=report_id, **kwargs)
    except Assignment.DoesNotExist:
        raise Http404 from None
    assignment = view.get_assignment(report_id)
    return Response(OperatorReportSerializer(assignment, context={"request": request}).data)


class OperatorReportAcknowledge(OperatorView, APIView):
    throttle_classes = WRITE_THROTTLES

    @extend_schema(
        summary="Acknowledge a report: you are on it",
        description="A public update on the report (with your note, if any); its followers are emailed. "
        "Acknowledging again changes nothing.",
        request=AcknowledgeSerializer,
        responses={
            200: OperatorReportSerializer,
            400: OpenApiResponse(description="The report is already resolved, or the note is too long."),
            404: OpenApiResponse(description="No such report among your operator's."),
        },
    )
    def post(self, request: Request, report_id: int) -> Response:
        self.get_assignment(report_id)  # another operator's report is a 404 whatever the body says
        serializer = AcknowledgeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _answer(self, request, report_id, actions.assignment_acknowledge, **serializer.validated_data)


class OperatorReportResolve(OperatorView, APIView):
    throttle_classes = WRITE_THROTTLES

    @extend_schema(
        summary="Answer a report: removed, reparked, repaired, not_found or disputed",
        description="A public update on the report; its followers are emailed. Removed, re-parked and repaired "
        "resolve the report, not found closes it, and disputed (which needs a note saying why) leaves it "
        "open for city staff to decide.",
        request=ResolveSerializer,
        responses={
            200: OperatorReportSerializer,
            400: OpenApiResponse(description="A bad outcome, a missing reason, or a report already resolved."),
            404: OpenApiResponse(description="No such report among your operator's."),
        },
    )
    def post(self, request: Request, report_id: int) -> Response:
        self.get_assignment(report_id)  # another operator's report is a 404 whatever the body says
        serializer = ResolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _answer(self, request, report_id, actions.assignment_resolve, **serializer.validated_data)
