"""The charts of the open data page: valid SVG, one bar per figure, published content only, cached."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest
from django.utils import translation

from moderation.models import ModerationState
from opendata import charts
from proposals.models import ProposalStatus
from proposals.tests.factories import ProposalFactory
from services.models import ReportStatus
from services.tests.factories import ReportFactory, ServiceFactory

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
NOW = datetime(2026, 6, 15, 5, 0, tzinfo=UTC)


def parsed(chart: charts.Chart) -> ElementTree.Element:
    """The chart's SVG as XML: parsing fails on markup that is not well-formed."""
    return ElementTree.fromstring(chart.svg)


def bars(chart: charts.Chart) -> list[ElementTree.Element]:
    return [element for element in parsed(chart).iter(f"{SVG}rect") if element.get("class") == "bar"]


def report(service, created: datetime, closed_after: timedelta | None = None, **kwargs):
    extra = {"status": ReportStatus.RESOLVED, "closed_at": created + closed_after} if closed_after else {}
    return ReportFactory(service=service, created_at=created, **extra, **kwargs)


@pytest.fixture
def services():
    return ServiceFactory(name="Pothole", name_ind="Jalan berlubang"), ServiceFactory(name="Streetlight out")


def test_the_reports_chart_has_a_bar_for_each_service_in_each_month_with_reports(services):
    pothole, streetlight = services
    report(pothole, datetime(2026, 6, 10, tzinfo=UTC))
    report(pothole, datetime(2026, 6, 11, tzinfo=UTC))
    report(streetlight, datetime(2026, 6, 12, tzinfo=UTC))
    report(pothole, datetime(2026, 4, 10, tzinfo=UTC))
    report(pothole, datetime(2025, 1, 10, tzinfo=UTC))  # older than twelve months

    chart = charts.reports_per_month(NOW)

    assert len(bars(chart)) == 3
    assert parsed(chart).find(f"{SVG}title").text == "Reports per month, by service"
    assert chart.headers == ("Month", "Pothole", "Streetlight out", "Total")
    assert len(chart.rows) == 12
    assert chart.rows[0][0] == "July 2025"
    assert chart.rows[-1] == ("June 2026", "2", "1", "3")
    assert chart.rows[-3] == ("April 2026", "1", "0", "1")


def test_services_beyond_the_five_busiest_are_drawn_as_other_services():
    for position in range(7):
        service = ServiceFactory(name=f"Service {position}")
        for _ in range(10 - position):
            report(service, datetime(2026, 6, 10, tzinfo=UTC))

    chart = charts.reports_per_month(NOW)

    assert chart.headers[1:-1] == ("Service 0", "Service 1", "Service 2", "Service 3", "Service 4", "Other services")
    assert chart.rows[-1][-2:] == ("9", "49")
    assert len(bars(chart)) == 6


def test_the_response_time_chart_shows_the_median_time_to_close_by_service(services):
    pothole, streetlight = services
    for hours in (2, 4, 30):
        report(pothole, datetime(2026, 5, 1, tzinfo=UTC), closed_after=timedelta(hours=hours))
    for days in (3, 5):
        report(streetlight, datetime(2026, 5, 1, tzinfo=UTC), closed_after=timedelta(days=days))
    report(streetlight, datetime(2026, 5, 1, tzinfo=UTC))  # still open
    report(streetlight, datetime(2024, 5, 1, tzinfo=UTC), closed_after=timedelta(days=90))  # closed long ago

    chart = charts.response_times(NOW)

    assert len(bars(chart)) == 2
    assert chart.rows == (("Streetlight out", "4.0 days", "2"), ("Pothole", "4.0 hours", "3"))
    widths = [float(bar.get("width")) for bar in bars(chart)]
    assert widths[0] > widths[1] * 20


def test_the_proposals_chart_has_a_bar_for_each_status_in_use():
    ProposalFactory.create_batch(3)
    ProposalFactory(status=ProposalStatus.UNDER_REVIEW)
    ProposalFactory.create_batch(2, status=ProposalStatus.ACCEPTED)

    chart = charts.proposals_by_status()

    assert len(bars(chart)) == 3
    assert chart.rows == (("Collecting support", "3"), ("Under review by the city", "1"), ("Accepted", "2"))


def test_the_charts_count_published_content_only(services):
    pothole, _streetlight = services
    secret = ServiceFactory(name="Secret service")
    report(pothole, datetime(2026, 6, 10, tzinfo=UTC), closed_after=timedelta(hours=5))
    for state in (ModerationState.HIDDEN, ModerationState.PENDING, ModerationState.REJECTED):
        report(secret, datetime(2026, 6, 10, tzinfo=UTC), closed_after=timedelta(hours=5), moderation_state=state)
        ProposalFactory(moderation_state=state, status=ProposalStatus.DECLINED)
    ProposalFactory()

    drawn = charts.page_charts(NOW)

    for chart in drawn:
        assert "Secret service" not in chart.svg
        assert len(bars(chart)) == 1, chart.slug
    assert drawn[2].rows == (("Collecting support", "1"),)


def test_the_charts_are_accessible_and_hide_nothing(services):
    pothole, _streetlight = services
    report(pothole, datetime(2026, 6, 10, tzinfo=UTC), closed_after=timedelta(hours=5))
    ProposalFactory()

    for chart in charts.page_charts(NOW):
        root = parsed(chart)
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        assert root.get("viewBox").startswith("0 0 360 ")
        assert root.get("width") == "100%"
        labelled = root.get("aria-labelledby").split()
        ids = {element.get("id") for element in root.iter() if element.get("id")}
        assert set(labelled) <= ids
        assert root.find(f"{SVG}title").text == chart.title
        assert chart.headers and chart.rows
        for element in root.iter():
            assert element.tag.removeprefix(SVG) not in {"script", "foreignObject", "style", "a", "image", "use"}
            assert not {"style", "display", "visibility", "opacity", "href"} & set(element.attrib)
            assert not any(name.startswith("on") for name in element.attrib)
        assert not re.search(r"(?i)javascript:|<script", chart.svg)


def test_service_names_are_escaped_and_speak_the_page_language(services):
    pothole, _streetlight = services
    odd = ServiceFactory(name='Pipes <burst> & "leaks"')
    report(pothole, datetime(2026, 6, 10, tzinfo=UTC))
    report(odd, datetime(2026, 6, 10, tzinfo=UTC))

    chart = charts.reports_per_month(NOW)
    assert "<burst>" not in chart.svg
    texts = [element.text for element in parsed(chart).iter(f"{SVG}text")]
    assert 'Pipes <burst> & "leaks"' in texts
    with translation.override("id"):
        assert "Jalan berlubang" in charts.reports_per_month(NOW).headers


def test_an_empty_site_draws_no_chart():
    for chart in charts.page_charts(NOW):
        assert chart.empty
        assert chart.svg == ""


def test_the_charts_are_drawn_once_per_ten_minutes(services, django_assert_num_queries):
    pothole, _streetlight = services
    report(pothole, datetime(2026, 6, 10, tzinfo=UTC))
    with django_assert_num_queries(3):
        charts.page_charts(NOW)
    report(pothole, datetime(2026, 6, 11, tzinfo=UTC))
    with django_assert_num_queries(0):
        cached = charts.page_charts(NOW)
    assert cached[0].rows[-1][-1] == "1"
