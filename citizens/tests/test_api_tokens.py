"""API tokens: made, replaced and revoked on the account page; staff tokens only after TOTP, and they expire."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from citizens.actions import api_token_issue
from citizens.models import ApiToken, hash_token_key
from citizens.tests.two_factor import sign_in_with_password_only, sign_in_with_totp
from services.models import Follow
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def shown_messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def key_shown(response) -> str:
    (message,) = [text for text in shown_messages(response) if text.startswith("Your new API token is ")]
    return message.removeprefix("Your new API token is ").split(".", 1)[0]


def follow_with(key: str, report):
    return Client(enforce_csrf_checks=True).post(
        f"/api/v1/reports/{report.pk}/follow/", headers={"authorization": f"Token {key}"}
    )


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
    key = key_shown(response)
    token = ApiToken.objects.get(user=citizen)
    # Only the hash is kept; a citizen's token does not expire.
    assert (token.key_hash, token.expires_at, token.for_staff) == (hash_token_key(key), None, False)
    assert key in client.get("/accounts/profile/").content.decode()
    page_after = client.get("/accounts/profile/").content.decode()
    assert key not in page_after
    assert "/accounts/api-token/revoke/" in page_after
    assert follow_with(key, ReportFactory()).status_code == 201


def test_creating_again_replaces_the_old_token(client, citizen):
    _old, old_key = api_token_issue(user=citizen, for_staff=False)
    client.force_login(citizen)
    new_key = key_shown(client.post("/accounts/api-token/"))
    assert new_key != old_key
    report = ReportFactory()
    assert follow_with(old_key, report).status_code == 403
    assert follow_with(new_key, report).status_code == 201


def test_a_citizen_revokes_their_token(client, citizen, other_citizen):
    _token, key = api_token_issue(user=citizen, for_staff=False)
    api_token_issue(user=other_citizen, for_staff=False)
    client.force_login(citizen)
    response = client.post("/accounts/api-token/revoke/")
    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=citizen).exists()
    assert ApiToken.objects.filter(user=other_citizen).exists()
    assert follow_with(key, ReportFactory()).json() == {"detail": "Invalid token."}


def test_the_token_pages_take_only_posts_from_signed_in_people(client, citizen):
    response = client.post("/accounts/api-token/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.post("/accounts/api-token/revoke/")["Location"].startswith("/accounts/login/")
    client.force_login(citizen)
    assert client.get("/accounts/api-token/").status_code == 405
    assert client.get("/accounts/api-token/revoke/").status_code == 405
    assert not ApiToken.objects.exists()


def test_the_token_forms_need_a_csrf_token(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    assert client.post("/accounts/api-token/").status_code == 403
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("totp", [False, True])
def test_staff_make_a_token_only_in_a_session_that_passed_totp(client, staff, totp):
    sign_in_with_password_only(client, staff, totp=totp)
    response = client.post("/accounts/api-token/", HTTP_REFERER="http://testserver/accounts/profile/")
    expected = "/accounts/2fa/reauthenticate/" if totp else "/accounts/2fa/totp/activate/"
    assert response["Location"].startswith(expected)
    assert "Staff powers need two-factor authentication" in shown_messages(response)[0]
    assert not ApiToken.objects.exists()


def test_a_staff_token_expires_and_the_account_page_lists_its_dates(client, staff, settings):
    settings.STAFF_API_TOKEN_DAYS = 30
    sign_in_with_totp(client, staff)
    key = key_shown(client.post("/accounts/api-token/"))
    token = ApiToken.objects.get(user=staff)
    assert token.for_staff
    assert abs(token.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    page = client.get("/accounts/profile/").content.decode()
    assert "it expires after 30 days" in page
    assert "Last used" in page and "Never" in page

    report = ReportFactory()
    assert follow_with(key, report).status_code == 201
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = follow_with(key, report)
    assert response.status_code == 403
    assert response.json() == {"detail": "This token has expired: make a new one on your account page."}
    assert "(expired)" in client.get("/accounts/profile/").content.decode()


def test_the_last_use_is_written_at_most_once_a_minute(citizen):
    token, key = api_token_issue(user=citizen, for_staff=False)
    report = ReportFactory()
    follow_with(key, report)
    first_use = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first_use is not None
    follow_with(key, report)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first_use
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first_use - timedelta(seconds=61))
    follow_with(key, report)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first_use
    assert Follow.objects.filter(user=citizen).exists()


def test_an_administrator_makes_a_citizen_power_token_on_the_command_line(citizen, staff, capsys):
    call_command("create_api_token", citizen.email)
    key = capsys.readouterr().out.strip()
    assert ApiToken.objects.get(user=citizen).key_hash == hash_token_key(key)
    call_command("create_api_token", staff.email)
    staff_token = ApiToken.objects.get(user=staff)
    # Not made after TOTP: it acts as a citizen, and, the account being staff, it expires.
    assert not staff_token.for_staff
    assert staff_token.expires_at is not None
