"""Error pages are friendly, translated and leak nothing."""

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from cocreate import urls as site_urls

pytestmark = pytest.mark.django_db


def exploding_view(request):
    secret = "ana@example.org"
    raise RuntimeError(f"database exploded while saving {secret}")


def ok_view(request):
    return HttpResponse("ok")


urlpatterns = [path("boom/", exploding_view), path("ok/", ok_view), *site_urls.urlpatterns]


def test_a_missing_page_is_a_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_the_404_page_speaks_indonesian(client):
    response = client.get("/no-such-page/", headers={"accept-language": "id"})
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_a_server_error_shows_no_traceback_and_no_personal_data(settings):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in body
    assert "ana@example.org" not in body
    assert "RuntimeError" not in body


def test_a_form_without_a_csrf_token_gets_a_friendly_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "id"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Form expired" in body
    assert "CSRF cookie not set" not in body


def test_pages_carry_the_security_headers(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "default-src 'self'" in policy
    assert "https://tile.openstreetmap.org" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
