"""Operator staff answer their reports on the workspace pages: acknowledge, resolve with a note and a
photo, several at once. Each answer is a public update the report's followers are emailed about."""

from __future__ import annotations

import pytest
from django.core import mail
from PIL import Image

from operators.models import Assignment, ResolutionPhoto
from operators.tests.conftest import REPORTER_EMAIL, routed_report
from services.models import ReportStatus, ReportUpdate
from services.tests.factories import image_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, kring):
    client.force_login(kring[1])
    return client


def emails_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def test_acknowledging_says_so_publicly_and_tells_the_followers(
    signed_in, kring, reporter, django_capture_on_commit_callbacks
):
    report = routed_report(reporter, kring[0])
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(f"/operator/reports/{report.pk}/acknowledge/", {"ack-note": "Crew on the way."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.ACKNOWLEDGED
    update = ReportUpdate.objects.filter(report=report).last()
    assert (update.by_role, update.note) == ("operator", "Crew on the way.")
    assert Assignment.objects.get(report=report).acknowledged_at is not None
    [email] = emails_to(REPORTER_EMAIL)
    assert "Note from the operator:\nCrew on the way." in email.body
    page = signed_in.get(response["Location"]).content.decode()
    assert "Acknowledged: the report" in page
    assert f'action="/operator/reports/{report.pk}/acknowledge/"' not in page


def test_resolving_as_removed_closes_the_report_and_returns_to_the_queue(signed_in, kring, reporter):
    report = routed_report(reporter, kring[0])
    response = signed_in.post(
        f"/operator/reports/{report.pk}/resolve/", {"resolve-outcome": "removed", "resolve-note": "Taken to depot."}
    )
    assert response.status_code == 302 and response["Location"] == "/operator/"
    report.refresh_from_db()
    assert report.status == ReportStatus.RESOLVED
    assignment = Assignment.objects.get(report=report)
    assert (assignment.outcome, assignment.outcome_note) == ("removed", "Taken to depot.")
    assert "The operator removed the vehicle. Taken to depot." in ReportUpdate.objects.filter(report=report).last().note
    assert f"Report #{report.pk}: Removed." in signed_in.get("/operator/").content.decode()


def test_a_dispute_without_a_reason_is_refused_on_the_form(signed_in, kring, reporter):
    report = routed_report(reporter, kring[0])
    response = signed_in.post(f"/operator/reports/{report.pk}/resolve/", {"resolve-outcome": "disputed"})
    assert response.status_code == 400
    assert "Say why the report is disputed." in response.content.decode()
    assert Assignment.objects.get(report=report).is_open


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose an outcome."),
        ({"resolve-outcome": "burnt"}, "Select a valid choice."),
        ({"resolve-outcome": "removed", "resolve-note": "x" * 1001}, "at most 1000 characters"),
    ],
)
def test_bad_answers_are_form_errors(signed_in, kring, reporter, data, message):
    report = routed_report(reporter, kring[0])
    response = signed_in.post(f"/operator/reports/{report.pk}/resolve/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Assignment.objects.get(report=report).is_open


def test_a_file_that_is_not_an_image_is_refused(signed_in, kring, reporter):
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = routed_report(reporter, kring[0])
    fake = SimpleUploadedFile("bike.jpg", b"not an image", content_type="image/jpeg")
    response = signed_in.post(
        f"/operator/reports/{report.pk}/resolve/", {"resolve-outcome": "removed", "resolve-photo": fake}
    )
    assert response.status_code == 400
    assert "is not an image we can read" in response.content.decode()
    assert not ResolutionPhoto.objects.exists()
    assert Assignment.objects.get(report=report).is_open


def test_an_answer_already_given_cannot_be_given_again(signed_in, kring, reporter):
    report = routed_report(reporter, kring[0])
    signed_in.post(f"/operator/reports/{report.pk}/resolve/", {"resolve-outcome": "removed"})
    response = signed_in.post(f"/operator/reports/{report.pk}/resolve/", {"resolve-outcome": "reparked"}, follow=True)
    assert "This report is already resolved." in response.content.decode()
    assert Assignment.objects.get(report=report).outcome == "removed"


def test_the_photo_of_an_answer_is_stripped_and_shown_next_to_it_on_the_public_timeline(
    client, kring, reporter, media, django_capture_on_commit_callbacks
):
    report = routed_report(reporter, kring[0])
    client.force_login(kring[1])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/operator/reports/{report.pk}/resolve/",
            {"resolve-outcome": "reparked", "resolve-photo": image_upload(exif_gps=True, size=(3000, 1000))},
        )
    photo = ResolutionPhoto.objects.get()
    assert photo.is_ready and not photo.upload
    assert photo.update == ReportUpdate.objects.filter(report=report).last()
    with Image.open(photo.image.path) as stored:
        assert not stored.getexif() and max(stored.size) == 2048
    client.logout()
    page = client.get(report.get_absolute_url()).content.decode()
    update_at = page.index("The operator re-parked the vehicle.")
    assert page.index(photo.thumbnail_url) > update_at
    assert "Photo sent with this answer" in page
    assert client.get(photo.thumbnail_url).status_code == 200
    # Offered as WebP copies sized for the timeline, stripped too.
    assert photo.variant_widths == [320, 640, 1280]
    assert (
        page.index(f'srcset="{photo.variant_url(320, "webp")} 320w, {photo.variant_url(640, "webp")} 640w"') > update_at
    )
    copy = client.get(photo.variant_url(640, "webp"))
    assert (copy.status_code, copy["Content-Type"]) == (200, "image/webp")
    with Image.open(photo.image.storage.path(photo.variant_name(640, "webp"))) as stored:
        assert not stored.getexif() and stored.size == (640, 213)


