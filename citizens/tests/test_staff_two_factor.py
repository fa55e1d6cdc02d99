"""Staff and moderators set up TOTP before they reach the administration."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from citizens.tests.factories import PASSWORD
from citizens.tests.two_factor import sign_in_with_totp

pytestmark = pytest.mark.django_db


def enable_totp(user) -> None:
    TOTP.activate(user, generate_totp_secret())


@pytest.mark.parametrize("role", ["staff", "moderator"])
def test_staff_without_totp_are_sent_to_set_it_up(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate")


def test_staff_signed_in_with_their_code_reach_the_admin(client, staff):
    sign_in_with_totp(client, staff)
    assert client.get("/admin/").status_code == 200


def test_staff_with_totp_whose_session_skipped_the_code_are_asked_for_it(client, staff):
    enable_totp(staff)
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/reauthenticate/?next=%2Fadmin%2F"


def test_a_citizen_cannot_reach_the_admin(client, citizen):
    client.force_login(citizen)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()


def test_the_admin_login_is_allauths_so_totp_is_asked(client, staff):
    enable_totp(staff)
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    response = client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
