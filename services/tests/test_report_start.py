"""The first step of reporting: the place, then the kind of problem, nearest and most recent first."""

import pytest

from services.models import Service
from services.tests.factories import CITY_LAT, CITY_LON, ReportFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def service_order(body: str, names: list[str]) -> list[str]:
    return sorted(names, key=body.index)


def test_typed_coordinates_reach_every_service_link_without_javascript(client):
    ServiceFactory(service_code="pothole", name="Pothole")
    body = client.get("/report/", {"lat": str(CITY_LAT), "lon": str(CITY_LON)}).content.decode()
    assert f'href="/report/pothole/?lat={CITY_LAT:.6f}&amp;lon={CITY_LON:.6f}"' in body
    assert "Enter coordinates" in body

    form = client.get("/report/pothole/", {"lat": str(CITY_LAT), "lon": str(CITY_LON)}).content.decode()
    assert f'value="{CITY_LAT:.6f}"' in form


def test_a_point_outside_the_city_is_not_carried(client):
    ServiceFactory(service_code="pothole")
    body = client.get("/report/", {"lat": "-6.2", "lon": "106.8"}).content.decode()
    assert 'href="/report/pothole/"' in body


def test_services_reported_near_the_point_come_first(client):
    ServiceFactory(name="Aardvark crossing", order=1)
    streetlight = ServiceFactory(name="Streetlight out", order=2)
    ReportFactory.create_batch(2, service=streetlight)
    ReportFactory(service=streetlight, lat=-6.85, lon=107.7)  # far away: not counted near the point

    body = client.get("/report/", {"lat": str(CITY_LAT), "lon": str(CITY_LON)}).content.decode()
    assert service_order(body, ["Aardvark crossing", "Streetlight out"]) == ["Streetlight out", "Aardvark crossing"]
    near = client.get("/report/services-near/", {"lat": str(CITY_LAT), "lon": str(CITY_LON)}).json()
    assert near == {"services": [streetlight.service_code]}
    assert client.get("/report/services-near/", {"lat": "x", "lon": "1"}).status_code == 400


def test_a_citizens_recent_services_come_first(client, citizen):
    ServiceFactory(name="Aardvark crossing", order=1)
    recent = ServiceFactory(name="Zebra crossing", order=9)
    ReportFactory(service=recent, reporter=citizen, lat=None, lon=None, address="Jl. Braga")
    client.force_login(citizen)

    body = client.get("/report/").content.decode()

    assert service_order(body, ["Aardvark crossing", "Zebra crossing"]) == ["Zebra crossing", "Aardvark crossing"]
    assert body.count('class="service-recent">Used recently') == 1
    assert body.index("Zebra crossing") < body.index('class="service-recent">Used recently') < body.index("Aardvark")


def test_the_address_search_finds_addresses_of_published_exact_reports_only(client):
    ReportFactory(address="Jl. Braga 12", lat=-6.917, lon=107.609)
    ReportFactory(address="Jl. Braga 40", service=ServiceFactory(location_precision=Service.Precision.COARSE))
    ReportFactory(address="Jl. Braga 99", moderation_state="hidden")

    results = client.get("/report/places/", {"q": "braga"}).json()["results"]

    assert results == [{"address": "Jl. Braga 12", "lat": -6.917, "lon": 107.609}]
    assert client.get("/report/places/", {"q": "b"}).json() == {"results": []}


def test_the_service_worker_is_served_from_the_root_and_never_stale(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert "/static/js/report-form.js" in body
    assert "cocreate-" in body


def test_the_place_step_speaks_indonesian(client):
    ServiceFactory(name="Pothole", name_ind="Jalan berlubang")
    client.cookies["django_language"] = "id"
    body = client.get("/report/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "1. Di mana lokasinya?" in body
    assert "Masukkan koordinat" in body
    assert "Jalan berlubang" in body


class FakeGeocoder:
    """A Nominatim-compatible answer, recorded so the test sees what the site asked."""

    def __init__(self, rows):
        self.rows = rows
        self.asked = []

    def __call__(self, request, timeout):
        import io
        import json

        self.asked.append(request.full_url)
        return io.BytesIO(json.dumps(self.rows).encode())


def test_a_configured_geocoder_is_asked_by_the_server_within_the_city(client, settings, monkeypatch):
    settings.GEOCODER_URL = "https://geocoder.example.org/search"
    ReportFactory(address="Jl. Braga 12", lat=-6.917, lon=107.609)
    fake = FakeGeocoder([{"display_name": "Jalan Braga, Bandung", "lat": "-6.9175", "lon": "107.6093"}])
    monkeypatch.setattr("services.geocoding.urlopen", fake)

    results = client.get("/report/places/", {"q": "braga"}).json()["results"]

    assert results == [
        {"address": "Jalan Braga, Bandung", "lat": -6.9175, "lon": 107.6093},
        {"address": "Jl. Braga 12", "lat": -6.917, "lon": 107.609},
    ]
    assert "bounded=1" in fake.asked[0] and "viewbox=107.53" in fake.asked[0]
    client.get("/report/places/", {"q": "braga"})
    assert len(fake.asked) == 1, "answers are cached"


def test_a_failing_geocoder_leaves_the_known_addresses(client, settings, monkeypatch):
    from urllib.error import URLError

    settings.GEOCODER_URL = "https://geocoder.example.org/search"
    ReportFactory(address="Jl. Braga 12", lat=-6.917, lon=107.609)

    def down(request, timeout):
        raise URLError("down")

    monkeypatch.setattr("services.geocoding.urlopen", down)
    results = client.get("/report/places/", {"q": "braga"}).json()["results"]
    assert [place["address"] for place in results] == ["Jl. Braga 12"]
