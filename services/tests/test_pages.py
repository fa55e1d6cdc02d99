"""The report pages over HTTP: lists, filters, the report page, follow, comment, status and unsubscribe."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from citizens.tests.factories import UserFactory
from citizens.tests.two_factor import sign_in_with_totp
from moderation.models import ModerationState
from services import actions
from services.models import Follow, Report, ReportComment, ReportStatus
from services.notifications import unfollow_token
from services.tests.factories import CITY_LAT, CITY_LON, ReportFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def test_the_service_picker_searches_by_keyword(client):
    ServiceFactory(name="Pothole", keywords="road, hole")
    ServiceFactory(name="Streetlight out", keywords="lamp")
    body = client.get("/report/", {"q": "hole"}).content.decode()
    assert "Pothole" in body and "Streetlight out" not in body


def test_the_report_form_needs_a_verified_email(client):
    service = ServiceFactory()
    unverified = UserFactory(verified=False)
    client.force_login(unverified)
    response = client.get(f"/report/{service.service_code}/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/email/"


def test_a_report_form_with_errors_keeps_what_was_typed(client, citizen):
    service = ServiceFactory()
    client.force_login(citizen)
    response = client.post(
        f"/report/{service.service_code}/", {"lat": "-6.2", "lon": "106.8", "description": "Big hole near the market"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "outside the city" in body
    assert "Big hole near the market" in body
    assert Report.objects.count() == 0


def test_a_report_is_filed_without_javascript_from_typed_coordinates(client, citizen):
    service = ServiceFactory()
    client.force_login(citizen)
    response = client.post(
        f"/report/{service.service_code}/",
        {"lat": str(CITY_LAT), "lon": str(CITY_LON), "description": "<b>bold</b> claim"},
    )
    report = Report.objects.get()
    assert response["Location"] == f"/reports/{report.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt; claim" in page
    assert "<b>bold</b>" not in page


def test_the_list_filters_by_service_status_and_date(client):
    pothole, light = ServiceFactory(name="Pothole"), ServiceFactory(name="Streetlight")
    ReportFactory(service=pothole, description="first hole")
    ReportFactory(service=light, description="dark street", status=ReportStatus.RESOLVED)
    ReportFactory(service=pothole, description="old hole", created_at=timezone.now() - timedelta(days=40))
    since = (timezone.now() - timedelta(days=7)).date().isoformat()
    body = client.get("/reports/", {"service": pothole.service_code, "since": since}).content.decode()
    assert "first hole" in body and "old hole" not in body and "dark street" not in body
    body = client.get("/reports/", {"status": "resolved"}).content.decode()
    assert "dark street" in body and "first hole" not in body


def test_the_list_filters_near_a_point(client):
    ReportFactory(description="right here")
    ReportFactory(description="far away", lat=CITY_LAT + 0.05)
    body = client.get("/reports/", {"near": f"{CITY_LAT}, {CITY_LON}"}).content.decode()
    assert "right here" in body and "far away" not in body


def test_a_bad_filter_is_a_form_error_not_a_crash(client):
    response = client.get("/reports/", {"near": "nan, 1e999", "since": "yesterday"})
    assert response.status_code == 200
    assert "Type a latitude and a longitude" in response.content.decode()


def test_the_list_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    service = ServiceFactory()
    ReportFactory.create_batch(3, service=service)
    with django_assert_max_num_queries(6):
        client.get("/reports/")
    ReportFactory.create_batch(30, service=service)
    with django_assert_max_num_queries(6):
        client.get("/reports/")


def test_hidden_reports_are_not_listed_nor_shown(client):
    hidden = ReportFactory(description="hidden text", moderation_state=ModerationState.HIDDEN)
    assert "hidden text" not in client.get("/reports/").content.decode()
    assert client.get(f"/reports/{hidden.pk}/").status_code == 404


def test_the_author_sees_their_pending_report_marked_as_awaiting_moderation(client, citizen):
    pending = ReportFactory(reporter=citizen, moderation_state=ModerationState.PENDING)
    client.force_login(citizen)
    body = client.get(f"/reports/{pending.pk}/").content.decode()
    assert "Awaiting moderation" in body


def test_the_report_page_hides_the_reporter_name_unless_chosen(client):
    anonymous = ReportFactory(reporter__display_name="Secret Sari", show_name=False)
    named = ReportFactory(reporter__display_name="Open Omar", show_name=True)
    assert "Secret Sari" not in client.get(f"/reports/{anonymous.pk}/").content.decode()
    assert "Open Omar" in client.get(f"/reports/{named.pk}/").content.decode()
    assert anonymous.reporter.email not in client.get(f"/reports/{anonymous.pk}/").content.decode()


def test_a_citizen_follows_and_unfollows(client, citizen):
    report = ReportFactory()
    client.force_login(citizen)
    client.post(f"/reports/{report.pk}/follow/")
    assert Follow.objects.filter(report=report, user=citizen).exists()
    client.post(f"/reports/{report.pk}/follow/", {"action": "unfollow"})
    assert not Follow.objects.filter(report=report, user=citizen).exists()


def test_a_citizen_comments_and_the_comment_is_escaped(client, citizen):
    report = ReportFactory()
    client.force_login(citizen)
    client.post(f"/reports/{report.pk}/comment/", {"body": "<script>alert(1)</script> still here"})
    assert ReportComment.objects.get().body == "<script>alert(1)</script> still here"
    body = client.get(f"/reports/{report.pk}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; still here" in body


def test_an_empty_comment_is_refused_with_a_message(client, citizen):
    report = ReportFactory()
    client.force_login(citizen)
    response = client.post(f"/reports/{report.pk}/comment/", {"body": ""}, follow=True)
    assert ReportComment.objects.count() == 0
    assert "This field is required." in response.content.decode()


def test_staff_change_the_status_from_the_report_page(client, staff, django_capture_on_commit_callbacks):
    report = ReportFactory()
    Follow.objects.create(report=report, user=report.reporter)
    sign_in_with_totp(client, staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/reports/{report.pk}/status/", {"status": "acknowledged", "note": "On our list."})
    report.refresh_from_db()
    assert report.status == "acknowledged" and report.status_notes == "On our list."
    assert [message.to for message in mail.outbox] == [[report.reporter.email]]


@pytest.mark.parametrize("role", ["citizen", "moderator"])
def test_citizens_and_moderators_cannot_change_the_status(client, request, role):
    report = ReportFactory()
    client.force_login(request.getfixturevalue(role))
    assert client.post(f"/reports/{report.pk}/status/", {"status": "closed"}).status_code == 403
    report.refresh_from_db()
    assert report.status == "open"


def test_a_rejection_without_reason_is_refused_with_a_message(client, staff):
    report = ReportFactory()
    sign_in_with_totp(client, staff)
    response = client.post(f"/reports/{report.pk}/status/", {"status": "rejected"}, follow=True)
    assert "Give a reason" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "open"


def test_the_unsubscribe_link_stops_the_emails_through_report_unfollow(client, citizen):
    report = ReportFactory()
    Follow.objects.create(report=report, user=citizen)
    url = f"/unfollow/{unfollow_token(user_id=citizen.pk, report_id=report.pk)}/"
    assert client.get(url).status_code == 200
    with mock.patch.object(actions, "report_unfollow", wraps=actions.report_unfollow) as unfollow:
        client.post(url)
    unfollow.assert_called_once_with(report=report, user=citizen)
    assert not Follow.objects.filter(report=report, user=citizen).exists()
    assert client.get("/unfollow/forged-token/").status_code == 404


def test_nearby_open_reports_are_offered(client):
    report = ReportFactory()
    ReportFactory(service=report.service, lat=CITY_LAT + 0.01)
    response = client.get(f"/report/{report.service.service_code}/nearby/", {"lat": CITY_LAT, "lon": CITY_LON})
    assert [item["id"] for item in response.json()["results"]] == [report.pk]
    bad = client.get(f"/report/{report.service.service_code}/nearby/", {"lat": "nan", "lon": CITY_LON})
    assert bad.status_code == 400 and "lat" in bad.json()["errors"]
