"""Staff powers need TOTP set up and a session that passed it; without, staff keep their citizen powers."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail

from citizens.tests.factories import PASSWORD
from citizens.tests.two_factor import current_code, sign_in_with_password_only
from services.models import ReportComment
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def change_status(client, report, **extra):
    return client.post(f"/reports/{report.pk}/status/", {"status": "acknowledged", "note": "Seen."}, **extra)


def test_staff_who_signed_in_with_password_and_code_change_a_status(client, staff):
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    report = ReportFactory()
    assert client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})["Location"] == (
        "/accounts/2fa/authenticate/"
    )
    client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})

    response = change_status(client, report)

    assert response["Location"] == report.get_absolute_url()
    report.refresh_from_db()
    assert report.status == "acknowledged"


def test_staff_with_totp_but_a_password_only_session_enter_the_code_again(client, staff):
    report = ReportFactory()
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    client.force_login(staff)
    page = f"http://testserver{report.get_absolute_url()}"

    response = change_status(client, report, HTTP_REFERER=page)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/?next=")
    report.refresh_from_db()
    assert report.status == "open"

    client.post(response["Location"], {"code": current_code(secret)})
    assert change_status(client, report)["Location"] == report.get_absolute_url()
    report.refresh_from_db()
    assert report.status == "acknowledged"


def test_staff_without_totp_keep_their_citizen_powers(client, staff):
    report = ReportFactory()
    sign_in_with_password_only(client, staff, totp=False)

    refused = change_status(client, report)
    commented = client.post(f"/reports/{report.pk}/comment/", {"body": "I saw it too."})

    assert refused["Location"].startswith("/accounts/2fa/totp/activate/")
    assert commented["Location"] == report.get_absolute_url()
    assert ReportComment.objects.get().author == staff
    report.refresh_from_db()
    assert report.status == "open"
    assert mail.outbox == []
