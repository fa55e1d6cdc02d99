"""The open datasets: what each one holds, its data dictionary, and its rows.

Privacy by construction: each dataset names its columns one by one (nothing is
exported by default), reads only published content older than the publication
cutoff, passes free text through ``cocreate.redaction.redact``, rounds the points of
sensitive services, and never reads a name, an email, a phone, an account id, an
address or a client id. Rows stream from the database in chunks.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import Case, Count, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils.translation import gettext_lazy as _

from cocreate.redaction import redact
from moderation.models import ModerationAction, ModerationState
from opendata.sql import HoursBetween, UtcTimestamp
from proposals.models import ANSWERED_STATUSES, Proposal, ProposalComment, Support
from services.models import COARSE_DECIMALS, Report, ReportPhoto, ReportUpdate, Service, open311_status

CHUNK = 5000
EXACT_DECIMALS = 5


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Table Schema type
    description: str
    required: bool = False
    enum: tuple[str, ...] = ()

    def schema(self) -> dict[str, object]:
        described: dict[str, object] = {"name": self.name, "type": self.type, "description": str(self.description)}
        constraints: dict[str, object] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if constraints:
            described["constraints"] = constraints
        if self.type == "datetime":
            described["format"] = "%Y-%m-%dT%H:%M:%SZ"
        return described


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    keywords: tuple[str, ...]
    fields: tuple[Field, ...]
    rows: Callable[[datetime], Iterator[tuple]]
    count: Callable[[datetime], int]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[dict, ...] = ()
    point: tuple[str, str] | None = None  # (latitude column, longitude column) for GeoJSON
    temporal_field: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def column_names(self) -> list[str]:
        return [item.name for item in self.fields]

    @property
    def formats(self) -> tuple[str, ...]:
        return ("csv", "json", "geojson") if self.point else ("csv", "json")

    def table_schema(self) -> dict[str, object]:
        schema: dict[str, object] = {"fields": [item.schema() for item in self.fields]}
        if self.primary_key:
            schema["primaryKey"] = list(self.primary_key)
        if self.foreign_keys:
            schema["foreignKeys"] = list(self.foreign_keys)
        return schema


def moment(value: datetime | None) -> str | None:
    """Table Schema's default datetime form: UTC with a Z."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# Reports -----------------------------------------------------------------------------------


def published_reports(cutoff: datetime):
    return Report.objects.visible().filter(created_at__lte=cutoff)


def report_rows(cutoff: datetime) -> Iterator[tuple]:
    photos = (
        ReportPhoto.objects.visible()
        .ready()
        .filter(report=OuterRef("pk"))
        .order_by()
        .values("report")
        .annotate(n=Count("pk"))
        .values("n")
    )
    visible_original = Case(
        When(duplicate_of__moderation_state=ModerationState.PUBLISHED, then="duplicate_of_id"),
        default=Value(None),
        output_field=IntegerField(),
    )
    rows = (
        published_reports(cutoff)
        .annotate(
            photo_count=Coalesce(Subquery(photos), Value(0)),
            original=visible_original,
            created=UtcTimestamp("created_at"),
            updated=UtcTimestamp("updated_at"),
            closed=UtcTimestamp("closed_at"),
            hours=HoursBetween("closed_at", "created_at"),
        )
        .order_by("pk")
        .values_list(
            "pk",
            "service__service_code",
            "service__name",
            "status",
            "created",
            "updated",
            "closed",
            "hours",
            "lat",
            "lon",
            "service__location_precision",
            "description",
            "photo_count",
            "original",
            "service__agency_responsible",
        )
    )
    url = site_url("/reports/{}/")
    for (
        pk,
        code,
        name,
        status,
        created,
        updated,
        closed,
        hours,
        lat,
        lon,
        precision,
        text,
        photo_count,
        original,
        agency,
    ) in rows.iterator(chunk_size=CHUNK):
        decimals = COARSE_DECIMALS if precision == Service.Precision.COARSE else EXACT_DECIMALS
        yield (
            pk,
            url.format(pk),
            code,
            name,
            status,
            open311_status(status),
            created,
            updated,
            closed,
            hours,
            round(lat, decimals) if lat is not None else None,
            round(lon, decimals) if lon is not None else None,
            redact(text),
            photo_count,
            original,
            agency,
        )


