"""The mobility operators' datasets: performance per month, fleets per day and idle vehicles.
They validate as a Data Package, hold no vehicle id and no exact position, and say what the
operator pages say on the same data."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pyshacl
import pytest
from django.utils import timezone
from frictionless import validate
from rdflib import Graph, Literal, Namespace, URIRef

from opendata.tests.conftest import PRECISE_LAT, PRECISE_LON, build, local_path, rows_of, standard, stored_bytes
from operators import performance
from operators.models import Reason
from operators.tests.factories import OperatorFactory, VehicleFactory
from operators.tests.figures import AssignmentFactory, BreachFactory, FleetDayFactory, resolved

pytestmark = pytest.mark.django_db

SECRET_VEHICLE = "KRING-BIKE-SECRET-0042"
FEED_URL = "https://feeds.kring.example/gbfs.json?key=tok3n-s3cret"


@pytest.fixture
def operators(db):
    now = timezone.now()
    kring = OperatorFactory(slug="kring", name="Kring", fine_per_breach=Decimal("250000"), gbfs_url=FEED_URL)
    roda = OperatorFactory(slug="roda", name="Roda", idle_limit_hours=2)
    for operator in (kring, roda):
        resolved(operator, now - timedelta(days=40), 3)
        resolved(operator, now - timedelta(days=3), 30, reopened=1)
        AssignmentFactory(operator=operator, assigned_at=now - timedelta(days=2), reason=Reason.IDLE_VEHICLE)
        for back in range(1, 4):
            FleetDayFactory(
                operator=operator,
                day=timezone.localdate() - timedelta(days=back),
                vehicles_peak=100 + back * 10,
                fleet_cap=115,
            )
        FleetDayFactory(operator=operator, day=timezone.localdate(), vehicles_peak=999)  # today: not over yet
    BreachFactory(operator=kring, recorded_at=now - timedelta(days=1))
    VehicleFactory(
        operator=kring,
        vehicle_id=SECRET_VEHICLE,
        lat=PRECISE_LAT,
        lon=PRECISE_LON,
        first_seen_at=now - timedelta(hours=30),
    )
    VehicleFactory(operator=kring, first_seen_at=now - timedelta(hours=3))  # within kring's limit
    VehicleFactory(
        operator=roda,
        form_factor="scooter_standing",
        first_seen_at=now - timedelta(hours=1),
        disabled_since=now - timedelta(hours=5),
    )
    return kring, roda


def test_the_package_with_the_operator_datasets_validates_with_frictionless(operators):
    snapshot = build()

    report = validate(str(local_path(snapshot, "datapackage.json")))

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    names = {task.name for task in report.tasks}
    assert {"operator_performance-csv", "fleet_daily-csv", "idle_vehicles-csv", "idle_vehicles-geojson"} <= names


def test_the_monthly_rows_are_the_performance_modules_figures(operators):
    snapshot = build()
    rows = {(row["operator"], row["month"]): row for row in rows_of(snapshot, "operator_performance")}

    figures = performance.monthly(until=snapshot.cutoff)
    assert len(rows) == len(figures) >= 2
    for month in figures:
        row = rows[(month.operator_slug, month.month.strftime("%Y-%m"))]
        assert row["reports_received"] == month.reports_received
        assert row["answered_in_time_share"] == month.answered_in_time_share
        assert row["median_hours_to_resolve"] == month.median_hours_to_resolve
        assert row["reopened_share"] == month.reopened_share
        assert row["breaches"] == month.breaches
        assert row["fines_due"] == float(month.fines_due)
        assert row["idle_reports"] == month.idle_reports
        assert row["currency"] == "IDR"
    kring_total = sum(row["reports_received"] for row in rows.values() if row["operator"] == "kring")
    assert kring_total == performance.scorecard(operators[0]).reports_received


def test_the_fleet_days_are_whole_days_as_the_pages_show_them(operators):
    snapshot = build()
    rows = rows_of(snapshot, "fleet_daily")

    assert [(row["operator"], row["vehicles_peak"], row["over_cap"]) for row in rows if row["operator"] == "kring"] == [
        ("kring", 130, True),
        ("kring", 120, True),
        ("kring", 110, False),
    ]
    shown = {day.day.isoformat(): day for day in performance.scorecard(operators[0]).fleet_days}
    for row in rows:
        if row["operator"] == "kring":
            day = shown[row["date"]]
            assert (row["vehicles_peak"], row["idle_peak"], row["fleet_cap"], row["over_cap"]) == (
                day.vehicles_peak,
                day.idle_peak,
                day.fleet_cap,
                day.over_cap,
            )


def test_idle_vehicles_are_counted_as_on_the_pages_in_areas_of_about_a_hundred_metres(operators):
    snapshot = build()
    rows = rows_of(snapshot, "idle_vehicles")

    cards = {card.operator.slug: card for card in performance.scorecards(operators, now=snapshot.cutoff)}
    for slug, card in cards.items():
        assert sum(row["operator"] == slug for row in rows) == card.idle_vehicles_now == 1
    kring = next(row for row in rows if row["operator"] == "kring")
    assert (kring["latitude"], kring["longitude"]) == (round(PRECISE_LAT, 3), round(PRECISE_LON, 3))
    assert 29.9 <= kring["hours_idle"] <= 30.1
    roda = next(row for row in rows if row["operator"] == "roda")
    assert roda["form_factor"] == "scooter_standing" and 4.9 <= roda["hours_idle"] <= 5.1
    geojson = json.loads(stored_bytes(snapshot)["idle_vehicles.geojson"])
    assert [round(PRECISE_LON, 3), round(PRECISE_LAT, 3)] in [
        feature["geometry"]["coordinates"] for feature in geojson["features"]
    ]


def test_no_operator_file_holds_a_vehicle_id_an_exact_position_or_a_feed_address(operators):
    snapshot = build()

    for name, data in stored_bytes(snapshot).items():
        text = data.decode()
        assert SECRET_VEHICLE not in text, name
        assert "feeds.kring.example" not in text and "tok3n" not in text, name
        if name.startswith(("operator_performance", "fleet_daily", "idle_vehicles")):
            assert str(round(PRECISE_LAT, 4)) not in text and str(round(PRECISE_LON, 4)) not in text, name
    for name in ("operator_performance", "fleet_daily", "idle_vehicles"):
        for row in rows_of(snapshot, name):
            assert not {"id", "vehicle_id", "pk"} & set(row)


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_the_catalogue_describes_the_operator_datasets_and_conforms_to_dcat_ap(operators, client, settings):
    dcat, dct, xsd = (
        Namespace("http://www.w3.org/ns/dcat#"),
        Namespace("http://purl.org/dc/terms/"),
        Namespace("http://www.w3.org/2001/XMLSchema#"),
    )
    shapes = Graph()
    for name in ("shapes.ttl", "range.ttl"):
        shapes.parse(standard("dcat-ap-3.0.1", name), format="turtle")
    build()
    data = Graph().parse(data=client.get("/data/catalog.jsonld").content, format="json-ld")

    conforms, _results, text = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    assert conforms, text
    fleet = data.value(URIRef(f"{settings.SITE_URL}/data/#fleet_daily"), dct.temporal)
    first_day = timezone.localdate() - timedelta(days=3)
    assert data.value(fleet, dcat.startDate) == Literal(first_day, datatype=xsd.date)
    assert data.value(fleet, dcat.endDate) == Literal(timezone.localdate() - timedelta(days=1), datatype=xsd.date)
    months = data.value(URIRef(f"{settings.SITE_URL}/data/#operator_performance"), dct.temporal)
    assert data.value(months, dcat.startDate).datatype == xsd.gYearMonth
    for name in ("operator_performance", "fleet_daily", "idle_vehicles"):
        assert (URIRef(f"{settings.SITE_URL}/data/#{name}"), dcat.distribution, None) in data
