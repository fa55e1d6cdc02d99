"""A database or Redis that is down: clear 503s with Retry-After, and Redis down degrades."""

import socket

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import Client

from citizens.actions import api_token_issue
from citizens.tests.factories import PASSWORD
from cocreate.cache import CacheUnavailable
from services.models import Report
from services.tests.factories import CITY_LAT, CITY_LON, ServiceFactory

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_down(execute, sql, params, many, context):
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


@pytest.fixture
def redis_down(settings):
    """The cache points at a port where no Redis listens."""
    url = f"redis://127.0.0.1:{closed_port()}/0"
    options = {"socket_connect_timeout": 1, "socket_timeout": 1}
    settings.CACHES = {
        "default": {"BACKEND": "cocreate.cache.TolerantRedisCache", "LOCATION": url, "OPTIONS": options},
        "limits": {"BACKEND": "cocreate.limits.CountersCache", "LOCATION": url, "OPTIONS": options},
    }
    settings.REDIS_URL = url


def test_the_api_answers_a_json_503_with_retry_after_when_the_database_is_down(anonymous):
    with connection.execute_wrapper(database_down):
        response = anonymous.get("/api/v1/reports/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"] == "application/json"
    assert "temporarily unavailable" in response.json()["detail"]


def test_open311_answers_its_error_list_in_json_and_in_xml(anonymous):
    with connection.execute_wrapper(database_down):
        as_json = anonymous.get("/open311/v2/requests.json")
        as_xml = anonymous.get("/open311/v2/services.xml")
    assert (as_json.status_code, as_xml.status_code) == (503, 503)
    assert as_json.json()[0]["code"] == 503
    assert as_xml["Content-Type"].startswith("text/xml")
    body = as_xml.content.decode()
    assert body.startswith("<?xml") and "<errors><error><code>503</code>" in body
    assert as_xml["Retry-After"] == "30"


def test_a_page_answers_a_friendly_html_503_in_the_readers_language(anonymous):
    with connection.execute_wrapper(database_down):
        response = anonymous.get("/reports/", headers={"accept-language": "id"})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("text/html")
    assert "Sementara tidak tersedia" in response.content.decode()
    assert "Connection refused" not in response.content.decode()


def test_the_cache_misses_instead_of_failing_while_redis_is_down(redis_down):
    cache.set("answer", 42)
    assert cache.get("answer", "missing") == "missing"
    assert cache.get_many(["answer"]) == {}
    assert cache.delete("answer") is False
    # A lock taken with add does not block the request; incr cannot pretend.
    assert cache.add("lock", True, 10) is True
    with pytest.raises(CacheUnavailable):
        cache.incr("counter")


def test_log_in_works_while_redis_is_down(redis_down, anonymous, citizen):
    response = anonymous.post("/accounts/login/", {"login": citizen.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in anonymous.session


def test_an_api_write_works_while_redis_is_down(redis_down, anonymous, citizen):
    service = ServiceFactory()
    _token, key = api_token_issue(user=citizen, for_staff=False)
    response = anonymous.post(
        "/api/v1/reports/",
        {"service_code": service.service_code, "lat": str(CITY_LAT), "lon": str(CITY_LON), "description": "Pothole"},
        headers={"authorization": f"Token {key}"},
    )
    assert response.status_code == 201, response.content
    assert Report.objects.filter(pk=response.json()["id"]).exists()


def test_healthz_reports_redis_down_and_the_site_keeps_serving(redis_down, anonymous):
    health = anonymous.get("/healthz")
    assert health.json()["checks"]["redis"] == "unreachable"
    assert anonymous.get("/reports/").status_code == 200
