"""The datasets of proposals: the proposals with the city's answers, and their supports per day.

Both are plain datasets (``definitions``): the title, summary and answer are the redacted texts
the proposal actions store beside them (``Proposal.redacted_title``, ...), and every cell is
formatted by the database.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.db.models import Case, CharField, Count, F, OuterRef, Q, QuerySet, Subquery, TextField, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext_lazy as _

from opendata.datasets.definitions import Column, Dataset
from opendata.sql import IsoDate, UtcTimestamp, page_url
from proposals.models import ANSWERED_STATUSES, Proposal, ProposalComment, Support


def published_proposals(cutoff: datetime) -> QuerySet:
    return Proposal.objects.visible().filter(created_at__lte=cutoff)


# The city's answer is published while the proposal still has the status the answer gave it.
ANSWERED = Q(status__in=ANSWERED_STATUSES, answered_at__isnull=False)


def proposal_shape(proposals: QuerySet, cutoff: datetime) -> QuerySet:
    comments = (
        ProposalComment.objects.visible()
        .filter(proposal=OuterRef("pk"), created_at__lte=cutoff)
        .order_by()
        .values("proposal")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return proposals.annotate(
        page=page_url("/proposals/"),
        created=UtcTimestamp("created_at"),
        visible_comments=Coalesce(Subquery(comments), Value(0)),
        threshold_reached=UtcTimestamp("threshold_reached_at"),
        answer_status=Case(When(ANSWERED, then=F("status")), default=Value(None), output_field=CharField()),
        answered=Case(When(ANSWERED, then=UtcTimestamp("answered_at")), default=Value(None), output_field=CharField()),
        public_answer=Case(When(ANSWERED, then=F("redacted_answer")), default=Value(None), output_field=TextField()),
    ).order_by("pk")


PROPOSAL_STATUSES = ("published", "under_review", "accepted", "planned", "implemented", "declined", "withdrawn")

PROPOSALS = Dataset(
    name="proposals",
    title=_("Citizens' proposals"),
    description=_("Improvements citizens proposed, their support, and the city's official answers."),
    keywords=("participation", "proposals", "co-creation"),
    columns=(
        Column("id", "integer", _("Proposal number."), "pk", required=True),
        Column("url", "string", _("Public page of the proposal."), "page"),
        Column("title", "string", _("Title, with personal information redacted."), "redacted_title"),
        Column("summary", "string", _("Summary, with personal information redacted."), "redacted_summary"),
        Column("topic", "string", _("Topic (a service group, or other)."), "topic"),
        Column("status", "string", _("Current status."), "status", enum=PROPOSAL_STATUSES),
        Column("created", "datetime", _("When it was published (UTC)."), "created"),
        Column("support_count", "integer", _("Number of supports."), "support_count"),
        Column("comments_count", "integer", _("Number of published comments."), "visible_comments"),
        Column(
            "threshold_reached_at",
            "datetime",
            _("When it reached the support threshold (UTC)."),
            "threshold_reached",
        ),
        Column(
            "answer_status",
            "string",
            _("Status given by the city's answer."),
            "answer_status",
            enum=tuple(ANSWERED_STATUSES),
        ),
        Column("answered_at", "datetime", _("When the city answered (UTC)."), "answered"),
        Column("answer", "string", _("The city's answer, with personal information redacted."), "public_answer"),
    ),
    published=published_proposals,
    shape=proposal_shape,
    primary_key=("id",),
    temporal_field="created",
)


def published_supports(cutoff: datetime) -> QuerySet:
    return Support.objects.filter(proposal__in=published_proposals(cutoff), created_at__lte=cutoff)


def supports_daily_shape(supports: QuerySet, cutoff: datetime) -> QuerySet:
    return (
        supports.annotate(day=IsoDate(TruncDate("created_at", tzinfo=UTC)))
        .values("proposal_id", "day")
        .annotate(n=Count("pk"))
        .order_by("proposal_id", "day")
    )


SUPPORTS_DAILY = Dataset(
    name="supports_daily",
    title=_("Supports per proposal and day"),
    description=_("How many supports each proposal received each day. Individual supports are never published."),
    keywords=("participation", "proposals", "supports"),
    columns=(
        Column("proposal_id", "integer", _("The proposal."), "proposal_id", required=True),
        Column("date", "date", _("Day (UTC)."), "day", required=True),
        Column("supports", "integer", _("Supports received that day."), "n", required=True),
    ),
    published=published_supports,
    shape=supports_daily_shape,
    primary_key=("proposal_id", "date"),
    foreign_keys=({"fields": ["proposal_id"], "reference": {"resource": "proposals-csv", "fields": ["id"]}},),
    temporal_field="date",
)
