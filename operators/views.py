"""The public operator pages: every operator compared, and one operator's permit, scorecard,
fleet, breaches, feed and idle-vehicle hot spots. Public, read-only, phone-first."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from cocreate.page_cache import public_page
from operators import charts, performance
from operators.hotspots import hotspots
from operators.models import Operator
from services.views import map_context


def _night_hours() -> str:
    return f"{settings.OPERATOR_NIGHT_START:02d}:00–{settings.OPERATOR_NIGHT_END:02d}:00"


def _hotspot_sentences() -> dict[str, str]:
    """A hot spot's label for one vehicle and for several, still holding ``%(count)s``: the map
    picks one by the language's plural rule."""
    return {
        form: ngettext("%(count)s idle vehicle", "%(count)s idle vehicles", number)
        for form, number in (("one", 1), ("other", 2))
    }


@public_page("operators")
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Every listed operator's scorecard in one table, and charts comparing them."""
    cards = performance.scorecards()
    return render(
        request,
        "operators/index.html",
        {"cards": cards, "charts": charts.comparison_charts(cards), "currency": settings.OPERATOR_FINE_CURRENCY},
    )


@public_page("operators")
@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One operator: its permit's conditions, scorecard, fleet against cap, breaches, feed and hot spots."""
    operator = get_object_or_404(Operator.objects.prefetch_related("vehicle_types"), slug=slug)
    card = performance.scorecard(operator)
    spots = hotspots(operator=operator)
    context = {
        **map_context(),
        "operator": operator,
        "card": card,
        "fleet_chart": charts.fleet_chart(card),
        "breaches_chart": charts.breaches_chart(card),
        "fine": charts.money(operator.fine_per_breach),
        "fines_due": charts.money(card.fines_due),
        "night_hours": _night_hours(),
        "hotspots": spots,
        "hotspots_json": json.dumps(spots),
        "hotspot_sentences": _hotspot_sentences(),
    }
    return render(request, "operators/detail.html", context)
