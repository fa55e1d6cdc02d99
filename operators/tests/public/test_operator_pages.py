"""The comparison page and an operator's page: public, complete, in a constant number of queries,
and without a vehicle id, a feed address or the poller's error text."""

from __future__ import annotations

import json
import re

import pytest

from operators.tests.factories import OperatorFactory
from operators.tests.public.conftest import FEED_URL, SECRET_VEHICLE

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_comparison_page_lists_operators_marks_an_ended_permit_and_drops_one_with_nothing_left(
    client, kring, ended, gone
):
    response = client.get("/operators/")

    assert response.status_code == 200
    page = text_of(response)
    assert "Kring Bikes" in page and "Roda" in page
    assert "Gone Scooters" not in page
    assert "Permit ended Dec. 31, 2025" in page
    assert 'href="/operators/kring/"' in response.content.decode()
    for heading in ("Reports answered in time", "Median time to resolve a report", "Complaints per 1,000 vehicles"):
        assert heading in page
    assert response.content.decode().count('<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg"') == 3


@pytest.mark.parametrize("count", [1, 6])
def test_the_comparison_page_costs_the_same_whatever_the_number_of_operators(
    client, django_assert_max_num_queries, count
):
    for _ in range(count):
        OperatorFactory().vehicle_types.create(form_factor="bicycle", fleet_cap=10)

    with django_assert_max_num_queries(8):
        response = client.get("/operators/")

    assert response.status_code == 200


def test_an_operator_page_shows_its_permit_conditions(client, kring):
    page = text_of(client.get("/operators/kring/"))

    for expected in (
        "DISHUB/2026/017",
        "from Jan. 1, 2026, with no end date",
        "Bicycle: at most 300 vehicles",
        "Standing e-scooter: no cap",
        "24 hours",
        "36 hours, for reports sent between 22:00–06:00",
        "more than 48 hours becomes a report",
        "IDR 250,000",
        "ops@kring.example",
    ):
        assert expected in page, expected


def test_an_operator_page_shows_its_scorecard_fleet_breaches_feed_and_idle_vehicles(client, kring):
    response = client.get("/operators/kring/")
    page = text_of(response)

    assert "3 reports, 2 still open" in page  # the resolved one, the open one, the one breached
    assert "Over the cap on 1 of the days shown." in page
    assert 'id="chart-fleet-per-day"' in response.content.decode()
    assert 'id="chart-breaches-per-month"' in response.content.decode()
    assert "Failing" in page
    assert "server answered with an error." in page
    assert "2 vehicles have stood unused longer than the idle limit." in page


def test_the_hot_spot_map_gets_rounded_positions_and_no_vehicle(client, kring, settings):
    response = client.get("/operators/kring/")
    html = response.content.decode()

    spots = json.loads(re.search(r'data-hotspots="([^"]*)"', html).group(1).replace("&quot;", '"'))
    assert spots == [{"lat": -6.915, "lon": 107.61, "count": 2, "operators": ["kring"]}]
    assert "js/operator-hotspots.js" in html
    assert f'data-tiles="{settings.MAP_TILE_URL}"' in html


def test_no_page_shows_a_vehicle_id_the_feed_address_or_the_pollers_error(client, kring):
    for path in ("/operators/", "/operators/kring/"):
        html = client.get(path).content.decode()
        assert SECRET_VEHICLE not in html
        assert "feeds.kring.example" not in html and "tok3n" not in html
        assert FEED_URL not in html
        assert "<script>" not in html and " style=" not in html


def test_an_operator_page_costs_a_constant_number_of_queries(client, kring, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):  # the operator and its types, six aggregates, the hot spots
        assert client.get("/operators/kring/").status_code == 200


def test_an_unknown_operator_is_a_404(client, db):
    assert client.get("/operators/nobody/").status_code == 404


def test_the_pages_speak_indonesian(client, kring):
    client.cookies["django_language"] = "id"

    page = text_of(client.get("/operators/kring/"))
    assert "Syarat izin" in page
    assert "Kendaraan menganggur" in page
    assert "Server umpan data menjawab dengan galat." in page
    assert "Rapor kinerja" in text_of(client.get("/operators/"))


def test_the_menu_and_the_open_data_page_link_to_the_operators(client, db):
    html = client.get("/data/").content.decode()
    assert html.count('href="/operators/"') == 2
