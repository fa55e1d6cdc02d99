"""The REST API for proposals (/api/v1/proposals/): thin views over ``proposals.actions``.

Reads are public and cost a fixed number of queries whatever the number of rows; writes
need a person with a confirmed email address and are rate-limited (``cocreate.throttling``),
as in the reports API, whose ``perform`` turns Django's errors into 400 and 403 answers.
"""

from __future__ import annotations

from django.db.models import BooleanField, Exists, OuterRef, QuerySet, Value
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cocreate.api import WRITE_THROTTLES, perform
from cocreate.api_input import CursorPagination, JSONParser
from moderation.api_permissions import CanContribute
from proposals import actions
from proposals.models import SORTS, Proposal, ProposalComment, ProposalStatus, Support
from proposals.serializers import (
    ProposalCommentCreateSerializer,
    ProposalCommentSerializer,
    ProposalCreateSerializer,
    ProposalSerializer,
    ProposalThreadSerializer,
    ProposalUpdateSerializer,
    SupportSerializer,
)

# Newest first by default, as the reports API: a stable order for clients that sync.
DEFAULT_SORT = "newest"
# Sorts whose first field ties for many proposals: they are paged by number, not by cursor.
NUMBERED_SORTS = {"supported"}


# Reads -------------------------------------------------------------------------------------------


def listed(proposals: QuerySet[Proposal], user) -> QuerySet[Proposal]:
    """What a proposal representation needs, in one query: its author, and whether ``user`` supports it."""
    if user is not None and user.is_authenticated:
        mine = Exists(Support.objects.filter(proposal=OuterRef("pk"), user=user))
    else:
        mine = Value(False, output_field=BooleanField())
    return proposals.for_listing().annotate(supported_by_me=mine)


def get_readable_proposal(request: Request, proposal_id: int) -> Proposal:
    """A published proposal, or the requester's own in any moderation state; 404 otherwise."""
    proposal = listed(Proposal.objects.readable_by(request.user), request.user).filter(pk=proposal_id).first()
    if proposal is None:
        raise Http404
    return proposal


def requested_sort(params) -> str:
    """The ``sort`` asked for, the default when absent; an empty or unknown one is a 400."""
    sort = params.get("sort", DEFAULT_SORT).strip()
    if sort not in SORTS:
        message = _("Unknown sort: %(unknown)s. Use %(known)s.")
        raise ValidationError({"sort": [message % {"unknown": sort, "known": ", ".join(SORTS)}]})
    return sort


def filter_proposals(proposals: QuerySet[Proposal], params) -> QuerySet[Proposal]:
    """Apply the list's query-string filters, then its sort."""
    if topic := params.get("topic", "").strip():
        proposals = proposals.filter(topic=topic)
    if statuses := [word.strip() for word in params.get("status", "").split(",") if word.strip()]:
        unknown = sorted(set(statuses) - set(ProposalStatus.values))
        if unknown:
            message = _("Unknown status: %(unknown)s. Use %(known)s.")
            raise ValidationError(
                {"status": [message % {"unknown": ", ".join(unknown), "known": ", ".join(ProposalStatus.values)}]}
            )
        proposals = proposals.filter(status__in=statuses)
    if text := params.get("q", "").strip():
        proposals = proposals.search(text)
    return proposals.sorted_by(requested_sort(params))


LIST_PARAMETERS = [
    OpenApiParameter("topic", str, description='A topic: a service group of the catalogue, or "other".'),
    OpenApiParameter("status", str, description="Statuses, comma-separated: " + ", ".join(ProposalStatus.values) + "."),
    OpenApiParameter("q", str, description="Words to find in the title, summary or body."),
    OpenApiParameter(
        "sort",
        str,
        enum=list(SORTS),
        description=(
            "`newest` (default); `supported`, most supports first; `closing`, proposals still collecting "
            "support, closing soonest first; `answered`, answered proposals, latest answer first."
        ),
    ),
    OpenApiParameter(
        "page", int, description="With `sort=supported` only: the page number (that sort is paged by number)."
    ),
]


class SortedCursor(CursorPagination):
    """Cursor pages in the order ``sorted_by`` gave the queryset.

    Used for the sorts led by a timestamp (newest, closing, answered), nearly unique, so
    a cursor's position is exact.
    """

    def get_ordering(self, request: Request, queryset: QuerySet, view: APIView) -> tuple[str, ...]:
        return tuple(queryset.query.order_by) or ("-created_at", "-pk")


class SupportedPages(PageNumberPagination):
    """Numbered pages for the most-supported sort.

    Many proposals share a support count, and DRF pages such ties by offset from the
    cursor's position (capped at 1000): a cursor would repeat or skip proposals there.
    """


class OldestFirst(CursorPagination):
    ordering = ("created_at", "pk")


# Writes ------------------------------------------------------------------------------------------


class WriteView:
    permission_classes = [CanContribute]
    throttle_classes = WRITE_THROTTLES
    parser_classes = [JSONParser]


