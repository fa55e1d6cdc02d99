"""Every write path is limited: the site's forms answer a friendly 429 page, sharing the API's budget;
with Redis down the limits count in the process instead of failing the request."""

from __future__ import annotations

import pytest
from django.test import override_settings

from cocreate.limits import WARNING_INTERVAL, CountersCache
from proposals.models import Proposal, Support
from proposals.tests.factories import ProposalFactory
from services.models import Follow, ReportComment
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: every Redis call fails with a ConnectionError, as when Redis is down.
REDIS_DOWN = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "limits": {"BACKEND": "cocreate.limits.CountersCache", "LOCATION": "redis://127.0.0.1:1/0"},
}


@pytest.fixture
def rates(settings):
    def set_rates(user: str = "100/minute", address: str = "300/minute") -> None:
        settings.WRITE_RATES = {**settings.WRITE_RATES, "user": user, "address": address}

    return set_rates


def test_a_citizen_over_the_write_rate_gets_a_friendly_429_page_and_nothing_is_saved(client, citizen, rates):
    rates(user="2/minute")
    report = ReportFactory()
    client.force_login(citizen)
    statuses = [client.post(f"/reports/{report.pk}/comment/", {"body": f"Comment {n}"}).status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    refused = client.post(f"/reports/{report.pk}/comment/", {"body": "Once more"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    page = refused.content.decode()
    assert "Too many requests" in page
    assert "Nothing was saved this time" in page
    assert ReportComment.objects.count() == 2


@pytest.mark.parametrize(
    ("path", "data", "stored"),
    [
        ("/proposals/new/", {"title": "Benches at the bus stop", "body": "Two benches, please."}, Proposal),
        ("/proposals/{proposal}/support/", {}, Support),
        ("/reports/{report}/follow/", {}, Follow),
    ],
    ids=["propose", "support", "follow"],
)
def test_every_form_counts_against_the_budget(client, citizen, rates, path, data, stored):
    rates(user="1/minute")
    report, proposal = ReportFactory(), ProposalFactory()
    client.force_login(citizen)
    client.post(f"/reports/{report.pk}/comment/", {"body": "First write"})
    before = stored.objects.count()
    response = client.post(path.format(report=report.pk, proposal=proposal.pk), data)
    assert response.status_code == 429
    assert stored.objects.count() == before


def test_the_site_and_the_api_share_one_budget(client, citizen, rates):
    rates(user="2/minute")
    report = ReportFactory()
    client.force_login(citizen)
    assert client.post(f"/reports/{report.pk}/comment/", {"body": "From the page"}).status_code == 302
    api = f"/api/v1/reports/{report.pk}/comments/"
    assert client.post(api, {"body": "From the API"}, content_type="application/json").status_code == 201
    refused = client.post(api, {"body": "Once more"}, content_type="application/json")
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("Request was throttled.")
    assert int(refused["Retry-After"]) > 0


def test_the_address_limit_counts_every_account_behind_one_address(client, citizen, other_citizen, rates):
    rates(address="2/minute")
    report = ReportFactory()
    for person in (citizen, other_citizen):
        client.force_login(person)
        assert client.post(f"/reports/{report.pk}/comment/", {"body": "Seen"}).status_code == 302
    assert client.post(f"/reports/{report.pk}/comment/", {"body": "Seen"}).status_code == 429
    assert (
        client.post(f"/reports/{report.pk}/comment/", {"body": "Seen"}, REMOTE_ADDR="198.51.100.4").status_code == 302
    )


def test_with_redis_down_the_limits_count_in_the_process_and_no_request_fails(
    client, citizen, rates, caplog, monkeypatch
):
    monkeypatch.setattr(CountersCache, "_warned_at", -WARNING_INTERVAL)
    rates(user="2/minute")
    report = ReportFactory()
    with override_settings(CACHES=REDIS_DOWN):
        client.force_login(citizen)
        api = f"/api/v1/reports/{report.pk}/comments/"
        statuses = [client.post(api, {"body": "Hello"}, content_type="application/json").status_code for _ in range(3)]
        page = client.post(f"/reports/{report.pk}/comment/", {"body": "From the page"})
    assert statuses == [201, 201, 429]
    assert page.status_code == 429
    assert ReportComment.objects.count() == 2
    assert "Redis is unreachable: rate limits count in this process until it is back." in caplog.text
