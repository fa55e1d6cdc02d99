"""Sign-up by email with mandatory verification, over HTTP."""

import re

import pytest
from django.core import mail

from citizens.models import User
from citizens.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def sign_up(client, **overrides):
    data = {
        "email": "Rina@Example.org",
        "display_name": "Rina",
        "password1": "a-very-long-password-7",
        "password2": "a-very-long-password-7",
        **overrides,
    }
    return client.post("/accounts/signup/", data)


def test_sign_up_sends_a_verification_email_and_blocks_login_until_verified(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get()
    assert user.email == "rina@example.org"
    assert user.display_name == "Rina"
    assert not user.has_verified_email()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rina@example.org"]

    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/login/", {"login": "rina@example.org", "password": "a-very-long-password-7"})
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session

    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[-1].body).group(1)
    client.post(link)
    user.refresh_from_db()
    assert user.has_verified_email()
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_form_with_bad_data_shows_errors_and_keeps_what_was_typed(client):
    response = sign_up(client, email="not-an-email", password2="something-else-entirely")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in body
    assert 'value="not-an-email"' in body
    assert 'value="Rina"' in body
    assert User.objects.count() == 0


def test_the_same_email_in_another_case_cannot_sign_up_twice(client):
    UserFactory(email="rina@example.org")
    sign_up(client, email="RINA@EXAMPLE.ORG")
    assert User.objects.filter(email__iexact="rina@example.org").count() == 1


def test_a_verified_citizen_logs_in_by_email_in_any_case(client, citizen):
    response = client.post("/accounts/login/", {"login": citizen.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_sign_up_remembers_the_language_it_happened_in(client):
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    sign_up(client)
    assert User.objects.get().preferred_language == "id"


def test_repeated_failed_logins_are_rate_limited(client, citizen):
    for _ in range(5):
        client.post("/accounts/login/", {"login": citizen.email, "password": "wrong-password"})
    response = client.post("/accounts/login/", {"login": citizen.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)