def test_a_photo_still_processing_is_not_public(client, kring, reporter, media):
    report = routed_report(reporter, kring[0])
    client.force_login(kring[1])
    client.post(
        f"/operator/reports/{report.pk}/resolve/", {"resolve-outcome": "removed", "resolve-photo": image_upload()}
    )
    photo = ResolutionPhoto.objects.get()
    assert photo.state == "processing"
    assert "Photo being processed" in client.get(f"/operator/reports/{report.pk}/").content.decode()
    client.logout()
    assert "Photo sent with this answer" not in client.get(report.get_absolute_url()).content.decode()


def test_several_ticked_reports_get_one_outcome(signed_in, kring, reporter):
    first, second, untouched = (routed_report(reporter, kring[0]) for _ in range(3))
    response = signed_in.post(
        "/operator/resolve/", {"report": [first.pk, second.pk], "outcome": "not_found", "note": "Nothing there."}
    )
    assert response.status_code == 302
    outcomes = dict(Assignment.objects.values_list("report_id", "outcome"))
    assert outcomes == {first.pk: "not_found", second.pk: "not_found", untouched.pk: ""}
    first.refresh_from_db()
    assert first.status == ReportStatus.CLOSED
    assert "2 reports answered: Not found." in signed_in.get("/operator/").content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"outcome": "removed"}, "Tick the reports you answered."),
        ({"report": ["x"], "outcome": "removed"}, "Choose reports from the list."),
        ({"report": ["1"]}, "Choose an outcome."),
    ],
)
def test_a_bad_bulk_answer_is_explained_and_changes_nothing(signed_in, kring, reporter, data, message):
    report = routed_report(reporter, kring[0])
    response = signed_in.post("/operator/resolve/", data, follow=True)
    assert message in response.content.decode()
    assert Assignment.objects.get(report=report).is_open


def test_a_bulk_dispute_needs_its_reason_and_changes_nothing_without_it(signed_in, kring, reporter):
    first, second = (routed_report(reporter, kring[0]) for _ in range(2))
    response = signed_in.post(
        "/operator/resolve/", {"report": [first.pk, second.pk], "outcome": "disputed"}, follow=True
    )
    assert "Say why the report is disputed." in response.content.decode()
    assert not Assignment.objects.filter(resolved_at__isnull=False).exists()


def test_answers_count_against_the_write_limit(signed_in, kring, reporter, settings):
    settings.WRITE_RATES = {**settings.WRITE_RATES, "user": "1/minute"}
    first, second = (routed_report(reporter, kring[0]) for _ in range(2))
    assert signed_in.post(f"/operator/reports/{first.pk}/acknowledge/").status_code == 302
    response = signed_in.post(f"/operator/reports/{second.pk}/acknowledge/")
    assert response.status_code == 429
    assert Assignment.objects.get(report=second).acknowledged_at is None
