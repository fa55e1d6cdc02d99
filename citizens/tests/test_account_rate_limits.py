"""Log-in, sign-up and confirmation-mail limits: a guesser cannot lock the owner out, nor mail any address at will."""

import pytest
from django.core import mail

from citizens.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"
OWNER = "198.51.100.20"
TOO_MANY_ATTEMPTS = "Too many failed login attempts. Try again later."


def log_in(client, email, password, address):
    return client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=address)


def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out_from_another(client, citizen):
    for _ in range(6):
        log_in(client, citizen.email, "wrong-password", ATTACKER)
    # The guesser's own address is locked, even with the right password…
    refused = log_in(client, citizen.email, PASSWORD, ATTACKER)
    assert TOO_MANY_ATTEMPTS in refused.content.decode()
    assert "_auth_user_id" not in client.session

    # …while the owner, from their address, signs in.
    response = log_in(client, citizen.email, PASSWORD, OWNER)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(client, citizen, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for _ in range(6):
        client.post(
            "/accounts/login/",
            {"login": citizen.email, "password": "wrong-password"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=ATTACKER,
        )
    response = client.post(
        "/accounts/login/",
        {"login": citizen.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=OWNER,
    )
    assert response.status_code == 302


def sign_up(client, email, address):
    return client.post(
        "/accounts/signup/",
        {"email": email, "password1": "a-long-pass-phrase-9", "password2": "a-long-pass-phrase-9"},
        REMOTE_ADDR=address,
    )


def test_one_address_signs_up_a_limited_number_of_accounts_an_hour(
    client, settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "3/h/ip"}
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [sign_up(client, f"victim{n}@example.org", ATTACKER).status_code for n in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3
    assert "Too many requests" in sign_up(client, "victim9@example.org", ATTACKER).content.decode()
    assert sign_up(client, "neighbour@example.org", OWNER).status_code == 302


def test_confirmation_mail_to_one_address_is_limited_per_hour(client, settings, django_capture_on_commit_callbacks):
    # Without the cooldown, to see the hourly limit per address written to.
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "confirm_email": "3/h/key,10/h/ip"}
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, "victim@example.org", ATTACKER)
        client.logout()
        for _ in range(5):
            # Each log-in of the unconfirmed account asks for the confirmation mail again.
            log_in(client, "victim@example.org", "a-long-pass-phrase-9", ATTACKER)
    assert [message.to for message in mail.outbox] == [["victim@example.org"]] * 3


def test_the_default_limits_hold_a_cooldown_and_an_hourly_cap_per_address_written_to(settings):
    limits = settings.ACCOUNT_RATE_LIMITS
    assert limits["confirm_email"] == "1/3m/key,3/h/key,10/h/ip"
    assert limits["signup"] == "10/h/ip"
    assert limits["login_failed"] == "10/m/ip,5/5m/key"


def test_password_reset_mail_to_one_address_is_limited_per_hour(client, citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [
            client.post("/accounts/password/reset/", {"email": citizen.email}, REMOTE_ADDR=f"203.0.113.{n}").status_code
            for n in range(5)
        ]
    # Three an hour to one address, wherever the requests come from (PASSWORD_RESET_RATE_LIMIT).
    assert statuses == [302, 302, 302, 429, 429]
    assert [message.to for message in mail.outbox] == [[citizen.email]] * 3
