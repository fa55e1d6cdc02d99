"""API writes are rate-limited per person and per address; reads are not."""

import pytest

from services.models import Follow
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    def set_rates(user: str, address: str) -> None:
        settings.WRITE_RATES = {**settings.WRITE_RATES, "user": user, "address": address}

    return set_rates


def test_a_person_over_their_write_rate_gets_a_429_with_retry_after(client, citizen, rates):
    rates(user="2/minute", address="300/minute")
    report = ReportFactory()
    client.force_login(citizen)
    statuses = [client.post(f"/api/v1/reports/{report.pk}/follow/").status_code for _ in range(3)]
    assert statuses == [201, 200, 429]
    response = client.delete(f"/api/v1/reports/{report.pk}/follow/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert Follow.objects.filter(user=citizen).exists()


def test_the_person_limit_is_per_person_not_per_address(client, citizen, other_citizen, rates):
    rates(user="1/minute", address="300/minute")
    report = ReportFactory()
    client.force_login(citizen)
    assert client.post(f"/api/v1/reports/{report.pk}/follow/").status_code == 201
    assert client.post(f"/api/v1/reports/{report.pk}/follow/").status_code == 429
    client.force_login(other_citizen)
    assert client.post(f"/api/v1/reports/{report.pk}/follow/").status_code == 201


def test_the_address_limit_counts_every_person_behind_one_address(client, citizen, other_citizen, rates):
    rates(user="100/minute", address="2/minute")
    report = ReportFactory()
    client.force_login(citizen)
    assert client.post(f"/api/v1/reports/{report.pk}/follow/").status_code == 201
    assert client.post(f"/api/v1/reports/{report.pk}/follow/").status_code == 200
    client.force_login(other_citizen)
    assert client.post(f"/api/v1/reports/{report.pk}/follow/").status_code == 429


def test_reads_are_not_limited(client, citizen, rates):
    rates(user="1/minute", address="1/minute")
    report = ReportFactory()
    client.force_login(citizen)
    for _ in range(5):
        assert client.get("/api/v1/reports/").status_code == 200
        assert client.get(f"/api/v1/reports/{report.pk}/").status_code == 200
        assert client.get("/api/v1/reports.geojson").status_code == 200
    assert client.post(f"/api/v1/reports/{report.pk}/follow/").status_code == 201
