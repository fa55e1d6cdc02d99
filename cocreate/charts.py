"""Charts drawn on the server as SVG, for any page: no script, no library, no CDN.

A ``Chart`` is a drawing and the table that says the same in words, for people who cannot see
it (``templates/_chart.html`` shows both). The drawings scale to a phone's width, name
themselves with ``<title>`` and ``<desc>``, and give each bar a tooltip. The pages that count
what they draw live with their data (``opendata/charts.py``, ``operators/views.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import dateformat, formats, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

MONTHS = 12
# Okabe–Ito colours, told apart with colour blindness; grey is for "other".
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9")
OTHER_COLOUR = "#767676"
BAR_COLOUR = "#0b5d3b"
# Okabe–Ito vermillion: a bar past its limit.
OVER_COLOUR = "#d55e00"
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


# Months and numbers ------------------------------------------------------------------------------


def first_month(now: datetime, months: int = MONTHS) -> datetime:
    """Midnight on the first day of the month ``months - 1`` months before ``now``'s, in the site's time zone."""
    local = timezone.localtime(now)
    index = local.year * 12 + local.month - 1 - (months - 1)
    return local.replace(year=index // 12, month=index % 12 + 1, day=1, hour=0, minute=0, second=0, microsecond=0)


def month_starts(since: datetime | date, months: int = MONTHS) -> list[date]:
    index = since.year * 12 + since.month - 1
    return [date((index + step) // 12, (index + step) % 12 + 1, 1) for step in range(months)]


def number(value: float, decimals: int = 0) -> str:
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def percent(share: float) -> str:
    """A share (0 to 1) as a whole percentage in the page's language."""
    return _("%(value)s%%") % {"value": number(share * 100)}


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


# Drawing pieces ----------------------------------------------------------------------------------


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


def _grid(left: float, right: float, bottom: float, plot_height: float, ceiling: float) -> list[str]:
    """Three horizontal grid lines (zero, half, top) with their values."""
    body = []
    for fraction in (0, 0.5, 1):
        y = bottom - fraction * plot_height
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        tick = ceiling * fraction
        body.append(text(left - 4, y + 4, number(tick, 0 if tick == int(tick) else 1), anchor="end", size=11))
    return body


# Charts ------------------------------------------------------------------------------------------


def stacked_bars(slug: str, title: str, description: str, months: list[date], series: list[Series]) -> str:
    """Vertical bars, one a month, stacked by series, with a legend below."""
    left, right, top, plot_height = 40, 8, 12, 170
    plot_width = WIDTH - left - right
    totals = [sum(item.values[index] for item in series) for index in range(len(months))]
    ceiling = nice_ceiling(max(totals, default=0))
    band = plot_width / len(months)
    bottom = top + plot_height
    body = _grid(left, right, bottom, plot_height, ceiling)
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


def daily_bars(
    slug: str,
    title: str,
    description: str,
    days: list[tuple[date, int, int | None]],
    *,
    bar_label: str,
    limit_label: str,
    over_label: str,
) -> str:
    """A bar a day against that day's limit: bars past their limit in another colour (and said so in
    their tooltip), the limit drawn as a dashed step line, a legend below."""
    left, right, top, plot_height = 40, 8, 12, 150
    plot_width = WIDTH - left - right
    ceiling = nice_ceiling(max([value for _day, value, _limit in days] + [limit or 0 for *_rest, limit in days]))
    band = plot_width / max(len(days), 1)
    bottom = top + plot_height
    body = _grid(left, right, bottom, plot_height, ceiling)
    label_every = max(1, round(len(days) / 5))
    for index, (day, value, limit) in enumerate(days):
        x = left + index * band
        over = limit is not None and value > limit
        height = value / ceiling * plot_height
        tooltip = f"{dateformat.format(day, 'j M Y')}: {number(value)}"
        if limit is not None:
            tooltip += f" / {number(limit)}" + (f" ({over_label})" if over else "")
        if value:
            body.append(
                rect(x + band * 0.1, bottom - height, band * 0.8, height, OVER_COLOUR if over else BAR_COLOUR, tooltip)
            )
        if limit is not None:
            y = bottom - limit / ceiling * plot_height
            body.append(
                f'<line class="limit" x1="{x:.1f}" y1="{y:.1f}" x2="{x + band:.1f}" y2="{y:.1f}" '
                f'stroke="{INK}" stroke-width="2" stroke-dasharray="4 2"/>'
            )
        if index % label_every == 0:
            body.append(text(x + band / 2, bottom + 15, dateformat.format(day, "j M"), anchor="middle", size=11))
    legend_top = bottom + 38
    body.append(f'<rect x="{left}" y="{legend_top - 11}" width="13" height="13" fill="{BAR_COLOUR}"/>')
    body.append(text(left + 19, legend_top, shorten(bar_label, LABEL_MAX - 6)))
    body.append(f'<rect x="{left}" y="{legend_top + 9}" width="13" height="13" fill="{OVER_COLOUR}"/>')
    body.append(text(left + 19, legend_top + 20, shorten(over_label, LABEL_MAX - 6)))
    body.append(
        f'<line x1="{left}" y1="{legend_top + 35}" x2="{left + 13}" y2="{legend_top + 35}" '
        f'stroke="{INK}" stroke-width="2" stroke-dasharray="4 2"/>'
    )
    body.append(text(left + 19, legend_top + 40, shorten(limit_label, LABEL_MAX - 6)))
    return svg(slug, title, description, legend_top + 50, body)
