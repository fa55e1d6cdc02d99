"""The administration and the keys: who reaches /admin/ (staff and moderators, with TOTP), who keeps
the catalogue and builds the datasets (city staff), what an Open311 client's api_key and a
person's API token allow."""

from __future__ import annotations

import pytest
from django.utils.http import urlencode
from rest_framework.test import APIClient

from citizens.models import ApiToken, hash_token_key
from opendata.models import Snapshot
from proposals.models import ProposalStatus
from services.models import Open311Client, Report, ReportComment, ReportStatus, Service, hash_api_key
from services.tests.factories import CITY_LAT, CITY_LON, ServiceFactory
from tests.permissions import (
    ALLOWED,
    CITY_STAFF,
    LOG_IN,
    MODERATOR,
    NEEDS_API_KEY,
    SET_UP_TOTP,
    STEP_UP_NOTICE,
    WITH_TOTP,
    a_proposal,
    a_report,
    assert_refused_by_the_admin,
    assert_refused_by_the_api,
    assert_refused_on_the_site,
    assert_sent_to_log_in,
    assert_told,
    cells,
    notices,
    sign_in,
)

pytestmark = pytest.mark.django_db

API_KEY = "permission-matrix-key-0123456789abcdefghij"


# The admin ------------------------------------------------------------------------------------------


@cells("admin_with_totp")
def test_open_the_admin_with_totp_set_up(client, request, role, expected):
    sign_in(client, request, role, totp=True)

    response = client.get("/admin/", follow=True)

    if expected == WITH_TOTP:
        assert (response.status_code, response.redirect_chain) == (200, [])
        page = response.content.decode()
        # Each sees the sections of their role only.
        assert ('href="/admin/moderation/queueitem/"' in page) is (role == MODERATOR)
        assert ('href="/admin/services/service/"' in page) is (role == CITY_STAFF)
    else:
        assert_refused_by_the_admin(response, expected)


@cells("admin_without_totp")
def test_open_the_admin_without_totp(client, request, role, expected):
    sign_in(client, request, role)

    response = client.get("/admin/", follow=True)

    assert_refused_by_the_admin(response, expected)


@cells("service_catalogue")
def test_manage_the_service_catalogue(client, request, role, expected):
    sign_in(client, request, role, totp=True)
    service = {
        "service_code": "street-light-out",
        "name_en": "Street light out",
        "group_en": "Lighting",
        "order": "0",
        "active": "on",
        "type": Service.Type.REALTIME,
        "location_precision": Service.Precision.EXACT,
        "response_days": "7",
        "attributes-TOTAL_FORMS": "0",
        "attributes-INITIAL_FORMS": "0",
        "_save": "1",
    }

    response = client.post("/admin/services/service/add/", service, follow=True)

    if expected == WITH_TOTP:
        assert response.redirect_chain == [("/admin/services/service/", 302)]
        assert Service.objects.get().name == "Street light out"
    else:
        assert_refused_by_the_admin(response, expected)
        assert not Service.objects.exists()


# Open data ------------------------------------------------------------------------------------------