WRITE_REFUSALS = {
    400: OpenApiResponse(description="Invalid input or a rule of proposals: {field: [messages]}."),
    403: OpenApiResponse(description="Not signed in, the email address is not confirmed, or not yours to change."),
    429: OpenApiResponse(description="Too many writes; retry after the Retry-After header's seconds."),
}


# Views -------------------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        summary="List published proposals",
        description=(
            "Cursor-paginated (follow `next`), except `sort=supported`, which is paged by number and adds `count`."
        ),
        parameters=LIST_PARAMETERS,
    ),
    post=extend_schema(
        summary="Publish a proposal",
        request=ProposalCreateSerializer,
        responses={201: ProposalSerializer, **WRITE_REFUSALS},
    ),
)
class ProposalListCreate(WriteView, generics.ListAPIView):
    serializer_class = ProposalSerializer
    pagination_class = SortedCursor

    @property
    def paginator(self) -> BasePagination:
        if not hasattr(self, "_paginator"):
            numbered = requested_sort(self.request.query_params) in NUMBERED_SORTS
            self._paginator = SupportedPages() if numbered else SortedCursor()
        return self._paginator

    def get_queryset(self) -> QuerySet[Proposal]:
        return filter_proposals(listed(Proposal.objects.visible(), self.request.user), self.request.query_params)

    def post(self, request: Request) -> Response:
        serializer = ProposalCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposal = perform(actions.proposal_create, author=request.user, **serializer.validated_data)
        proposal = get_readable_proposal(request, proposal.pk)
        return Response(ProposalSerializer(proposal, context={"request": request}).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(summary="A published proposal (or your own, whatever its moderation state)"),
    patch=extend_schema(
        summary="Edit your proposal",
        description="Only its author, and only until its first support or comment. Only the fields sent change.",
        request=ProposalUpdateSerializer,
        responses={200: ProposalSerializer, **WRITE_REFUSALS},
    ),
)
class ProposalDetail(WriteView, generics.RetrieveAPIView):
    serializer_class = ProposalSerializer

    def get_object(self) -> Proposal:
        return get_readable_proposal(self.request, self.kwargs["proposal_id"])

    def patch(self, request: Request, proposal_id: int) -> Response:
        proposal = self.get_object()
        serializer = ProposalUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        perform(actions.proposal_update, proposal=proposal, by=request.user, **serializer.validated_data)
        return Response(ProposalSerializer(self.get_object(), context={"request": request}).data)


class ProposalSupport(WriteView, APIView):
    """Support a proposal as the signed-in person, or withdraw that support.

    The request takes no body: whom the support is from is the requester, never a field.
    """

    @extend_schema(
        summary="Support a proposal",
        description="`201` when the support is new, `200` when you already support it.",
        request=None,
        responses={201: SupportSerializer, 200: SupportSerializer, **WRITE_REFUSALS},
    )
    def post(self, request: Request, proposal_id: int) -> Response:
        proposal = get_readable_proposal(request, proposal_id)
        created = perform(actions.proposal_support, proposal=proposal, user=request.user)
        count = Proposal.objects.filter(pk=proposal.pk).values_list("support_count", flat=True).get()
        return Response(
            {"supported": True, "support_count": count},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        summary="Withdraw your support",
        description="`204` whether or not you supported it; `400` once the support window has closed.",
        request=None,
        responses={204: None, **WRITE_REFUSALS},
    )
    def delete(self, request: Request, proposal_id: int) -> Response:
        proposal = get_readable_proposal(request, proposal_id)
        perform(actions.proposal_unsupport, proposal=proposal, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    get=extend_schema(summary="Visible comments on a proposal, oldest first, each with its replies"),
    post=extend_schema(
        summary="Comment on a proposal, or reply to a comment",
        request=ProposalCommentCreateSerializer,
        responses={201: ProposalCommentSerializer, **WRITE_REFUSALS},
    ),
)
class ProposalComments(WriteView, generics.ListAPIView):
    serializer_class = ProposalThreadSerializer
    pagination_class = OldestFirst

    def get_queryset(self) -> QuerySet[ProposalComment]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the view
            return ProposalComment.objects.none()
        proposal = get_readable_proposal(self.request, self.kwargs["proposal_id"])
        return ProposalComment.objects.threads(proposal)

    def post(self, request: Request, proposal_id: int) -> Response:
        proposal = get_readable_proposal(request, proposal_id)
        serializer = ProposalCommentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        parent = None
        if data["parent"] is not None:
            parent = ProposalComment.objects.filter(pk=data["parent"], proposal=proposal).first()
            if parent is None:
                raise ValidationError({"parent": [_("Reply to a comment of this proposal.")]})
        comment = perform(
            actions.proposal_comment_create,
            proposal=proposal,
            author=request.user,
            body=data["body"],
            parent=parent,
            show_name=data["show_name"],
        )
        return Response(ProposalCommentSerializer(comment).data, status=status.HTTP_201_CREATED)
