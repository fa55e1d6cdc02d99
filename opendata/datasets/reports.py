"""The datasets of reports: the reports themselves, their status changes, and the service
catalogue they are made against.

Reports and their changes are plain datasets (``definitions``): every cell is formatted by
the database, the description is the redacted text ``report_create`` and moderators' edits
store beside it (``Report.redacted_description``), and points of sensitive services are
rounded in the query.
"""

from __future__ import annotations

import json
from datetime import datetime

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext_lazy as _

from moderation.models import ModerationState
from opendata.datasets.definitions import Column, Dataset, instance_records
from opendata.sql import HoursBetween, RoundedFloat, UtcTimestamp, page_url
from services.models import COARSE_DECIMALS, OPEN_STATUSES, Report, ReportPhoto, ReportUpdate, Service

EXACT_DECIMALS = 5

REPORT_STATUSES = ("open", "acknowledged", "in_progress", "resolved", "closed", "duplicate", "rejected")


def published_reports(cutoff: datetime) -> QuerySet:
    return Report.objects.visible().filter(created_at__lte=cutoff)


def public_coordinate(field: str) -> Case:
    """Rounded to about 1 m, or to about 100 m for sensitive services."""
    coarse = Q(service__location_precision=Service.Precision.COARSE)
    return Case(
        When(coarse, then=RoundedFloat(field, COARSE_DECIMALS)),
        default=RoundedFloat(field, EXACT_DECIMALS),
    )


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
    # A duplicate names its original only while the original is published. A join, not
    # ``duplicate_of__in=Report.objects.visible()``: in the select list that is a subplan
    # PostgreSQL runs for every row once the published ids outgrow work_mem (minutes at a
    # million reports).
    visible_original = Case(
        When(duplicate_of__moderation_state=ModerationState.PUBLISHED, then="duplicate_of_id"),
        default=Value(None),
        output_field=IntegerField(),
    )
    return reports.annotate(
        page=page_url("/reports/"),
        open311=Case(When(status__in=OPEN_STATUSES, then=Value("open")), default=Value("closed")),
        created=UtcTimestamp("created_at"),
        updated=UtcTimestamp("updated_at"),
        closed=UtcTimestamp("closed_at"),
        hours=HoursBetween("closed_at", "created_at"),
        public_lat=public_coordinate("lat"),
        public_lon=public_coordinate("lon"),
        photo_count=Coalesce(Subquery(photos), Value(0)),
        original=visible_original,
    ).order_by("pk")


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
        Column("url", "string", _("Public page of the report."), "page"),
        Column(
            "service_code",
            "string",
            _("Code of the service (Open311 service_code)."),
            "service__service_code",
            required=True,
        ),
        Column("service_name", "string", _("Name of the service."), "service__name"),
        Column("status", "string", _("Current status."), "status", required=True, enum=REPORT_STATUSES),
        Column("open311_status", "string", _("Status in Open311 terms."), "open311", enum=("open", "closed")),
        Column("created", "datetime", _("When it was reported (UTC)."), "created"),
        Column("updated", "datetime", _("Last public change (UTC)."), "updated"),
        Column("closed", "datetime", _("When it was closed (UTC), if it is."), "closed"),
        Column("response_time_hours", "number", _("Hours from report to closing."), "hours"),
        Column(
            "latitude",
            "number",
            _("Latitude (WGS84), 5 decimals, or 3 for sensitive services."),
            "public_lat",
        ),
        Column(
            "longitude",
            "number",
            _("Longitude (WGS84), 5 decimals, or 3 for sensitive services."),
            "public_lon",
        ),
        Column(
            "description",
            "string",
            _("What the citizen wrote, with personal information redacted."),
            "redacted_description",
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


def report_update_shape(updates: QuerySet, cutoff: datetime) -> QuerySet:
    return updates.annotate(
        at=UtcTimestamp("created_at"), role=Coalesce(NullIf("by_role", Value("")), Value("system"))
    ).order_by("pk")


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
        Column("at", "datetime", _("When (UTC)."), "at"),
        Column("by_role", "string", _("Role that made the change: city, operator or system."), "role"),
    ),
    published=published_report_updates,
    shape=report_update_shape,
    primary_key=("id",),
    foreign_keys=({"fields": ["report_id"], "reference": {"resource": "reports-csv", "fields": ["id"]}},),
    temporal_field="at",
)


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


# The catalogue's questions come from prefetched relations: a small dataset written from Python.
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
