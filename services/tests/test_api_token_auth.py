"""API clients authenticate with `Authorization: Token <key>`, no session or CSRF token needed."""

import pytest
from django.test import Client

from citizens.actions import api_token_issue
from services.models import Follow, Report
from services.tests.factories import CITY_LAT, CITY_LON, ReportFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def csrf_client():
    """A client that enforces CSRF, as a browser-less API client meets it."""
    return Client(enforce_csrf_checks=True)


def test_a_token_lets_a_citizen_report_without_a_session(csrf_client, citizen):
    service = ServiceFactory()
    _token, key = api_token_issue(user=citizen, for_staff=False)
    response = csrf_client.post(
        "/api/v1/reports/",
        {"service_code": service.service_code, "lat": CITY_LAT, "lon": CITY_LON},
        headers={"authorization": f"Token {key}"},
    )
    assert response.status_code == 201, response.content
    assert Report.objects.get().reporter == citizen


def test_a_wrong_token_is_refused(csrf_client):
    report = ReportFactory()
    response = csrf_client.post(f"/api/v1/reports/{report.pk}/follow/", headers={"authorization": "Token nope"})
    # 403 rather than 401: session authentication comes first and sends no WWW-Authenticate challenge.
    assert response.status_code == 403
    assert response.json() == {"detail": "Invalid token."}
    assert not Follow.objects.exists()


def test_a_revoked_token_no_longer_works(csrf_client, citizen):
    report = ReportFactory()
    token, key = api_token_issue(user=citizen, for_staff=False)
    token.delete()
    response = csrf_client.post(f"/api/v1/reports/{report.pk}/follow/", headers={"authorization": f"Token {key}"})
    assert response.status_code == 403
    assert response.json() == {"detail": "Invalid token."}


def test_a_session_write_without_a_csrf_token_is_refused(csrf_client, citizen):
    report = ReportFactory()
    csrf_client.force_login(citizen)
    response = csrf_client.post(f"/api/v1/reports/{report.pk}/follow/")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Follow.objects.exists()
