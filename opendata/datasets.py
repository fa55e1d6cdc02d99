"""The open datasets: what each one holds, its data dictionary, and its rows.

Each column is defined once, with its data dictionary entry (the page's dictionary,
the Data Package's Table Schema, DCAT) and the values it reads from the dataset's query;
the rows, their column order and the query's select list all follow from that list.

Privacy by construction: each dataset names its columns one by one (nothing is
exported by default), reads only published content (the models' ``visible()``) older than
the publication cutoff, passes free text through ``cocreate.redaction.redact``, rounds the
points of sensitive services, and never reads a name, an email, a phone, an account id, an
address or a client id. Rows stream from the database in chunks.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import Case, Count, DateTimeField, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Least, TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cocreate.redaction import redact
from moderation.models import ModerationAction
from opendata.sql import HoursBetween, UtcTimestamp
from operators import performance
from operators.models import Assignment, FleetDay, FormFactor, Vehicle
from proposals.models import ANSWERED_STATUSES, Proposal, ProposalComment, Support
from services.models import COARSE_DECIMALS, Report, ReportPhoto, ReportUpdate, Service, open311_status

CHUNK = 5000
EXACT_DECIMALS = 5


@dataclass(frozen=True)
class Column:
    """One column of a dataset: its data dictionary entry, paired with what it reads.

    ``source`` names the value (a field path or an annotation of the dataset's query) the
    column reads, or several for a computed one. The cell is that value as read, or
    ``value(*sources)`` when the column has a ``value`` function.
    """

    name: str
    type: str  # Table Schema type
    description: str
    source: str | tuple[str, ...]
    value: Callable[..., object] | None = None
    required: bool = False
    enum: tuple[str, ...] = ()

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source,) if isinstance(self.source, str) else self.source

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

    def cell(self, sources: Sequence[str]) -> Callable[[Sequence], object]:
        """How to compute this column's cell from a record holding ``sources``, in that order."""
        positions = [sources.index(name) for name in self.sources]
        if self.value is None:
            position = positions[0]
            return lambda record: record[position]
        value = self.value
        if len(positions) == 1:
            position = positions[0]
            return lambda record: value(record[position])
        return lambda record: value(*[record[position] for position in positions])


def value_records(queryset: QuerySet, sources: Sequence[str]) -> Iterator[tuple]:
    """The query's values, as tuples in the order of ``sources``, streamed in chunks."""
    return queryset.values_list(*sources).iterator(chunk_size=CHUNK)


def instance_records(queryset: QuerySet, sources: Sequence[str]) -> Iterator[tuple]:
    """The attributes of each object (for a query whose prefetched relations a column reads)."""
    for instance in queryset:
        yield tuple(getattr(instance, name) for name in sources)


def as_is(queryset: QuerySet, cutoff: datetime) -> QuerySet:
    return queryset


@dataclass(frozen=True)
class Dataset:
    """A dataset: its description, its columns, and the query its rows come from.

    ``published(cutoff)`` is what the public may see up to the cutoff, one row per item: DCAT
    reads its ``temporal_source`` for the dataset's time span. ``shape(queryset, cutoff)``
    adds the annotations, grouping and order of the rows; ``records`` reads the columns'
    sources from the shaped query. A small dataset of figures another module works out (one row
    per operator and month) gives ``computed(cutoff)`` instead: its rows, as mappings of the
    columns' sources.
    """

    name: str
    title: str
    description: str
    keywords: tuple[str, ...]
    columns: tuple[Column, ...]
    published: Callable[[datetime], QuerySet]
    shape: Callable[[QuerySet, datetime], QuerySet] = as_is
    records: Callable[[QuerySet, Sequence[str]], Iterable[Sequence]] = value_records
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[dict, ...] = ()
    point: tuple[str, str] | None = None  # (latitude column, longitude column) for GeoJSON
    temporal_field: str = ""  # the column that dates a row
    temporal_source: str = "created_at"  # the field of ``published`` behind it
    computed: Callable[[datetime], Sequence[Mapping[str, object]]] | None = None

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def sources(self) -> tuple[str, ...]:
        """Every value the columns read, each once, in the order of the columns."""
        return tuple(dict.fromkeys(name for column in self.columns for name in column.sources))

    @property
    def formats(self) -> tuple[str, ...]:
        return ("csv", "json", "geojson") if self.point else ("csv", "json")

    def query(self, cutoff: datetime) -> QuerySet:
        return self.shape(self.published(cutoff), cutoff)

    def count(self, cutoff: datetime) -> int:
        if self.computed is not None:
            return len(self.computed(cutoff))
        return self.query(cutoff).count()

    def rows(self, cutoff: datetime) -> Iterator[tuple]:
        """The rows, in the order of the columns."""
        sources = self.sources
        cells = [column.cell(sources) for column in self.columns]
        if self.computed is not None:
            records: Iterable[Sequence] = (tuple(item[name] for name in sources) for item in self.computed(cutoff))
        else:
            records = self.records(self.query(cutoff), sources)
        for record in records:
            yield tuple([cell(record) for cell in cells])

    def table_schema(self) -> dict[str, object]:
        schema: dict[str, object] = {"fields": [column.schema() for column in self.columns]}
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


def published_reports(cutoff: datetime) -> QuerySet:
    return Report.objects.visible().filter(created_at__lte=cutoff)


def report_shape(reports: QuerySet, cutoff: datetime) -> QuerySet:
    photos = (
        ReportPhoto.objects.visible()
        .ready()
        .filter(report=OuterRef("pk"))
        .order_by()
        .values("report")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # A duplicate names its original only while the original is published.
    visible_original = Case(
        When(duplicate_of__in=Report.objects.visible(), then="duplicate_of_id"),
        default=Value(None),
        output_field=IntegerField(),
    )
    return reports.annotate(
        photo_count=Coalesce(Subquery(photos), Value(0)),
        original=visible_original,
        created=UtcTimestamp("created_at"),
        updated=UtcTimestamp("updated_at"),
        closed=UtcTimestamp("closed_at"),
        hours=HoursBetween("closed_at", "created_at"),
    ).order_by("pk")


def public_coordinate(value: float | None, precision: str) -> float | None:
    """Rounded to about 1 m, or to about 100 m for sensitive services."""
    if value is None:
        return None
    return round(value, COARSE_DECIMALS if precision == Service.Precision.COARSE else EXACT_DECIMALS)


REPORT_STATUSES = ("open", "acknowledged", "in_progress", "resolved", "closed", "duplicate", "rejected")

REPORTS = Dataset(
    name="reports",
    title=_("Reported problems"),
    description=_(
        "Problems citizens reported to the city (service requests), with their status and response time. "
        "Locations of sensitive services are rounded to about 100 m; free text is redacted."
    ),
    keywords=("311", "service requests", "city services", "open311"),
    columns=(
        Column("id", "integer", _("Report number."), "pk", required=True),
        Column("url", "string", _("Public page of the report."), "pk", lambda pk: site_url(f"/reports/{pk}/")),
        Column(
            "service_code",
            "string",
            _("Code of the service (Open311 service_code)."),
            "service__service_code",
            required=True,
        ),
        Column("service_name", "string", _("Name of the service."), "service__name"),
        Column("status", "string", _("Current status."), "status", required=True, enum=REPORT_STATUSES),
        Column(
            "open311_status",
            "string",
            _("Status in Open311 terms."),
            "status",
            open311_status,
            enum=("open", "closed"),
        ),
        Column("created", "datetime", _("When it was reported (UTC)."), "created"),
        Column("updated", "datetime", _("Last public change (UTC)."), "updated"),
        Column("closed", "datetime", _("When it was closed (UTC), if it is."), "closed"),
        Column("response_time_hours", "number", _("Hours from report to closing."), "hours"),
        Column(
            "latitude",
            "number",
            _("Latitude (WGS84), 5 decimals, or 3 for sensitive services."),
            ("lat", "service__location_precision"),
            public_coordinate,
        ),
        Column(
            "longitude",
            "number",
            _("Longitude (WGS84), 5 decimals, or 3 for sensitive services."),
            ("lon", "service__location_precision"),
            public_coordinate,
        ),
        Column(
            "description",
            "string",
            _("What the citizen wrote, with personal information redacted."),
            "description",
            redact,
        ),
        Column("photo_count", "integer", _("Number of published photos."), "photo_count"),
        Column("duplicate_of", "integer", _("The original report, for duplicates."), "original"),
        Column("agency_responsible", "string", _("Agency or operator responsible."), "service__agency_responsible"),
    ),
    published=published_reports,
    shape=report_shape,
    primary_key=("id",),
    point=("latitude", "longitude"),
    temporal_field="created",
)


def published_report_updates(cutoff: datetime) -> QuerySet:
    return ReportUpdate.objects.filter(report__in=published_reports(cutoff), created_at__lte=cutoff)


REPORT_UPDATES = Dataset(
    name="report_updates",
    title=_("Report status changes"),
    description=_("Every public change of a report's status, with the role (never the person) who made it."),
    keywords=("311", "service requests", "status"),
    columns=(
        Column("id", "integer", _("Change number."), "pk", required=True),
        Column("report_id", "integer", _("The report."), "report_id", required=True),
        Column("from_status", "string", _("Status before."), "from_status", enum=REPORT_STATUSES),
        Column("to_status", "string", _("Status after."), "to_status", enum=REPORT_STATUSES),
        Column("at", "datetime", _("When (UTC)."), "created_at", moment),
        Column(
            "by_role",
            "string",
            _("Role that made the change: city, operator or system."),
            "by_role",
            lambda role: role or "system",
        ),
    ),
    published=published_report_updates,
    shape=lambda updates, cutoff: updates.order_by("pk"),
    primary_key=("id",),
    foreign_keys=({"fields": ["report_id"], "reference": {"resource": "reports-csv", "fields": ["id"]}},),
    temporal_field="at",
)


# Proposals ---------------------------------------------------------------------------------


def published_proposals(cutoff: datetime) -> QuerySet:
    return Proposal.objects.visible().filter(created_at__lte=cutoff)


def proposal_shape(proposals: QuerySet, cutoff: datetime) -> QuerySet:
    comments = (
        ProposalComment.objects.visible()
        .filter(proposal=OuterRef("pk"), created_at__lte=cutoff)
        .order_by()
        .values("proposal")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return proposals.annotate(visible_comments=Coalesce(Subquery(comments), Value(0))).order_by("pk")


def answer_status(status: str, answered_at: datetime | None) -> str | None:
    """The status the city's answer gave, while the proposal still has it."""
    return status if status in ANSWERED_STATUSES and answered_at else None


PROPOSAL_STATUSES = ("published", "under_review", "accepted", "planned", "implemented", "declined", "withdrawn")
ANSWER = ("status", "answered_at")

PROPOSALS = Dataset(
    name="proposals",
    title=_("Citizens' proposals"),
    description=_("Improvements citizens proposed, their support, and the city's official answers."),
    keywords=("participation", "proposals", "co-creation"),
    columns=(
        Column("id", "integer", _("Proposal number."), "pk", required=True),
        Column("url", "string", _("Public page of the proposal."), "pk", lambda pk: site_url(f"/proposals/{pk}/")),
        Column("title", "string", _("Title, with personal information redacted."), "title", redact),
        Column("summary", "string", _("Summary, with personal information redacted."), "summary", redact),
        Column("topic", "string", _("Topic (a service group, or other)."), "topic"),
        Column("status", "string", _("Current status."), "status", enum=PROPOSAL_STATUSES),
        Column("created", "datetime", _("When it was published (UTC)."), "created_at", moment),
        Column("support_count", "integer", _("Number of supports."), "support_count"),
        Column("comments_count", "integer", _("Number of published comments."), "visible_comments"),
        Column(
            "threshold_reached_at",
            "datetime",
            _("When it reached the support threshold (UTC)."),
            "threshold_reached_at",
            moment,
        ),
        Column(
            "answer_status",
            "string",
            _("Status given by the city's answer."),
            ANSWER,
            answer_status,
            enum=tuple(ANSWERED_STATUSES),
        ),
        Column(
            "answered_at",
            "datetime",
            _("When the city answered (UTC)."),
            ANSWER,
            lambda status, answered_at: moment(answered_at) if answer_status(status, answered_at) else None,
        ),
        Column(
            "answer",
            "string",
            _("The city's answer, with personal information redacted."),
            (*ANSWER, "answer"),
            lambda status, answered_at, answer: redact(answer) if answer_status(status, answered_at) else None,
        ),
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
        supports.annotate(day=TruncDate("created_at", tzinfo=UTC))
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
        Column("date", "date", _("Day (UTC)."), "day", lambda day: day.isoformat(), required=True),
        Column("supports", "integer", _("Supports received that day."), "n", required=True),
    ),
    published=published_supports,
    shape=supports_daily_shape,
    primary_key=("proposal_id", "date"),
    foreign_keys=({"fields": ["proposal_id"], "reference": {"resource": "proposals-csv", "fields": ["id"]}},),
    temporal_field="date",
)


# Catalogue and moderation ------------------------------------------------------------------


def english_text(text: str | None) -> str:
    """A translated text's English column, "" when it was never written."""
    return text or ""


def attributes_json(attributes) -> str:
    """A service's questions (prefetched), with their allowed values, in English, as JSON."""
    return json.dumps(
        [
            {
                "code": attribute.code,
                "datatype": attribute.datatype,
                "required": attribute.required,
                "description": attribute.description_en,
                "values": [{"key": value.key, "name": value.name_en} for value in attribute.values.all()],
            }
            for attribute in attributes.all()
        ],
        ensure_ascii=False,
    )


SERVICES = Dataset(
    name="services",
    title=_("Service catalogue"),
    description=_("The kinds of problems the city takes reports about, with the questions asked for each."),
    keywords=("open311", "services", "catalogue"),
    columns=(
        Column("service_code", "string", _("Open311 service code."), "service_code", required=True),
        # The catalogue's texts in English, whichever language the build runs in.
        Column("name", "string", _("Name."), "name_en"),
        Column("description", "string", _("Description."), "description_en", english_text),
        Column("group", "string", _("Group."), "group_key"),
        Column("keywords", "string", _("Keywords, comma-separated."), "keywords"),
        Column("type", "string", _("Open311 type."), "type", enum=("realtime", "batch", "blackbox")),
        Column("active", "boolean", _("Whether reports are taken now."), "active"),
        Column(
            "location_precision",
            "string",
            _("Published precision of locations."),
            "location_precision",
            enum=("exact", "coarse"),
        ),
        Column("response_days", "integer", _("Response target in days."), "response_days"),
        Column("attributes", "string", _("The questions asked, as JSON."), "attributes", attributes_json),
    ),
    published=lambda cutoff: Service.objects.all(),
    shape=lambda services, cutoff: services.with_attributes().order_by("order", "service_code"),
    records=instance_records,
    primary_key=("service_code",),
)

SMALL_COUNT = 5


def moderation_actions(cutoff: datetime) -> QuerySet:
    """The audit log's entries up to the cutoff that are about an item (the others have no kind)."""
    return ModerationAction.objects.filter(created_at__lte=cutoff).exclude(kind="")


def moderation_monthly_shape(entries: QuerySet, cutoff: datetime) -> QuerySet:
    return (
        entries.annotate(month=TruncMonth("created_at", tzinfo=UTC))
        .values("month", "kind", "action", "reason")
        .annotate(n=Count("pk"))
        .order_by("month", "kind", "action", "reason")
    )


MODERATION_MONTHLY = Dataset(
    name="moderation_monthly",
    title=_("Moderation actions per month"),
    description=_(
        "How often moderators and staff acted, by month, kind of item, action and reason. "
        "Counts below 5 are published as <5."
    ),
    keywords=("moderation", "transparency"),
    columns=(
        Column("month", "yearmonth", _("Month (UTC)."), "month", lambda month: month.strftime("%Y-%m"), required=True),
        Column("kind", "string", _("Kind of item."), "kind"),
        Column("action", "string", _("Action."), "action"),
        Column("reason", "string", _("Reason code."), "reason", lambda reason: reason or "none"),
        Column(
            "count",
            "string",
            _("Number of actions, or <5."),
            "n",
            lambda count: str(count) if count >= SMALL_COUNT else f"<{SMALL_COUNT}",
        ),
    ),
    published=moderation_actions,
    shape=moderation_monthly_shape,
    primary_key=("month", "kind", "action", "reason"),
    temporal_field="month",
)


# Mobility operators ------------------------------------------------------------------------------


def operator_months(cutoff: datetime) -> list[dict[str, object]]:
    """Every operator's figures by month, as ``operators.performance`` counts them for the pages."""
    return [
        {**vars(row), "answered_in_time_share": row.answered_in_time_share, "reopened_share": row.reopened_share}
        for row in performance.monthly(until=cutoff)
    ]


OPERATOR = Column(
    "operator", "string", _("The operator's short name, as on its page and in the API."), "operator_slug", required=True
)

OPERATOR_PERFORMANCE = Dataset(
    name="operator_performance",
    title=_("Mobility operators' performance per month"),
    description=_(
        "How each shared bike and scooter operator answered the reports sent to it, month by month: "
        "reports received, the share answered in time, the median time to resolve, reopenings, "
        "missed deadlines and the fines due. Months are the city's calendar months."
    ),
    keywords=("micromobility", "shared mobility", "operators", "service levels"),
    columns=(
        OPERATOR,
        Column(
            "month",
            "yearmonth",
            _("Month, in the city's time zone."),
            "month",
            lambda month: month.strftime("%Y-%m"),
            required=True,
        ),
        Column(
            "reports_received",
            "integer",
            _("Published reports sent to the operator that month (including idle-vehicle reports)."),
            "reports_received",
        ),
        Column(
            "answered_in_time_share",
            "number",
            _("Of that month's reports resolved or due, the share resolved by their deadline (0 to 1)."),
            "answered_in_time_share",
        ),
        Column(
            "median_hours_to_resolve",
            "number",
            _("Median hours from sending a report to the operator to its resolution."),
            "median_hours_to_resolve",
        ),
        Column(
            "reopened_share",
            "number",
            _("Of that month's reports the operator answered, the share a citizen reopened (0 to 1)."),
            "reopened_share",
        ),
        Column("breaches", "integer", _("Deadlines missed, counted in the month the city recorded them."), "breaches"),
        Column("fines_due", "number", _("Fines due for those missed deadlines."), "fines_due", float),
        Column(
            "currency",
            "string",
            _("ISO 4217 code of the fines."),
            "operator_slug",
            lambda _slug: settings.OPERATOR_FINE_CURRENCY,
        ),
        Column(
            "idle_reports",
            "integer",
            _("Reports the city raised that month about the operator's idle vehicles."),
            "idle_reports",
        ),
    ),
    published=lambda cutoff: Assignment.objects.counted(cutoff),
    computed=operator_months,
    primary_key=("operator", "month"),
    temporal_field="month",
    temporal_source="assigned_at",
)


def whole_fleet_days(cutoff: datetime) -> QuerySet:
    """Operators' days that were over by the cutoff (in the city's time)."""
    return FleetDay.objects.filter(day__lt=timezone.localdate(cutoff))


FLEET_DAILY = Dataset(
    name="fleet_daily",
    title=_("Shared vehicle fleets per day"),
    description=_(
        "Each operator's fleet each day, as the city read it from the operator's public feed: the most "
        "vehicles, the most idle and disabled ones, and the cap of its permit."
    ),
    keywords=("micromobility", "shared mobility", "operators", "fleet", "gbfs"),
    columns=(
        Column("operator", "string", OPERATOR.description, "operator__slug", required=True),
        Column("date", "date", _("Day, in the city's time zone."), "day", lambda day: day.isoformat(), required=True),
        Column("vehicles_peak", "integer", _("The most vehicles in the operator's feed that day."), "vehicles_peak"),
        Column("idle_peak", "integer", _("The most vehicles idle longer than the limit that day."), "idle_peak"),
        Column("disabled_peak", "integer", _("The most disabled vehicles that day."), "disabled_peak"),
        Column("fleet_cap", "integer", _("The permit's cap that day; empty when there is none."), "fleet_cap"),
        Column(
            "over_cap",
            "boolean",
            _("Whether the most vehicles that day were more than the cap."),
            ("vehicles_peak", "fleet_cap"),
            lambda peak, cap: cap is not None and peak > cap,
        ),
    ),
    published=whole_fleet_days,
    shape=lambda days, cutoff: days.order_by("operator__slug", "day"),
    primary_key=("operator", "date"),
    temporal_field="date",
    temporal_source="day",
)


def idle_at_cutoff(cutoff: datetime) -> QuerySet:
    """Vehicles that had stood unused (or disabled) longer than their operator's limit at the cutoff."""
    return Vehicle.objects.idle(cutoff)


def idle_vehicle_shape(vehicles: QuerySet, cutoff: datetime) -> QuerySet:
    since = Least("first_seen_at", Coalesce("disabled_since", "first_seen_at"))
    return vehicles.annotate(
        idle_since=since, idle_hours=HoursBetween(Value(cutoff, output_field=DateTimeField()), since)
    ).order_by("operator__slug", "lat", "lon", "idle_since")


def coarse(value: float) -> float:
    """About 100 m: the area of a vehicle, not the vehicle."""
    return round(value, COARSE_DECIMALS)


IDLE_VEHICLES = Dataset(
    name="idle_vehicles",
    title=_("Idle shared vehicles"),
    description=_(
        "Shared bikes and scooters that had stood unused longer than their operator's idle limit when the "
        "files were built, with their area (rounded to about 100 m). Vehicles are not identified."
    ),
    keywords=("micromobility", "shared mobility", "operators", "idle vehicles"),
    columns=(
        Column("operator", "string", OPERATOR.description, "operator__slug", required=True),
        Column(
            "form_factor",
            "string",
            _("Kind of vehicle (GBFS form factor)."),
            "form_factor",
            enum=tuple(FormFactor.values),
        ),
        Column("latitude", "number", _("Latitude (WGS84), 3 decimals."), "lat", coarse),
        Column("longitude", "number", _("Longitude (WGS84), 3 decimals."), "lon", coarse),
        Column(
            "hours_idle",
            "number",
            _("Hours since it was last moved or was disabled, whichever came first."),
            "idle_hours",
        ),
    ),
    published=idle_at_cutoff,
    shape=idle_vehicle_shape,
    point=("latitude", "longitude"),
)

DATASETS: dict[str, Dataset] = {
    dataset.name: dataset
    for dataset in (
        REPORTS,
        REPORT_UPDATES,
        PROPOSALS,
        SUPPORTS_DAILY,
        SERVICES,
        MODERATION_MONTHLY,
        OPERATOR_PERFORMANCE,
        FLEET_DAILY,
        IDLE_VEHICLES,
    )
}