REPORT_STATUSES = ("open", "acknowledged", "in_progress", "resolved", "closed", "duplicate", "rejected")

REPORTS = Dataset(
    name="reports",
    title=_("Reported problems"),
    description=_(
        "Problems citizens reported to the city (service requests), with their status and response time. "
        "Locations of sensitive services are rounded to about 100 m; free text is redacted."
    ),
    keywords=("311", "service requests", "city services", "open311"),
    fields=(
        Field("id", "integer", _("Report number."), required=True),
        Field("url", "string", _("Public page of the report.")),
        Field("service_code", "string", _("Code of the service (Open311 service_code)."), required=True),
        Field("service_name", "string", _("Name of the service.")),
        Field("status", "string", _("Current status."), required=True, enum=REPORT_STATUSES),
        Field("open311_status", "string", _("Status in Open311 terms."), enum=("open", "closed")),
        Field("created", "datetime", _("When it was reported (UTC).")),
        Field("updated", "datetime", _("Last public change (UTC).")),
        Field("closed", "datetime", _("When it was closed (UTC), if it is.")),
        Field("response_time_hours", "number", _("Hours from report to closing.")),
        Field("latitude", "number", _("Latitude (WGS84), 5 decimals, or 3 for sensitive services.")),
        Field("longitude", "number", _("Longitude (WGS84), 5 decimals, or 3 for sensitive services.")),
        Field("description", "string", _("What the citizen wrote, with personal information redacted.")),
        Field("photo_count", "integer", _("Number of published photos.")),
        Field("duplicate_of", "integer", _("The original report, for duplicates.")),
        Field("agency_responsible", "string", _("Agency or operator responsible.")),
    ),
    rows=report_rows,
    count=lambda cutoff: published_reports(cutoff).count(),
    primary_key=("id",),
    point=("latitude", "longitude"),
    temporal_field="created",
)


def update_rows_queryset(cutoff: datetime):
    return ReportUpdate.objects.filter(
        report__moderation_state=ModerationState.PUBLISHED, report__created_at__lte=cutoff, created_at__lte=cutoff
    )


def update_rows(cutoff: datetime) -> Iterator[tuple]:
    rows = (
        update_rows_queryset(cutoff)
        .order_by("pk")
        .values_list("pk", "report_id", "from_status", "to_status", "created_at", "by_role")
    )
    for pk, report_id, before, after, created, role in rows.iterator(chunk_size=CHUNK):
        yield pk, report_id, before, after, moment(created), role or "system"


REPORT_UPDATES = Dataset(
    name="report_updates",
    title=_("Report status changes"),
    description=_("Every public change of a report's status, with the role (never the person) who made it."),
    keywords=("311", "service requests", "status"),
    fields=(
        Field("id", "integer", _("Change number."), required=True),
        Field("report_id", "integer", _("The report."), required=True),
        Field("from_status", "string", _("Status before."), enum=REPORT_STATUSES),
        Field("to_status", "string", _("Status after."), enum=REPORT_STATUSES),
        Field("at", "datetime", _("When (UTC).")),
        Field("by_role", "string", _("Role that made the change: city, operator or system.")),
    ),
    rows=update_rows,
    count=lambda cutoff: update_rows_queryset(cutoff).count(),
    primary_key=("id",),
    foreign_keys=({"fields": ["report_id"], "reference": {"resource": "reports-csv", "fields": ["id"]}},),
    temporal_field="at",
)


# Proposals ---------------------------------------------------------------------------------


