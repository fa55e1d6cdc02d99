"""A phone number, email or identity number typed into any text appears on no public surface.

The author and staff still read what was written; everyone else reads the redacted text,
on every surface: REST API, Open311 (JSON and XML), the pages, the map layer, the
nearby-reports endpoint and the open datasets.
"""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.storage import default_storage
from django.test import Client

from citizens.actions import api_token_issue
from citizens.tests.two_factor import sign_in_with_totp
from opendata.builder import snapshot_build, snapshot_start
from proposals.models import Proposal
from services.models import Report
from services.tests.factories import CITY_LAT, CITY_LON, AttributeFactory, ServiceFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
]

PERSONAL = ["0812 34 56 78 90", "warga [at] example [dot] com", "3273010101010001", "ana.putri@example.co.id"]
TEXT = "Call 0812 34 56 78 90 or write warga [at] example [dot] com; NIK 3273010101010001, ana.putri@example.co.id"


@pytest.fixture(autouse=True)
def _storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OPENDATA_PUBLICATION_DELAY_HOURS = 0


@pytest.fixture
def published(citizen, other_citizen):
    """A report, a comment, a proposal and a proposal comment, each carrying every kind of personal data."""
    service = ServiceFactory(service_code="pothole", group="Roads")
    AttributeFactory(service=service, code="landmark", datatype="string", description="Landmark")
    author = Client()
    author.force_login(citizen)
    report = author.post(
        "/api/v1/reports/",
        {
            "service_code": "pothole",
            "lat": str(CITY_LAT),
            "lon": str(CITY_LON),
            "description": TEXT,
            "address": "Jl. Braga 12, ring 0812.3456.7890",
            "attributes": {"landmark": "ask warga at example dot com"},
        },
        content_type="application/json",
    )
    assert report.status_code == 201, report.content
    report_id = report.json()["id"]
    commenter = Client()
    commenter.force_login(other_citizen)
    comment = commenter.post(f"/api/v1/reports/{report_id}/comments/", {"body": TEXT}, content_type="application/json")
    assert comment.status_code == 201, comment.content
    proposal = author.post(
        "/api/v1/proposals/",
        {"title": "Benches, call +62 812-3456-7890", "summary": TEXT, "body": f"**Contact**: {TEXT}"},
        content_type="application/json",
    )
    assert proposal.status_code == 201, proposal.content
    proposal_id = proposal.json()["id"]
    reply = commenter.post(
        f"/api/v1/proposals/{proposal_id}/comments/", {"body": TEXT}, content_type="application/json"
    )
    assert reply.status_code == 201, reply.content
    return {"report": report_id, "proposal": proposal_id, "author": author}


ALL_PERSONAL = [*PERSONAL, "0812.3456.7890", "+62 812-3456-7890", "warga at example dot com"]


def public_surfaces(report: int, proposal: int) -> list[str]:
    return [
        "/api/v1/reports/",
        f"/api/v1/reports/{report}/",
        f"/api/v1/reports/{report}/comments/",
        "/api/v1/reports.geojson",
        "/api/v1/proposals/",
        f"/api/v1/proposals/{proposal}/",
        f"/api/v1/proposals/{proposal}/comments/",
        "/open311/v2/requests.json",
        "/open311/v2/requests.xml",
        f"/open311/v2/requests/{report}.json",
        f"/open311/v2/requests/{report}.xml",
        "/reports/",
        f"/reports/{report}/",
        "/proposals/",
        f"/proposals/{proposal}/",
        f"/report/pothole/nearby/?lat={CITY_LAT}&lon={CITY_LON}",
    ]


def test_personal_data_typed_anywhere_appears_on_no_public_surface(published):
    anonymous = Client()
    for url in public_surfaces(published["report"], published["proposal"]):
        response = anonymous.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "[redacted]" in body or url.endswith(".geojson"), url
        for secret in ALL_PERSONAL:
            assert secret not in body, f"{secret!r} published at {url}"


def test_personal_data_appears_in_no_dataset(published):
    snapshot = snapshot_build(snapshot_start())
    folder = snapshot.storage_prefix
    _dirs, names = default_storage.listdir(folder)
    assert names
    for name in names:
        with default_storage.open(folder + name, "rb") as handle:
            content = handle.read()
        for secret in ALL_PERSONAL:
            assert secret.encode() not in content, f"{secret!r} in {name}"


def test_the_author_still_reads_what_they_wrote(published):
    author = published["author"]
    report = author.get(f"/api/v1/reports/{published['report']}/").json()
    assert report["description"] == TEXT
    assert report["address"] == "Jl. Braga 12, ring 0812.3456.7890"
    assert report["attributes"] == {"landmark": "ask warga at example dot com"}
    assert "0812 34 56 78 90" in author.get(f"/reports/{published['report']}/").content.decode()
    proposal = author.get(f"/api/v1/proposals/{published['proposal']}/").json()
    assert proposal["title"] == "Benches, call +62 812-3456-7890"
    assert "3273010101010001" in proposal["body_html"]
    assert "+62 812-3456-7890" in author.get(f"/proposals/{published['proposal']}/").content.decode()


def test_stepped_up_staff_read_the_original_and_the_database_keeps_it(published, staff):
    client = Client()
    client.force_login(staff)  # a password alone: staff read what the public reads
    assert client.get(f"/api/v1/reports/{published['report']}/").json()["description"] != TEXT
    sign_in_with_totp(client, staff)
    assert client.get(f"/api/v1/reports/{published['report']}/").json()["description"] == TEXT
    assert Report.objects.get(pk=published["report"]).description == TEXT
    assert Proposal.objects.get(pk=published["proposal"]).summary == TEXT


def test_a_staff_token_made_after_totp_reads_the_original(published, staff):
    TOTP.activate(staff, generate_totp_secret())
    _token, key = api_token_issue(user=staff, for_staff=True)
    response = Client().get(f"/api/v1/reports/{published['report']}/", headers={"authorization": f"Token {key}"})
    assert response.json()["description"] == TEXT


def test_a_commenter_reads_their_own_comment_as_written_and_the_proposal_redacted(published, other_citizen):
    client = Client()
    client.force_login(other_citizen)
    page = client.get(f"/proposals/{published['proposal']}/").content.decode()
    assert "+62 812-3456-7890" not in page  # only in the proposal's title, by someone else
    assert "0812 34 56 78 90" in page  # in their own comment