@cells("build_datasets")
def test_build_the_open_datasets(
    client, request, role, expected, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OPENDATA_PUBLICATION_DELAY_HOURS = 0
    a_report()
    sign_in(client, request, role, totp=True)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/data/build/")

    if expected == WITH_TOTP:
        assert_told(response, "The datasets are being built. Their progress is shown below.", at="/data/#build")
        snapshot = Snapshot.objects.get()
        assert (snapshot.status, snapshot.requested_by_role) == (Snapshot.Status.SUCCEEDED, "city")
        assert snapshot.files.get(dataset="reports", format="csv").rows == 1
    else:
        assert_refused_on_the_site(response, expected, back="/data/")
        assert not Snapshot.objects.exists()
        assert callbacks == []


# Open311 --------------------------------------------------------------------------------------------


def open311_post(client, **extra):
    service = ServiceFactory()
    fields = {"service_code": service.service_code, "lat": str(CITY_LAT), "long": str(CITY_LON), **extra}
    return client.post("/open311/v2/requests.json", fields)


@cells("open311_post")
def test_an_open311_post_needs_a_clients_api_key_whoever_is_signed_in(client, request, role, expected):
    sign_in(client, request, role)

    response = open311_post(client, description="Broken kerb")

    assert expected == NEEDS_API_KEY
    assert response.status_code == 403
    assert response.json() == [{"code": 403, "description": "api_key was not provided."}]
    assert not Report.objects.exists()


def test_an_open311_post_with_a_wrong_api_key_is_refused(client):
    Open311Client.objects.create(name="Lapor App", key_prefix=API_KEY[:8], key_hash=hash_api_key(API_KEY))

    response = open311_post(client, api_key="not-" + API_KEY)

    assert response.status_code == 403
    assert response.json() == [{"code": 403, "description": "api_key is invalid."}]
    assert not Report.objects.exists()


def test_an_open311_post_with_a_clients_api_key_is_a_report_of_that_client(client):
    lapor = Open311Client.objects.create(name="Lapor App", key_prefix=API_KEY[:8], key_hash=hash_api_key(API_KEY))

    response = open311_post(client, api_key=API_KEY, description="Broken kerb")

    assert response.status_code == 200, response.content
    (created,) = response.json()
    report = Report.objects.get(pk=int(created["service_request_id"]))
    assert (report.open311_client, report.reporter) == (lapor, None)


# Staff powers without TOTP -------------------------------------------------------------------------


@cells("staff_power_without_totp")
def test_staff_powers_on_the_site_without_totp(client, request, role, expected, django_capture_on_commit_callbacks):
    report = a_report()
    proposal = a_proposal()
    sign_in(client, request, role)
    attempts = [
        (f"/reports/{report.pk}/status/", {"status": ReportStatus.ACKNOWLEDGED}, report.get_absolute_url()),
        (f"/proposals/{proposal.pk}/answer/", {"status": ProposalStatus.ACCEPTED, "answer": "Yes."}, "/"),
        ("/data/build/", {}, "/"),
    ]
    for url, data, back in attempts:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = client.post(url, data, HTTP_REFERER=f"http://testserver{back}")
        if expected == SET_UP_TOTP:
            # Sent to set TOTP up, to come back to the page of the form; the citizen powers stay.
            assert response.status_code == 302
            assert (
                response["Location"]
                == f"/accounts/2fa/totp/activate/?{urlencode({'next': f'http://testserver{back}'})}"
            )
            assert STEP_UP_NOTICE in notices(response)
        else:
            assert_refused_on_the_site(response, expected, back=back)
        assert callbacks == []
    report.refresh_from_db()
    assert report.status == ReportStatus.OPEN
    assert not Snapshot.objects.exists()


# API tokens -----------------------------------------------------------------------------------------


@cells("api_token")
def test_create_an_api_token_and_write_with_it(client, request, role, expected):
    report = a_report()
    # Staff accounts make theirs after TOTP (test_api_tokens.py shows the refusal without it).
    user = sign_in(client, request, role, totp=expected == WITH_TOTP)

    response = client.post("/accounts/api-token/")

    if expected == LOG_IN:
        assert_sent_to_log_in(response)
        assert not ApiToken.objects.exists()
        return
    # Anyone signed in gets a token; what it may write follows the same rule as the website.
    (shown,) = notices(response)
    key = shown.removeprefix("Your new API token is ").split(".", 1)[0]
    assert ApiToken.objects.get(user=user).key_hash == hash_token_key(key)
    assert_told(
        response,
        f"Your new API token is {key}. Copy it now: it will not be shown again. Any older token stopped working.",
        at="/accounts/profile/",
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    written = api.post(f"/api/v1/reports/{report.pk}/comments/", {"body": "Still there."}, format="json")
    if expected in (ALLOWED, WITH_TOTP):
        assert written.status_code == 201, written.content
        assert ReportComment.objects.get().author == user
    else:
        assert_refused_by_the_api(written, expected)
        assert not ReportComment.objects.exists()
