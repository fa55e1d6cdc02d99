"""The charts of the operator pages, drawn from the scorecards with ``cocreate.charts``: how the
operators compare, and one operator's fleet against its cap and its breaches by month. Each
chart comes with its table."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils import dateformat
from django.utils.translation import gettext as _

from cocreate.charts import (
    BAR_COLOUR,
    Chart,
    Series,
    daily_bars,
    duration,
    horizontal_bars,
    number,
    percent,
    stacked_bars,
)
from operators.performance import Scorecard


def money(amount: Decimal) -> str:
    """An amount in the city's currency for fines (``OPERATOR_FINE_CURRENCY``)."""
    return f"{settings.OPERATOR_FINE_CURRENCY} {number(amount)}"


def _bars_chart(slug: str, title: str, description: str, header: str, bars: list[tuple[str, float, str]]) -> Chart:
    return Chart(
        slug=slug,
        title=title,
        description=description,
        svg=horizontal_bars(slug, title, description, bars) if bars else "",
        headers=(_("Operator"), header),
        rows=tuple((label, shown) for label, _value, shown in bars),
    )


def comparison_charts(cards: list[Scorecard]) -> list[Chart]:
    """Answered in time, time to resolve and complaints per 1,000 vehicles, operator by operator
    (those without the figure are left out of its chart)."""
    in_time = [
        (card.operator.name, card.answered_in_time_share * 100, percent(card.answered_in_time_share))
        for card in cards
        if card.answered_in_time_share is not None
    ]
    medians = [
        (card.operator.name, card.median_hours_to_resolve, duration(card.median_hours_to_resolve))
        for card in cards
        if card.median_hours_to_resolve is not None
    ]
    complaints = [
        (card.operator.name, card.complaints_per_1000_vehicles, number(card.complaints_per_1000_vehicles, 1))
        for card in cards
        if card.complaints_per_1000_vehicles is not None
    ]
    return [
        _bars_chart(
            "answered-in-time",
            _("Reports answered in time"),
            _("The share of reports each operator resolved by their deadline, among those resolved or due."),
            _("Answered in time"),
            sorted(in_time, key=lambda bar: (-bar[1], bar[0])),
        ),
        _bars_chart(
            "time-to-resolve",
            _("Median time to resolve a report"),
            _("Half of each operator's resolved reports were resolved faster than this."),
            _("Median time to resolve"),
            sorted(medians, key=lambda bar: (bar[1], bar[0])),
        ),
        _bars_chart(
            "complaints-per-vehicles",
            _("Complaints per 1,000 vehicles, last 30 days"),
            _(
                "Reports made by citizens in the last 30 days, per 1,000 vehicles of the operator's average daily fleet."
            ),
            _("Complaints per 1,000 vehicles"),
            sorted(complaints, key=lambda bar: (bar[1], bar[0])),
        ),
    ]


def fleet_chart(card: Scorecard) -> Chart:
    """The operator's largest fleet each day against that day's cap."""
    title = _("Vehicles each day")
    description = _("The most vehicles the operator's feed showed each day, against the cap of its permit.")
    days = [(day.day, day.vehicles_peak, day.fleet_cap) for day in card.fleet_days]
    yes, no = _("yes"), _("no")
    return Chart(
        slug="fleet-per-day",
        title=title,
        description=description,
        svg=daily_bars(
            "fleet-per-day",
            title,
            description,
            days,
            bar_label=_("Most vehicles"),
            limit_label=_("Fleet cap"),
            over_label=_("Over the cap"),
        )
        if days
        else "",
        headers=(
            _("Day"),
            _("Most vehicles"),
            _("Idle (most)"),
            _("Disabled (most)"),
            _("Fleet cap"),
            _("Over the cap"),
        ),
        rows=tuple(
            (
                dateformat.format(day.day, "j M Y"),
                number(day.vehicles_peak),
                number(day.idle_peak),
                number(day.disabled_peak),
                number(day.fleet_cap) if day.fleet_cap is not None else _("no cap"),
                yes if day.over_cap else no,
            )
            for day in reversed(card.fleet_days)
        ),
    )


def breaches_chart(card: Scorecard) -> Chart:
    """Missed deadlines of the last twelve months, with the fines due."""
    title = _("Missed deadlines by month")
    description = _("Reports the operator did not answer by their deadline, by the month the city recorded it.")
    months = [month.month for month in card.breach_months]
    series = [Series(_("Missed deadlines"), BAR_COLOUR, tuple(month.breaches for month in card.breach_months))]
    return Chart(
        slug="breaches-per-month",
        title=title,
        description=description,
        svg=stacked_bars("breaches-per-month", title, description, months, series) if card.breaches else "",
        headers=(_("Month"), _("Missed deadlines"), _("Fines due")),
        rows=tuple(
            (dateformat.format(month.month, "F Y"), number(month.breaches), money(month.fines_due))
            for month in reversed(card.breach_months)
        )
        if card.breaches
        else (),
    )
