"""Reports: who reports, comments and follows, on the website and through the API, and who moves a
report through its statuses (city staff only: on the report's page, or in the admin with TOTP)."""

from __future__ import annotations

import pytest
from django.core import mail
from rest_framework.test import APIClient

from moderation.models import ActionKind, ModerationAction
from services.models import Follow, Report, ReportComment, ReportStatus, ReportUpdate
from services.tests.factories import CITY_LAT, CITY_LON, ServiceFactory
from tests.permissions import (
    ALLOWED,
    CONFIRM_AFTER,
    EMAIL_PAGE,
    WITH_TOTP,
    a_report,
    assert_refused_by_the_admin,
    assert_refused_by_the_api,
    assert_refused_on_the_site,
    assert_told,
    cells,
    sign_in,
)

pytestmark = pytest.mark.django_db

PROBLEM = {"lat": str(CITY_LAT), "lon": str(CITY_LON), "description": "Broken street lamp"}


# Reporting ------------------------------------------------------------------------------------------


@cells("report_web")
def test_report_a_problem_on_the_website(client, request, role, expected):
    service = ServiceFactory()
    user = sign_in(client, request, role)

    response = client.post(f"/report/{service.service_code}/", {**PROBLEM, "email": "visitor@example.org"})

    if expected == CONFIRM_AFTER:
        report = Report.objects.get()
        assert response["Location"] == "/report/sent/"
        assert report.reporter is None and not report.is_visible
        assert report.unconfirmed.email == "visitor@example.org"
    elif expected == ALLOWED:
        report = Report.objects.get()
        assert report.reporter == user
        assert_told(
            response,
            "Thank you. Your report is published and you will be told of every update.",
            at=report.get_absolute_url(),
        )
    else:
        assert_refused_on_the_site(
            response,
            expected,
            back=None,
            confirm_at=EMAIL_PAGE,
            confirm="Confirm your email address before you report a problem.",
        )
        assert not Report.objects.exists()


@cells("report_api")
def test_report_a_problem_through_the_api(request, role, expected):
    service = ServiceFactory()
    api = APIClient()
    user = sign_in(api, request, role)

    response = api.post("/api/v1/reports/", {"service_code": service.service_code, **PROBLEM}, format="json")

    if expected == ALLOWED:
        assert response.status_code == 201, response.content
        assert Report.objects.get(pk=response.json()["id"]).reporter == user
    else:
        assert_refused_by_the_api(response, expected)
        assert not Report.objects.exists()


# Commenting -----------------------------------------------------------------------------------------


@cells("comment_report_web")
def test_comment_on_a_report_on_the_website(client, request, role, expected):
    report = a_report()
    user = sign_in(client, request, role)

    response = client.post(f"/reports/{report.pk}/comment/", {"body": "Me too, every night."})

    if expected == ALLOWED:
        assert_told(response, "Your comment is published.", at=report.get_absolute_url())
        assert ReportComment.objects.get().author == user
    else:
        assert_refused_on_the_site(response, expected, back=report.get_absolute_url())
        assert not ReportComment.objects.exists()


@cells("comment_report_api")
def test_comment_on_a_report_through_the_api(request, role, expected):
    report = a_report()
    api = APIClient()
    user = sign_in(api, request, role)

    response = api.post(f"/api/v1/reports/{report.pk}/comments/", {"body": "Me too, every night."}, format="json")

    if expected == ALLOWED:
        assert response.status_code == 201, response.content
        assert ReportComment.objects.get().author == user
    else:
        assert_refused_by_the_api(response, expected)
        assert not ReportComment.objects.exists()


# Following ------------------------------------------------------------------------------------------


def followers_besides_the_reporter(report: Report):
    return Follow.objects.filter(report=report).exclude(user=report.reporter)