def published_proposals(cutoff: datetime):
    return Proposal.objects.visible().filter(created_at__lte=cutoff)


def proposal_rows(cutoff: datetime) -> Iterator[tuple]:
    comments = (
        ProposalComment.objects.visible()
        .filter(proposal=OuterRef("pk"), created_at__lte=cutoff)
        .order_by()
        .values("proposal")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        published_proposals(cutoff)
        .annotate(visible_comments=Coalesce(Subquery(comments), Value(0)))
        .order_by("pk")
        .values_list(
            "pk",
            "title",
            "summary",
            "topic",
            "status",
            "created_at",
            "support_count",
            "visible_comments",
            "threshold_reached_at",
            "answered_at",
            "answer",
        )
    )
    for (
        pk,
        title,
        summary,
        topic,
        status,
        created,
        supports,
        comments_count,
        reached,
        answered,
        answer,
    ) in rows.iterator(chunk_size=CHUNK):
        answered_status = status if status in ANSWERED_STATUSES and answered else None
        yield (
            pk,
            site_url(f"/proposals/{pk}/"),
            redact(title),
            redact(summary),
            topic,
            status,
            moment(created),
            supports,
            comments_count,
            moment(reached),
            answered_status,
            moment(answered) if answered_status else None,
            redact(answer) if answered_status else None,
        )


PROPOSAL_STATUSES = ("published", "under_review", "accepted", "planned", "implemented", "declined", "withdrawn")

PROPOSALS = Dataset(
    name="proposals",
    title=_("Citizens' proposals"),
    description=_("Improvements citizens proposed, their support, and the city's official answers."),
    keywords=("participation", "proposals", "co-creation"),
    fields=(
        Field("id", "integer", _("Proposal number."), required=True),
        Field("url", "string", _("Public page of the proposal.")),
        Field("title", "string", _("Title, with personal information redacted.")),
        Field("summary", "string", _("Summary, with personal information redacted.")),
        Field("topic", "string", _("Topic (a service group, or other).")),
        Field("status", "string", _("Current status."), enum=PROPOSAL_STATUSES),
        Field("created", "datetime", _("When it was published (UTC).")),
        Field("support_count", "integer", _("Number of supports.")),
        Field("comments_count", "integer", _("Number of published comments.")),
        Field("threshold_reached_at", "datetime", _("When it reached the support threshold (UTC).")),
        Field("answer_status", "string", _("Status given by the city's answer."), enum=tuple(ANSWERED_STATUSES)),
        Field("answered_at", "datetime", _("When the city answered (UTC).")),
        Field("answer", "string", _("The city's answer, with personal information redacted.")),
    ),
    rows=proposal_rows,
    count=lambda cutoff: published_proposals(cutoff).count(),
    primary_key=("id",),
    temporal_field="created",
)


def supports_daily_queryset(cutoff: datetime):
    return (
        Support.objects.filter(
            proposal__moderation_state=ModerationState.PUBLISHED,
            proposal__created_at__lte=cutoff,
            created_at__lte=cutoff,
        )
        .annotate(day=TruncDate("created_at", tzinfo=UTC))
        .values("proposal_id", "day")
        .annotate(n=Count("pk"))
        .order_by("proposal_id", "day")
    )


def supports_daily_rows(cutoff: datetime) -> Iterator[tuple]:
    for row in supports_daily_queryset(cutoff).iterator(chunk_size=CHUNK):
        yield row["proposal_id"], row["day"].isoformat(), row["n"]


SUPPORTS_DAILY = Dataset(
    name="supports_daily",
    title=_("Supports per proposal and day"),
    description=_("How many supports each proposal received each day. Individual supports are never published."),
    keywords=("participation", "proposals", "supports"),
    fields=(
        Field("proposal_id", "integer", _("The proposal."), required=True),
        Field("date", "date", _("Day (UTC)."), required=True),
        Field("supports", "integer", _("Supports received that day."), required=True),
    ),
    rows=supports_daily_rows,
    count=lambda cutoff: supports_daily_queryset(cutoff).count(),
    primary_key=("proposal_id", "date"),
    foreign_keys=({"fields": ["proposal_id"], "reference": {"resource": "proposals-csv", "fields": ["id"]}},),
    temporal_field="date",
)


