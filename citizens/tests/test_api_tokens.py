"""A citizen creates, replaces and revokes their API token from the account page."""

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def shown_messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_account_page_offers_to_create_a_token(client, citizen):
    client.force_login(citizen)
    page = client.get("/accounts/profile/").content.decode()
    assert "API token" in page
    assert 'action="/accounts/api-token/"' in page
    assert "/accounts/api-token/revoke/" not in page


def test_a_citizen_creates_a_token_and_sees_it_once(client, citizen):
    client.force_login(citizen)
    response = client.post("/accounts/api-token/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    token = Token.objects.get(user=citizen)
    assert any(token.key in message for message in shown_messages(response))
    assert token.key in client.get("/accounts/profile/").content.decode()
    page_after = client.get("/accounts/profile/").content.decode()
    assert token.key not in page_after
    assert "/accounts/api-token/revoke/" in page_after


def test_creating_again_replaces_the_old_token(client, citizen):
    old = Token.objects.create(user=citizen)
    client.force_login(citizen)
    client.post("/accounts/api-token/")
    new = Token.objects.get(user=citizen)
    assert new.key != old.key


def test_a_citizen_revokes_their_token(client, citizen, other_citizen):
    Token.objects.create(user=citizen)
    Token.objects.create(user=other_citizen)
    client.force_login(citizen)
    response = client.post("/accounts/api-token/revoke/")
    assert response.status_code == 302
    assert not Token.objects.filter(user=citizen).exists()
    assert Token.objects.filter(user=other_citizen).exists()


def test_the_token_pages_take_only_posts_from_signed_in_people(client, citizen):
    response = client.post("/accounts/api-token/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.post("/accounts/api-token/revoke/")["Location"].startswith("/accounts/login/")
    client.force_login(citizen)
    assert client.get("/accounts/api-token/").status_code == 405
    assert client.get("/accounts/api-token/revoke/").status_code == 405
    assert not Token.objects.exists()


def test_the_token_forms_need_a_csrf_token(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    assert client.post("/accounts/api-token/").status_code == 403
    assert not Token.objects.exists()


def test_an_administrator_creates_a_token_for_an_email_with_the_drf_command(citizen, capsys):
    call_command("drf_create_token", citizen.email)
    token = Token.objects.get(user=citizen)
    assert token.key in capsys.readouterr().out
