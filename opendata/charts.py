"""The charts of the open data page, drawn on the server as SVG: no script, no library, no CDN.

Each chart counts published content only, with one aggregate query, and comes with the
same numbers as a table for people who cannot see it. The drawings are kept in the cache
for ten minutes, one copy per language, so a busy page costs no aggregate at all.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core.cache import cache
from django.db.models import Count, DurationField, ExpressionWrapper, F
from django.db.models.functions import TruncMonth
from django.utils import dateformat, formats, timezone, translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from proposals.models import Proposal, ProposalStatus
from services.models import Report

MONTHS = 12
TOP_SERVICES = 5
CACHE_SECONDS = 600
# The newest closed reports a median is computed over: enough for a stable figure, and a
# bound on the rows read however busy the city is.
MEDIAN_ROW_LIMIT = 50_000
# Okabe–Ito colours, told apart with colour blindness; grey is for "other services".
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9")
OTHER_COLOUR = "#767676"
BAR_COLOUR = "#0b5d3b"
INK = "#1b1f24"
GRID = "#c6ced6"
LABEL_MAX = 42

WIDTH = 360
FONT = 'font-family="system-ui, sans-serif"'


@dataclass(frozen=True)
class Chart:
    """A drawing and the table that says the same thing in words."""

    slug: str
    title: str
    description: str
    svg: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    @property
    def drawing(self) -> SafeString:
        return mark_safe(self.svg)  # noqa: S308 -- built from escaped text in this module only

    @property
    def empty(self) -> bool:
        return not self.rows


@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    values: tuple[int, ...]


# Shared pieces -------------------------------------------------------------------------------------


def first_month(now: datetime, months: int = MONTHS) -> datetime:
    """Midnight on the first day of the month ``months - 1`` months before ``now``'s, in the site's time zone."""
    local = timezone.localtime(now)
    index = local.year * 12 + local.month - 1 - (months - 1)
    return local.replace(year=index // 12, month=index % 12 + 1, day=1, hour=0, minute=0, second=0, microsecond=0)


def month_starts(since: datetime, months: int = MONTHS) -> list[date]:
    index = since.year * 12 + since.month - 1
    return [date((index + step) // 12, (index + step) % 12 + 1, 1) for step in range(months)]


def service_name(name: str, name_id: str) -> str:
    """The service's name in the page's language (as ``Service.display_name``), from a values() row."""
    return name_id if translation.get_language() == "id" and name_id else name


def number(value: float, decimals: int = 0) -> str:
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def duration(hours: float) -> str:
    """Hours below two days, days above: the unit a person would use."""
    if hours < 48:
        return _("%(value)s hours") % {"value": number(hours, 1)}
    return _("%(value)s days") % {"value": number(hours / 24, 1)}


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten at least ``value``: a round top for the axis."""
    if value <= 0:
        return 1
    magnitude = 1.0
    while magnitude * 10 <= value:
        magnitude *= 10
    while magnitude > value:
        magnitude /= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def shorten(text: str, limit: int = LABEL_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def svg(slug: str, title: str, description: str, height: float, body: Sequence[str]) -> str:
    """The <svg> element: scales to its container's width, named by its <title> and <desc>."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {WIDTH} {round(height)}" '
        f'width="100%" role="img" aria-labelledby="chart-{slug}-title chart-{slug}-desc" {FONT} font-size="13">'
        f'<title id="chart-{slug}-title">{escape(title)}</title>'
        f'<desc id="chart-{slug}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def rect(x: float, y: float, width: float, height: float, fill: str, tooltip: str) -> str:
    return (
        f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="{fill}">'
        f"<title>{escape(tooltip)}</title></rect>"
    )


def text(x: float, y: float, content: str, anchor: str = "start", size: int = 13) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{INK}">{escape(content)}</text>'
    )


# Reports per month and service -----------------------------------------------------------------------


def stacked_bars(slug: str, title: str, description: str, months: list[date], series: list[Series]) -> str:
    """Vertical bars, one a month, stacked by service, with a legend below."""
    left, right, top, plot_height = 40, 8, 12, 170
    plot_width = WIDTH - left - right
    totals = [sum(item.values[index] for item in series) for index in range(len(months))]
    ceiling = nice_ceiling(max(totals, default=0))
    band = plot_width / len(months)
    bottom = top + plot_height
    body = []
    for fraction in (0, 0.5, 1):
        y = bottom - fraction * plot_height
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        tick = ceiling * fraction
        body.append(text(left - 4, y + 4, number(tick, 0 if tick == int(tick) else 1), anchor="end", size=11))
    for index, month in enumerate(months):
        x = left + index * band + band * 0.15
        y = bottom
        for item in series:
            value = item.values[index]
            if not value:
                continue
            height = value / ceiling * plot_height
            y -= height
            label = f"{item.label}, {dateformat.format(month, 'F Y')}: {number(value)}"
            body.append(rect(x, y, band * 0.7, height, item.colour, label))
        body.append(text(x + band * 0.35, bottom + 15, dateformat.format(month, "M"), anchor="middle", size=11))
    legend_top = bottom + 38
    for position, item in enumerate(series):
        y = legend_top + position * 20
        body.append(f'<rect x="{left}" y="{y - 11}" width="13" height="13" fill="{item.colour}"/>')
        body.append(text(left + 19, y, shorten(item.label, LABEL_MAX - 6)))
    return svg(slug, title, description, legend_top + len(series) * 20, body)


def reports_per_month(now: datetime) -> Chart:
    """Published reports of the last twelve months, by month and service; the busiest services by name."""
    since = first_month(now)
    months = month_starts(since)
    rows = (
        Report.objects.visible()
        .filter(created_at__gte=since)
        .annotate(month=TruncMonth("created_at"))
        .values("month", "service_id", "service__name", "service__name_id")
        .annotate(count=Count("pk"))
        .order_by()  # the model's ordering would split the groups
    )
    counts: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    names: dict[int, str] = {}
    for row in rows:
        month = timezone.localtime(row["month"]).date() if timezone.is_aware(row["month"]) else row["month"].date()
        counts[row["service_id"]][month.replace(day=1)] += row["count"]
        names[row["service_id"]] = service_name(row["service__name"], row["service__name_id"])
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


# Horizontal bars: response times and proposals ------------------------------------------------------


def horizontal_bars(slug: str, title: str, description: str, bars: list[tuple[str, float, str]]) -> str:
    """One bar a row, its label above it and its value after it: long names fit a phone's width."""
    left, value_room, row_height, top = 2, 90, 42, 6
    longest = max((value for _label, value, _shown in bars), default=0) or 1
    body = []
    for position, (label, value, shown) in enumerate(bars):
        y = top + position * row_height
        width = max(value / longest * (WIDTH - left - value_room), 1)
        body.append(text(left, y + 13, shorten(label)))
        body.append(rect(left, y + 18, width, 15, BAR_COLOUR, f"{label}: {shown}"))
        body.append(text(left + width + 6, y + 30, shown))
    return svg(slug, title, description, top + len(bars) * row_height + 4, body)


def response_times(now: datetime) -> Chart:
    """Median time from report to closing, by service, over reports closed in the last twelve months."""
    since = first_month(now)
    rows = (
        Report.objects.visible()
        .closed()
        .filter(closed_at__gte=since)
        .annotate(taken=ExpressionWrapper(F("closed_at") - F("created_at"), output_field=DurationField()))
        .order_by("-closed_at")
        .values_list("service_id", "service__name", "service__name_id", "taken")[:MEDIAN_ROW_LIMIT]
    )
    hours: dict[int, list[float]] = defaultdict(list)
    names: dict[int, str] = {}
    for service, name, name_id, taken in rows:
        hours[service].append(max(taken.total_seconds(), 0) / 3600)
        names[service] = service_name(name, name_id)
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
