"""Reading is for everyone, signed in or not: the pages, the API's and Open311's reads, the open data files."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from opendata.builder import snapshot_build, snapshot_start
from tests.permissions import ALLOWED, a_proposal, a_report, cells, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_data(settings, tmp_path):
    """Files in a fresh folder; content is published at once."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OPENDATA_PUBLICATION_DELAY_HOURS = 0


@cells("read_pages")
def test_view_the_public_pages(client, request, role, expected):
    report = a_report()
    proposal = a_proposal()
    sign_in(client, request, role)

    pages = {
        "/": "",
        "/reports/": "",
        "/reports/map/": "",
        f"/reports/{report.pk}/": report.description,
        "/proposals/": proposal.title,
        f"/proposals/{proposal.pk}/": proposal.title,
        "/data/": "",
        "/moderation/": "",
    }

    assert expected == ALLOWED
    for url, text in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url


@cells("read_api")
def test_read_the_rest_api_and_open311(request, role, expected):
    report = a_report()
    proposal = a_proposal()
    api = APIClient()
    sign_in(api, request, role)

    answers = {
        "/api/v1/services/": None,
        "/api/v1/reports/": None,
        f"/api/v1/reports/{report.pk}/": report.pk,
        "/api/v1/reports.geojson": None,
        f"/api/v1/reports/{report.pk}/comments/": None,
        "/api/v1/proposals/": None,
        f"/api/v1/proposals/{proposal.pk}/": proposal.pk,
        f"/api/v1/proposals/{proposal.pk}/comments/": None,
        "/api/v1/datasets/": None,
        "/open311/v2/services.json": None,
        f"/open311/v2/requests/{report.pk}.json": None,
    }

    assert expected == ALLOWED
    for url, number in answers.items():
        response = api.get(url)
        assert response.status_code == 200, url
        if number is not None:
            assert response.json()["id"] == number


@cells("download_open_data")
def test_download_open_data(client, request, role, expected, open_data):
    report = a_report()
    snapshot_build(snapshot_start())
    sign_in(client, request, role)

    csv = client.get("/data/latest/reports.csv")
    package = client.get("/data/datapackage.json")

    assert expected == ALLOWED
    assert csv.status_code == 200
    assert csv["Content-Disposition"] == 'attachment; filename="reports.csv"'
    rows = b"".join(csv.streaming_content).decode().splitlines()
    assert rows[1].startswith(f"{report.pk},")
    assert package.status_code == 200
    assert "reports-csv" in [resource["name"] for resource in package.json()["resources"]]
