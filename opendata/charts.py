"""The charts of the open data page: what they count, drawn with ``cocreate.charts``.

Each chart counts published content only, with one aggregate query, and comes with the
same numbers as a table for people who cannot see it. The drawings are kept in the cache
for ten minutes, one copy per language, so a busy page costs no aggregate at all.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, datetime

from django.core.cache import cache
from django.db.models import Count, DurationField, ExpressionWrapper, F
from django.db.models.functions import TruncMonth
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _

from cocreate.charts import (
    OTHER_COLOUR,
    PALETTE,
    Chart,
    Series,
    duration,
    first_month,
    horizontal_bars,
    month_starts,
    number,
    stacked_bars,
)
from proposals.models import Proposal, ProposalStatus
from services.models import Report, translated

TOP_SERVICES = 5
CACHE_SECONDS = 600
# The newest closed reports a median is computed over: enough for a stable figure, and a
# bound on the rows read however busy the city is.
MEDIAN_ROW_LIMIT = 50_000


# Reports per month and service -----------------------------------------------------------------------


def reports_per_month(now: datetime) -> Chart:
    """Published reports of the last twelve months, by month and service; the busiest services by name."""
    since = first_month(now)
    months = month_starts(since)
    rows = (
        Report.objects.visible()
        .filter(created_at__gte=since)
        .annotate(month=TruncMonth("created_at"), service_name=translated("service__name"))
        .values("month", "service_id", "service_name")
        .annotate(count=Count("pk"))
        .order_by()  # the model's ordering would split the groups
    )
    counts: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    names: dict[int, str] = {}
    for row in rows:
        month = timezone.localtime(row["month"]).date() if timezone.is_aware(row["month"]) else row["month"].date()
        counts[row["service_id"]][month.replace(day=1)] += row["count"]
        names[row["service_id"]] = row["service_name"]
    ranked = sorted(counts, key=lambda service: (-sum(counts[service].values()), names[service]))
    series = [
        Series(names[service], PALETTE[position], tuple(counts[service][month] for month in months))
        for position, service in enumerate(ranked[:TOP_SERVICES])
    ]
    if rest := ranked[TOP_SERVICES:]:
        others = tuple(sum(counts[service][month] for service in rest) for month in months)
        series.append(Series(_("Other services"), OTHER_COLOUR, others))
    title = _("Reports per month, by service")
    description = _("Published reports of the last twelve months, stacked by service.")
    table = tuple(
        (
            dateformat.format(month, "F Y"),
            *(number(item.values[index]) for item in series),
            number(sum(item.values[index] for item in series)),
        )
        for index, month in enumerate(months)
    )
    return Chart(
        slug="reports-per-month",
        title=title,
        description=description,
        svg=stacked_bars("reports-per-month", title, description, months, series) if series else "",
        headers=(_("Month"), *(item.label for item in series), _("Total")),
        rows=table if series else (),
    )


# Response times and proposals --------------------------------------------------------------------


def response_times(now: datetime) -> Chart:
    """Median time from report to closing, by service, over reports closed in the last twelve months."""
    since = first_month(now)
    rows = (
        Report.objects.visible()
        .closed()
        .filter(closed_at__gte=since)
        .annotate(
            taken=ExpressionWrapper(F("closed_at") - F("created_at"), output_field=DurationField()),
            service_name=translated("service__name"),
        )
        .order_by("-closed_at")
        .values_list("service_id", "service_name", "taken")[:MEDIAN_ROW_LIMIT]
    )
    hours: dict[int, list[float]] = defaultdict(list)
    names: dict[int, str] = {}
    for service, name, taken in rows:
        hours[service].append(max(taken.total_seconds(), 0) / 3600)
        names[service] = name
    medians = sorted(
        ((names[service], statistics.median(values), len(values)) for service, values in hours.items()),
        key=lambda item: (-item[1], item[0]),
    )
    title = _("Median time to close a report, by service")
    description = _("Half of the reports closed in the last twelve months were closed faster than this.")
    bars = [(name, median, duration(median)) for name, median, _count in medians]
    return Chart(
        slug="response-times",
        title=title,
        description=description,
        svg=horizontal_bars("response-times", title, description, bars) if bars else "",
        headers=(_("Service"), _("Median time to close"), _("Closed reports")),
        rows=tuple((name, duration(median), number(count)) for name, median, count in medians),
    )


def proposals_by_status() -> Chart:
    """Published proposals by their current status, in the order a proposal moves through them."""
    counts = dict(
        Proposal.objects.visible()
        .values("status")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("status", "count")
    )
    present = [(str(status.label), counts[status]) for status in ProposalStatus if counts.get(status)]
    title = _("Proposals by status")
    description = _("Published proposals by their current status.")
    bars = [(label, count, number(count)) for label, count in present]
    return Chart(
        slug="proposals-by-status",
        title=title,
        description=description,
        svg=horizontal_bars("proposals-by-status", title, description, bars) if bars else "",
        headers=(_("Status"), _("Proposals")),
        rows=tuple((label, number(count)) for label, count in present),
    )


def page_charts(now: datetime | None = None) -> list[Chart]:
    """The open data page's charts, from the cache when they were drawn in the last ten minutes."""

    def draw() -> list[Chart]:
        moment = now or timezone.now()
        return [reports_per_month(moment), response_times(moment), proposals_by_status()]

    return cache.get_or_set(f"opendata:charts:{translation.get_language()}", draw, CACHE_SECONDS)
