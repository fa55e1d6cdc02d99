"""Open311 POSTs: limited per client key and per address; an untrusted key's reports wait for a moderator."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from citizens.tests.two_factor import sign_in_with_totp
from services.catalogue import catalogue_load
from services.models import Open311Client, Report, hash_api_key
from services.tests.test_open311_write import API_KEY, BASE, error_descriptions, pothole

pytestmark = pytest.mark.django_db

OTHER_KEY = "other-key-0123456789abcdefghijklmnopqrstuvwxyz"


@pytest.fixture
def catalogue(db):
    return catalogue_load()


def post(client, fmt="json", address="127.0.0.1", **params):
    return client.post(BASE + f"requests.{fmt}", params, REMOTE_ADDR=address)


def make_client(key: str, *, trusted: bool = False) -> Open311Client:
    return Open311Client.objects.create(
        name=f"App {key[:5]}", key_prefix=key[:8], key_hash=hash_api_key(key), trusted=trusted
    )


def test_a_key_over_its_rate_gets_a_429_with_retry_after_and_nothing_is_saved(client, catalogue, settings):
    settings.WRITE_RATES = {**settings.WRITE_RATES, "open311_key": "2/minute"}
    make_client(API_KEY)
    make_client(OTHER_KEY)
    assert [post(client, **pothole()).status_code for _ in range(2)] == [200, 200]

    refused = post(client, **pothole())
    (description,) = error_descriptions(refused, 429)
    assert description.startswith("Too many requests: wait ")
    assert int(refused["Retry-After"]) > 0
    assert Report.objects.count() == 2
    # Another client's key from the same address has its own budget.
    assert post(client, **pothole(api_key=OTHER_KEY)).status_code == 200


def test_one_address_is_limited_whatever_keys_it_uses(client, catalogue, settings):
    settings.WRITE_RATES = {**settings.WRITE_RATES, "address": "2/minute"}
    make_client(API_KEY)
    make_client(OTHER_KEY)
    assert post(client, **pothole()).status_code == 200
    assert post(client, **pothole(api_key=OTHER_KEY)).status_code == 200
    assert post(client, **pothole(api_key=OTHER_KEY)).status_code == 429
    refused_xml = post(client, fmt="xml", **pothole())
    assert refused_xml.status_code == 429
    assert b"<code>429</code>" in refused_xml.content
    # Another address is not held back.
    assert post(client, address="198.51.100.9", **pothole()).status_code == 200


def test_an_untrusted_keys_report_waits_for_a_moderator_like_a_new_accounts(client, catalogue, settings):
    settings.MODERATION_FIRST_CONTRIBUTIONS_PENDING = 2
    make_client(API_KEY)
    response = post(client, **pothole())
    assert response.status_code == 200
    assert response.json()[0]["service_notice"] == "Your request will be published once a moderator has checked it."
    report = Report.objects.get()
    assert not report.is_visible
    assert client.get(f"/open311/v2/requests/{report.pk}.json").status_code == 404


def test_a_trusted_keys_report_publishes_at_once(client, catalogue, settings):
    settings.MODERATION_FIRST_CONTRIBUTIONS_PENDING = 2
    make_client(API_KEY, trusted=True)
    assert post(client, **pothole()).status_code == 200
    assert Report.objects.get().is_visible


def test_the_key_command_makes_a_trusted_key_only_when_asked(db):
    call_command("create_open311_key", "City call centre", "--trusted", stdout=io.StringIO())
    call_command("create_open311_key", "Neighbourhood app", stdout=io.StringIO())
    assert dict(Open311Client.objects.values_list("name", "trusted")) == {
        "City call centre": True,
        "Neighbourhood app": False,
    }


def test_city_staff_mark_a_client_trusted_in_the_admin(client, staff):
    sign_in_with_totp(client, staff)
    api_client = make_client(API_KEY)
    page = client.get(f"/admin/services/open311client/{api_client.pk}/change/").content.decode()
    assert 'name="trusted"' in page
    response = client.post(
        f"/admin/services/open311client/{api_client.pk}/change/",
        {"name": api_client.name, "active": "on", "trusted": "on"},
    )
    assert response.status_code == 302
    api_client.refresh_from_db()
    assert api_client.trusted
