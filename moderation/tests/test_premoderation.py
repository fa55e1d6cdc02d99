"""Pre-moderation: reports under some services, and a new account's first contributions, wait for a moderator."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from citizens.tests.factories import UserFactory
from moderation.models import ModerationState, QueueItem
from services import actions
from services.models import Report, ReportComment
from services.tests.factories import CITY_LAT, CITY_LON, ReportFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def queued(item) -> QueueItem | None:
    return QueueItem.objects.filter(content_type=ContentType.objects.get_for_model(item), object_id=item.pk).first()


def report_by(person, service=None) -> Report:
    service = service or ServiceFactory()
    return actions.report_create(
        service_code=service.service_code, lat=CITY_LAT, lon=CITY_LON, description="Broken lamp", reporter=person
    )


@pytest.fixture
def pre_moderated():
    return ServiceFactory(service_code="graffiti", pre_moderated=True)


def test_a_report_under_a_pre_moderated_service_waits_and_its_author_is_told(client, citizen, pre_moderated):
    client.force_login(citizen)
    response = client.post(
        f"/report/{pre_moderated.service_code}/",
        {"lat": str(CITY_LAT), "lon": str(CITY_LON), "description": "Tag on the school wall"},
        follow=True,
    )
    report = Report.objects.get()
    assert report.moderation_state == ModerationState.PENDING
    body = response.content.decode()
    assert "awaiting moderation" in body
    assert "Awaiting moderation: only you can see this report for now." in body
    assert "Tag on the school wall" in body
    item = queued(report)
    assert (item.kind, item.author, item.flag_count, item.auto_hidden) == ("report", citizen, 0, False)


def test_nobody_else_sees_a_pending_report(client, citizen, other_citizen, pre_moderated):
    report = report_by(citizen, pre_moderated)
    shown = ReportFactory()
    for person in (None, other_citizen):
        if person:
            client.force_login(person)
        assert client.get(f"/reports/{report.pk}/").status_code == 404
        assert client.get(f"/api/v1/reports/{report.pk}/").status_code == 404
        assert [r["id"] for r in client.get("/api/v1/reports/").json()["results"]] == [shown.pk]
        assert [f["id"] for f in client.get("/api/v1/reports.geojson").json()["features"]] == [shown.pk]
        assert "Broken lamp" not in client.get("/reports/").content.decode()
    open311 = client.get("/open311/v2/requests.json").json()
    assert [request["service_request_id"] for request in open311] == [str(shown.pk)]
    assert client.get(f"/open311/v2/requests/{report.pk}.json").status_code == 404


def test_a_report_sent_through_the_api_waits_too_and_its_author_reads_it(client, citizen, pre_moderated):
    client.force_login(citizen)
    response = client.post(
        "/api/v1/reports/",
        {"service_code": pre_moderated.service_code, "lat": CITY_LAT, "lon": CITY_LON, "description": "Tag"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    report = Report.objects.get(pk=response.json()["id"])
    assert report.moderation_state == ModerationState.PENDING
    assert queued(report) is not None
    assert client.get(f"/api/v1/reports/{report.pk}/").status_code == 200


def test_a_new_citizens_first_two_contributions_wait_and_the_third_is_published(settings, citizen):
    settings.MODERATION_FIRST_CONTRIBUTIONS_PENDING = 2
    first = report_by(citizen)
    second = actions.report_comment_create(report=ReportFactory(), author=citizen, body="Same here")
    third = report_by(citizen)
    assert [first.moderation_state, second.moderation_state] == [ModerationState.PENDING] * 2
    assert third.moderation_state == ModerationState.PUBLISHED
    assert queued(first) is not None and queued(second) is not None
    assert queued(third) is None


def test_a_pending_comment_is_not_shown_until_approved(client, settings, citizen, other_citizen):
    settings.MODERATION_FIRST_CONTRIBUTIONS_PENDING = 2
    report = ReportFactory(reporter=other_citizen)
    comment = actions.report_comment_create(report=report, author=citizen, body="First words here")
    assert comment.moderation_state == ModerationState.PENDING
    assert "First words here" not in client.get(report.get_absolute_url()).content.decode()
    assert client.get(f"/api/v1/reports/{report.pk}/comments/").json()["results"] == []
    assert client.get(f"/api/v1/reports/{report.pk}/").json()["comments_count"] == 0


def test_an_established_citizen_publishes_at_once(settings, citizen):
    settings.MODERATION_FIRST_CONTRIBUTIONS_PENDING = 2
    ReportFactory.create_batch(2, reporter=citizen)
    assert report_by(citizen).moderation_state == ModerationState.PUBLISHED
    assert not QueueItem.objects.exists()


@pytest.mark.parametrize("role", ["staff", "moderator"])
def test_staff_and_moderators_are_exempt_from_the_first_contributions_rule(settings, request, role):
    settings.MODERATION_FIRST_CONTRIBUTIONS_PENDING = 2
    person = request.getfixturevalue(role)
    report = report_by(person)
    comment = actions.report_comment_create(report=ReportFactory(), author=person, body="Noted")
    assert [report.moderation_state, comment.moderation_state] == [ModerationState.PUBLISHED] * 2
    assert not QueueItem.objects.exists()


def test_the_rule_is_off_when_the_setting_is_zero(settings):
    settings.MODERATION_FIRST_CONTRIBUTIONS_PENDING = 0
    assert report_by(UserFactory()).moderation_state == ModerationState.PUBLISHED


def test_comments_on_a_pending_report_are_refused(citizen, pre_moderated):
    report = report_by(citizen, pre_moderated)
    with pytest.raises(ValidationError) as error:
        actions.report_comment_create(report=report, author=citizen, body="Any news?")
    assert "cannot be commented on" in str(error.value)
    assert not ReportComment.objects.exists()