# Catalogue and moderation ------------------------------------------------------------------


def service_rows(cutoff: datetime) -> Iterator[tuple]:
    for service in Service.objects.with_attributes().order_by("order", "service_code"):
        attributes = [
            {
                "code": attribute.code,
                "datatype": attribute.datatype,
                "required": attribute.required,
                "description": attribute.description,
                "values": [{"key": value.key, "name": value.name} for value in attribute.values.all()],
            }
            for attribute in service.attributes.all()
        ]
        yield (
            service.service_code,
            service.name,
            service.description,
            service.group,
            service.keywords,
            service.type,
            service.active,
            service.location_precision,
            service.response_days,
            json.dumps(attributes, ensure_ascii=False),
        )


SERVICES = Dataset(
    name="services",
    title=_("Service catalogue"),
    description=_("The kinds of problems the city takes reports about, with the questions asked for each."),
    keywords=("open311", "services", "catalogue"),
    fields=(
        Field("service_code", "string", _("Open311 service code."), required=True),
        Field("name", "string", _("Name.")),
        Field("description", "string", _("Description.")),
        Field("group", "string", _("Group.")),
        Field("keywords", "string", _("Keywords, comma-separated.")),
        Field("type", "string", _("Open311 type."), enum=("realtime", "batch", "blackbox")),
        Field("active", "boolean", _("Whether reports are taken now.")),
        Field("location_precision", "string", _("Published precision of locations."), enum=("exact", "coarse")),
        Field("response_days", "integer", _("Response target in days.")),
        Field("attributes", "string", _("The questions asked, as JSON.")),
    ),
    rows=service_rows,
    count=lambda cutoff: Service.objects.count(),
    primary_key=("service_code",),
)

SMALL_COUNT = 5


def moderation_monthly_queryset(cutoff: datetime):
    return (
        ModerationAction.objects.filter(created_at__lte=cutoff)
        .exclude(kind="")
        .annotate(month=TruncMonth("created_at", tzinfo=UTC))
        .values("month", "kind", "action", "reason")
        .annotate(n=Count("pk"))
        .order_by("month", "kind", "action", "reason")
    )


def moderation_monthly_rows(cutoff: datetime) -> Iterator[tuple]:
    for row in moderation_monthly_queryset(cutoff).iterator(chunk_size=CHUNK):
        count = row["n"]
        yield (
            row["month"].strftime("%Y-%m"),
            row["kind"],
            row["action"],
            row["reason"] or "none",
            str(count) if count >= SMALL_COUNT else f"<{SMALL_COUNT}",
        )


MODERATION_MONTHLY = Dataset(
    name="moderation_monthly",
    title=_("Moderation actions per month"),
    description=_(
        "How often moderators and staff acted, by month, kind of item, action and reason. "
        "Counts below 5 are published as <5."
    ),
    keywords=("moderation", "transparency"),
    fields=(
        Field("month", "yearmonth", _("Month (UTC)."), required=True),
        Field("kind", "string", _("Kind of item.")),
        Field("action", "string", _("Action.")),
        Field("reason", "string", _("Reason code.")),
        Field("count", "string", _("Number of actions, or <5.")),
    ),
    rows=moderation_monthly_rows,
    count=lambda cutoff: moderation_monthly_queryset(cutoff).count(),
    primary_key=("month", "kind", "action", "reason"),
    temporal_field="month",
)

DATASETS: dict[str, Dataset] = {
    dataset.name: dataset
    for dataset in (REPORTS, REPORT_UPDATES, PROPOSALS, SUPPORTS_DAILY, SERVICES, MODERATION_MONTHLY)
}
