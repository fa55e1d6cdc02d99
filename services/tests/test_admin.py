"""The admin: city staff change a status through report_change_status; moderators only look; no email leaks."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from citizens.tests.factories import UserFactory
from citizens.tests.two_factor import sign_in_with_totp
from services.actions import report_change_status, report_create, report_follow
from services.models import AttributeValue, Open311Client, ReportComment, ReportContact, ReportStatus, ReportUpdate
from services.tests.factories import CITY_LAT, CITY_LON, AttributeFactory, ReportFactory, ServiceFactory, image_upload

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:services_report_changelist")


def sign_in(client, user):
    return sign_in_with_totp(client, user)


def change_url(report) -> str:
    return reverse("admin:services_report_change", args=[report.pk])


@pytest.fixture
def report(citizen):
    report = ReportFactory(reporter=citizen)
    report_follow(report=report, user=citizen)
    return report


@pytest.fixture
def superuser(db):
    return UserFactory(display_name="Root", is_staff=True, is_superuser=True)


def test_staff_open_the_report_list_and_a_report(client, staff, report):
    sign_in(client, staff)

    assert client.get(CHANGELIST).status_code == 200
    assert "Acknowledge selected reports" in client.get(CHANGELIST).content.decode()
    response = client.get(change_url(report))
    assert response.status_code == 200
    assert 'name="new_status"' in response.content.decode()


def test_the_report_page_shows_photo_thumbnails_answers_and_the_timeline(
    client, staff, citizen, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    service = ServiceFactory()
    attribute = AttributeFactory(service=service, code="size", datatype="singlevaluelist", description="How big?")
    AttributeValue.objects.create(attribute=attribute, key="large", name="Larger than a tyre")
    with django_capture_on_commit_callbacks(execute=True):
        report = report_create(
            service_code=service.service_code,
            lat=CITY_LAT,
            lon=CITY_LON,
            attributes={"size": "large"},
            photo_uploads=[image_upload()],
            reporter=citizen,
        )
    report_change_status(report=report, to_status=ReportStatus.IN_PROGRESS, by=staff, note="<b>Crew</b> sent.")
    photo = report.photos.get()
    sign_in(client, staff)

    content = client.get(change_url(report)).content.decode()

    assert f'<img src="{photo.thumbnail_url}"' in content
    assert f'<a href="{photo.image_url}">' in content
    assert "<dt>How big?</dt><dd>Larger than a tyre</dd>" in content
    assert "&lt;b&gt;Crew&lt;/b&gt; sent." in content


def test_staff_change_a_status_in_the_admin_and_followers_are_told(
    client, staff, report, citizen, django_capture_on_commit_callbacks
):
    sign_in(client, staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            change_url(report), {"new_status": ReportStatus.IN_PROGRESS, "public_note": "Crew sent.", "_save": "1"}
        )

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_PROGRESS
    assert report.status_notes == "Crew sent."
    update = ReportUpdate.objects.get(report=report)
    assert (update.from_status, update.to_status, update.note, update.author) == (
        ReportStatus.OPEN,
        ReportStatus.IN_PROGRESS,
        "Crew sent.",
        staff,
    )
    assert [message.to for message in mail.outbox] == [[citizen.email]]


def test_staff_mark_a_duplicate_by_the_originals_number(client, staff, report, django_capture_on_commit_callbacks):
    original = ReportFactory(service=report.service)
    sign_in(client, staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            change_url(report), {"new_status": ReportStatus.DUPLICATE, "duplicate_of_id": original.pk, "_save": "1"}
        )

    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.duplicate_of) == (ReportStatus.DUPLICATE, original)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"new_status": ReportStatus.DUPLICATE}, "duplicate_of_id", "Name the original report"),
        ({"new_status": ReportStatus.DUPLICATE, "duplicate_of_id": 999_999}, "duplicate_of_id", "no report with"),
        ({"new_status": ReportStatus.REJECTED, "rejection_reason": "  "}, "rejection_reason", "Give a reason"),
        ({"new_status": "", "public_note": "Orphan note"}, "new_status", "Choose a new status"),
        ({"new_status": "fixed"}, "new_status", "Select a valid choice"),
    ],
    ids=["duplicate without original", "unknown original", "rejection without reason", "note only", "bad status"],
)
def test_a_refused_status_change_is_a_form_error_and_changes_nothing(
    client, staff, report, django_capture_on_commit_callbacks, data, field, message
):
    sign_in(client, staff)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(change_url(report), {**data, "_save": "1"})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert any(message in text for text in errors[field]), errors
    report.refresh_from_db()
    assert report.status == ReportStatus.OPEN
    assert not ReportUpdate.objects.exists()
    assert callbacks == []
    assert mail.outbox == []


def test_staff_acknowledge_selected_open_reports_in_bulk(
    client, staff, report, citizen, django_capture_on_commit_callbacks
):
    resolved = ReportFactory(status=ReportStatus.RESOLVED)
    sign_in(client, staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CHANGELIST, {"action": "acknowledge", "_selected_action": [report.pk, resolved.pk]})

    assert response.status_code == 302
    report.refresh_from_db()
    resolved.refresh_from_db()
    assert report.status == ReportStatus.ACKNOWLEDGED
    assert resolved.status == ReportStatus.RESOLVED
    assert list(ReportUpdate.objects.values_list("report", "to_status", "author")) == [
        (report.pk, ReportStatus.ACKNOWLEDGED, staff.pk)
    ]
    assert [message.to for message in mail.outbox] == [[citizen.email]]


def test_a_moderator_sees_the_status_read_only_and_cannot_change_it(
    client, moderator, report, django_capture_on_commit_callbacks
):
    sign_in(client, moderator)

    assert client.get(CHANGELIST).status_code == 200
    page = client.get(change_url(report))
    assert page.status_code == 200
    assert 'name="new_status"' not in page.content.decode()
    assert "Acknowledge selected reports" not in client.get(CHANGELIST).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(change_url(report), {"new_status": ReportStatus.RESOLVED, "_save": "1"})
        client.post(CHANGELIST, {"action": "acknowledge", "_selected_action": [report.pk]})

    assert refused.status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.OPEN
    assert not ReportUpdate.objects.exists()
    assert mail.outbox == []


def test_a_moderator_cannot_edit_the_service_catalogue(client, moderator):
    sign_in(client, moderator)

    assert client.get(reverse("admin:services_service_changelist")).status_code == 403
    assert client.get(reverse("admin:services_service_add")).status_code == 403


def test_staff_edit_the_catalogue_with_attributes_and_their_values(client, staff):
    service = ServiceFactory()
    sign_in(client, staff)

    assert client.get(reverse("admin:services_service_changelist")).status_code == 200
    assert client.get(reverse("admin:services_service_change", args=[service.pk])).status_code == 200
    assert client.get(reverse("admin:services_serviceattribute_add")).status_code == 200


def test_a_citizen_cannot_open_the_report_admin(client, citizen, report):
    client.force_login(citizen)

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_report_list_runs_the_same_number_of_queries_for_3_and_30_reports(client, staff):
    sign_in(client, staff)
    services = ServiceFactory.create_batch(3)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(CHANGELIST).status_code == 200
        return len(queries)

    for index in range(3):
        ReportFactory(service=services[index % 3])
    few = count_queries()
    for index in range(27):
        ReportFactory(service=services[index % 3])

    assert count_queries() == few


def test_the_report_list_stays_within_its_query_budget(client, staff, django_assert_max_num_queries):
    sign_in(client, staff)
    ReportFactory.create_batch(30)

    with django_assert_max_num_queries(15):
        assert client.get(CHANGELIST).status_code == 200


def test_the_report_list_shows_display_names_and_never_an_email(client, superuser):
    reporters = [UserFactory(display_name=f"Warga {index}") for index in range(3)]
    reports = [ReportFactory(reporter=person) for person in reporters]
    ReportContact.objects.create(report=reports[0], email="contact@example.net", first_name="Private")
    sign_in(client, superuser)

    content = client.get(CHANGELIST).content.decode()

    for person in reporters:
        assert person.display_name in content
        assert person.email not in content
    assert "contact@example.net" not in content
    assert "@" not in content.split('id="result_list"', 1)[1].split("</table>", 1)[0]


def test_the_report_page_never_shows_the_reporters_email(client, staff, report, citizen):
    sign_in(client, staff)

    content = client.get(change_url(report)).content.decode()

    assert citizen.display_name in content
    assert citizen.email not in content


def test_only_a_superuser_sees_the_private_contact_on_the_report_page(client, staff, superuser):
    report = ReportFactory(reporter=None)
    ReportContact.objects.create(report=report, email="contact@example.net", phone="0812")

    assert "contact@example.net" not in sign_in(client, staff).get(change_url(report)).content.decode()
    client.logout()
    assert "contact@example.net" in sign_in(client, superuser).get(change_url(report)).content.decode()


def test_a_superuser_changes_a_status_with_the_contact_inline_on_the_page(client, superuser):
    report = ReportFactory(reporter=None)
    ReportContact.objects.create(report=report, email="contact@example.net")
    sign_in(client, superuser)
    data = {
        "new_status": ReportStatus.RESOLVED,
        "contact-TOTAL_FORMS": "1",
        "contact-INITIAL_FORMS": "1",
        "contact-MIN_NUM_FORMS": "0",
        "contact-MAX_NUM_FORMS": "0",
        "_save": "1",
    }

    response = client.post(change_url(report), data)

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RESOLVED
    assert ReportContact.objects.filter(report=report, email="contact@example.net").exists()


def test_status_updates_are_history_nobody_edits_or_deletes(client, superuser, report, staff):
    update = report_change_status(report=report, to_status=ReportStatus.ACKNOWLEDGED, by=staff)
    sign_in(client, superuser)

    page = client.get(reverse("admin:services_reportupdate_change", args=[update.pk]))
    assert page.status_code == 200
    assert 'name="note"' not in page.content.decode()
    assert client.get(reverse("admin:services_reportupdate_delete", args=[update.pk])).status_code == 403
    assert client.get(reverse("admin:services_reportupdate_add")).status_code == 403


def test_open311_keys_are_not_made_in_the_admin_and_their_hash_is_never_shown(client, staff):
    Open311Client.objects.create(name="City app", key_prefix="abcd1234", key_hash="f" * 64)
    sign_in(client, staff)

    content = client.get(reverse("admin:services_open311client_changelist")).content.decode()

    assert "abcd1234" in content
    assert "f" * 64 not in content
    assert "create_open311_key" in content
    assert client.get(reverse("admin:services_open311client_add")).status_code == 403


def test_staff_find_a_report_by_its_number_or_a_word_of_its_description(client, staff):
    pothole = ReportFactory(description="Deep pothole near the market")
    other = ReportFactory(description="Streetlight out")
    sign_in(client, staff)

    def found(term: str) -> list[int]:
        response = client.get(CHANGELIST, {"q": term})
        assert response.status_code == 200
        return [report.pk for report in response.context["cl"].result_list]

    assert found(str(other.pk)) == [other.pk]
    assert found("pothole") == [pothole.pk]
    assert found("no such words") == []


def test_a_moderator_reads_comments_under_display_names_only(client, moderator, report, other_citizen):
    ReportComment.objects.create(report=report, author=other_citizen, body="Still there today.")
    sign_in(client, moderator)

    content = client.get(reverse("admin:services_reportcomment_changelist")).content.decode()

    assert other_citizen.display_name in content
    assert other_citizen.email not in content
