"""The header and footer are kept per kind of reader, yet each page's header is its reader's own:
their links, their CSRF token, the page the language menu comes back to."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LOGOUT_TOKEN = re.compile(
    r'<form method="post" action="/accounts/logout/" class="inline-form">\s*'
    r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">'
)


def test_each_reader_gets_the_links_of_their_kind(client, citizen, staff):
    assert "Log in" in client.get("/privacy/").content.decode()
    client.force_login(citizen)
    page = client.get("/privacy/").content.decode()
    assert "My account" in page and "Administration" not in page and "Log in" not in page
    client.force_login(staff)
    assert "Administration" in client.get("/privacy/").content.decode()
    client.logout()
    assert "My account" not in client.get("/privacy/").content.decode()


def test_the_log_out_form_carries_the_readers_own_token(citizen, other_citizen):
    other = Client(enforce_csrf_checks=True)  # someone else's header is kept first
    other.force_login(other_citizen)
    other.get("/privacy/")

    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    token = LOGOUT_TOKEN.search(client.get("/privacy/").content.decode()).group(1)
    assert client.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert "Log in" in client.get("/privacy/").content.decode()


def test_the_language_menu_comes_back_to_the_page_it_is_on(client):
    client.get("/proposals/")
    page = client.get("/proposals/", {"sort": "newest", "page": "2"}).content.decode()
    assert '<input type="hidden" name="next" value="/proposals/?sort=newest&amp;page=2">' in page


def test_the_header_speaks_the_readers_language(client):
    client.get("/privacy/", headers={"accept-language": "en"})
    page = client.get("/privacy/", headers={"accept-language": "id"}).content.decode()
    assert "Laporkan masalah" in page and "Report a problem" not in page