@cells("follow_report_web")
def test_follow_a_report_on_the_website(client, request, role, expected):
    report = a_report()
    user = sign_in(client, request, role)

    response = client.post(f"/reports/{report.pk}/follow/")

    if expected == ALLOWED:
        assert_told(
            response,
            "You follow this report: you will get an email for each update.",
            at=report.get_absolute_url(),
        )
        assert [follow.user for follow in followers_besides_the_reporter(report)] == [user]
    else:
        assert_refused_on_the_site(response, expected, back=report.get_absolute_url())
        assert not followers_besides_the_reporter(report).exists()


@cells("follow_report_api")
def test_follow_a_report_through_the_api(request, role, expected):
    report = a_report()
    api = APIClient()
    user = sign_in(api, request, role)

    response = api.post(f"/api/v1/reports/{report.pk}/follow/")

    if expected == ALLOWED:
        assert (response.status_code, response.json()) == (201, {"following": True})
        assert [follow.user for follow in followers_besides_the_reporter(report)] == [user]
    else:
        assert_refused_by_the_api(response, expected)
        assert not followers_besides_the_reporter(report).exists()


# Statuses -------------------------------------------------------------------------------------------


def assert_status_unchanged(report: Report, callbacks) -> None:
    report.refresh_from_db()
    assert report.status == ReportStatus.OPEN
    assert not ReportUpdate.objects.exists()
    assert not ModerationAction.objects.filter(action=ActionKind.STATUS_CHANGE).exists()
    assert callbacks == []
    assert mail.outbox == []


def assert_status_changed_and_reporter_told(report: Report, user, note: str) -> None:
    report.refresh_from_db()
    assert report.status == ReportStatus.ACKNOWLEDGED
    update = ReportUpdate.objects.get()
    assert (update.author, update.note) == (user, note)
    assert ModerationAction.objects.get(action=ActionKind.STATUS_CHANGE).actor == user
    assert [message.to for message in mail.outbox] == [[report.reporter.email]]


@cells("status_web")
def test_change_a_reports_status_on_its_page(client, request, role, expected, django_capture_on_commit_callbacks):
    report = a_report()
    user = sign_in(client, request, role, totp=True)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(f"/reports/{report.pk}/status/", {"status": ReportStatus.ACKNOWLEDGED, "note": "Seen."})

    if expected == WITH_TOTP:
        assert_told(response, "The status is changed and followers are told.", at=report.get_absolute_url())
        assert_status_changed_and_reporter_told(report, user, "Seen.")
    else:
        assert_refused_on_the_site(response, expected, back=report.get_absolute_url())
        assert_status_unchanged(report, callbacks)


@cells("status_api")
def test_change_a_reports_status_through_the_api(client, request, role, expected, django_capture_on_commit_callbacks):
    report = a_report()
    user = sign_in(client, request, role, totp=True)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            f"/api/v1/reports/{report.pk}/status/",
            {"status": ReportStatus.ACKNOWLEDGED, "note": "Seen."},
            content_type="application/json",
        )

    if expected == WITH_TOTP:
        assert (response.status_code, response.json()["status"]) == (200, ReportStatus.ACKNOWLEDGED)
        assert_status_changed_and_reporter_told(report, user, "Seen.")
    else:
        assert_refused_by_the_api(response, expected)
        assert_status_unchanged(report, callbacks)


@cells("status_admin")
def test_change_a_reports_status_in_the_admin(client, request, role, expected, django_capture_on_commit_callbacks):
    report = a_report()
    user = sign_in(client, request, role, totp=True)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            f"/admin/services/report/{report.pk}/change/",
            {"new_status": ReportStatus.ACKNOWLEDGED, "public_note": "Seen.", "_save": "1"},
            follow=True,
        )

    if expected == WITH_TOTP:
        assert response.redirect_chain == [("/admin/services/report/", 302)]
        assert_status_changed_and_reporter_told(report, user, "Seen.")
    else:
        assert_refused_by_the_admin(response, expected)
        assert_status_unchanged(report, callbacks)
