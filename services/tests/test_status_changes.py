"""City staff move reports through their states; each change is a public update. Similar open reports."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from citizens.tests.factories import UserFactory
from moderation.models import ModerationState
from services.actions import report_change_status, similar_open_reports
from services.models import OPEN_STATUSES, Report, ReportStatus, ReportUpdate
from services.tests.factories import CITY_LAT, CITY_LON, ReportFactory, ServiceFactory

pytestmark = pytest.mark.django_db

CLOSED_STATUSES = [status for status in ReportStatus.values if status not in OPEN_STATUSES]
METRES_PER_DEGREE_LAT = 111_195  # on the haversine sphere used by geo.distance_m


@pytest.fixture
def report(citizen):
    return ReportFactory(reporter=citizen)


def details_for(status: str, report: Report) -> dict:
    """What each closing status needs besides a note."""
    if status == ReportStatus.DUPLICATE:
        return {"duplicate_of": ReportFactory(service=report.service)}
    if status == ReportStatus.REJECTED:
        return {"rejection_reason": "Private land; the owner is responsible."}
    return {}


def test_staff_change_the_status_with_a_public_note(staff, report):
    update = report_change_status(report=report, to_status=ReportStatus.IN_PROGRESS, by=staff, note=" Crew sent. ")

    report.refresh_from_db()
    assert report.status == ReportStatus.IN_PROGRESS
    assert report.status_notes == "Crew sent."
    assert report.closed_at is None
    assert report.updated_at == update.created_at
    assert list(report.updates.values_list("from_status", "to_status", "note", "author", "by_role")) == [
        (ReportStatus.OPEN, ReportStatus.IN_PROGRESS, "Crew sent.", staff.pk, "city")
    ]


@pytest.mark.parametrize("status", CLOSED_STATUSES)
def test_a_closing_status_sets_closed_at(staff, report, status):
    before = timezone.now()

    report_change_status(report=report, to_status=status, by=staff, **details_for(status, report))

    report.refresh_from_db()
    assert report.status == status
    assert report.closed_at is not None and report.closed_at >= before


def test_reopening_clears_closed_at_and_closing_again_sets_it(staff, report):
    report_change_status(report=report, to_status=ReportStatus.RESOLVED, by=staff)
    report_change_status(report=report, to_status=ReportStatus.OPEN, by=staff, note="It is back.")

    report.refresh_from_db()
    assert report.closed_at is None
    assert report.is_open

    report_change_status(report=report, to_status=ReportStatus.CLOSED, by=staff)
    report.refresh_from_db()
    assert report.closed_at is not None
    assert report.updates.count() == 3


def test_moving_between_closing_statuses_keeps_the_first_closed_at(staff, report):
    report_change_status(report=report, to_status=ReportStatus.RESOLVED, by=staff)
    report.refresh_from_db()
    first = report.closed_at

    report_change_status(report=report, to_status=ReportStatus.CLOSED, by=staff)

    report.refresh_from_db()
    assert report.closed_at == first


def test_a_duplicate_names_its_original(staff, report):
    original = ReportFactory(service=report.service)

    report_change_status(report=report, to_status=ReportStatus.DUPLICATE, by=staff, duplicate_of=original)

    report.refresh_from_db()
    assert report.duplicate_of == original


@pytest.mark.parametrize("itself", [False, True], ids=["no original", "itself as original"])
def test_a_duplicate_without_another_report_as_original_is_refused(staff, report, itself):
    with pytest.raises(ValidationError) as caught:
        report_change_status(
            report=report, to_status=ReportStatus.DUPLICATE, by=staff, duplicate_of=report if itself else None
        )

    assert "duplicate_of" in caught.value.message_dict
    report.refresh_from_db()
    assert report.status == ReportStatus.OPEN
    assert not ReportUpdate.objects.exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_rejection_without_a_reason_is_refused(staff, report, reason):
    with pytest.raises(ValidationError) as caught:
        report_change_status(report=report, to_status=ReportStatus.REJECTED, by=staff, rejection_reason=reason)

    assert caught.value.message_dict == {"rejection_reason": ["Give a reason for rejecting the report."]}
    report.refresh_from_db()
    assert report.status == ReportStatus.OPEN
    assert not ReportUpdate.objects.exists()


def test_a_rejection_reason_longer_than_the_field_is_refused(staff, report):
    with pytest.raises(ValidationError) as caught:
        report_change_status(report=report, to_status=ReportStatus.REJECTED, by=staff, rejection_reason="x" * 501)

    assert "rejection_reason" in caught.value.message_dict
    assert not ReportUpdate.objects.exists()


def test_a_rejection_keeps_its_reason_as_the_public_note_when_there_is_no_note(staff, report):
    report_change_status(report=report, to_status=ReportStatus.REJECTED, by=staff, rejection_reason=" Not city land. ")

    report.refresh_from_db()
    assert report.rejection_reason == "Not city land."
    assert report.status_notes == "Not city land."


def test_reopening_a_duplicate_or_rejected_report_drops_the_original_and_the_reason(staff, report):
    original = ReportFactory(service=report.service)
    report_change_status(report=report, to_status=ReportStatus.DUPLICATE, by=staff, duplicate_of=original)
    report_change_status(report=report, to_status=ReportStatus.OPEN, by=staff)
    report.refresh_from_db()
    assert report.duplicate_of is None

    report_change_status(report=report, to_status=ReportStatus.REJECTED, by=staff, rejection_reason="Not ours.")
    report_change_status(report=report, to_status=ReportStatus.ACKNOWLEDGED, by=staff, rejection_reason="ignored")
    report.refresh_from_db()
    assert report.rejection_reason == ""
    assert report.status_notes == ""


@pytest.mark.parametrize(("field", "value"), [("to_status", "fixed"), ("note", "n" * 2001)])
def test_an_unknown_status_or_an_overlong_note_is_refused(staff, report, field, value):
    arguments = {"to_status": ReportStatus.RESOLVED, "note": "", field: value}

    with pytest.raises(ValidationError):
        report_change_status(report=report, by=staff, **arguments)

    assert not ReportUpdate.objects.exists()


@pytest.mark.parametrize("role", ["citizen", "other_citizen", "moderator", "operator_staff"])
def test_only_city_staff_change_a_status(request, report, role):
    person = request.getfixturevalue(role)

    with pytest.raises(PermissionDenied):
        report_change_status(report=report, to_status=ReportStatus.RESOLVED, by=person)

    report.refresh_from_db()
    assert report.status == ReportStatus.OPEN
    assert not ReportUpdate.objects.exists()


def test_a_superuser_may_change_a_status(report):
    admin = UserFactory(is_staff=True, is_superuser=True)

    update = report_change_status(report=report, to_status=ReportStatus.ACKNOWLEDGED, by=admin)

    assert update.by_role == "city"


def test_the_system_may_change_a_status(report):
    update = report_change_status(report=report, to_status=ReportStatus.CLOSED, by=None)

    assert (update.author, update.by_role) == (None, "system")


# similar_open_reports


def north_of_city(metres: float) -> float:
    return CITY_LAT + metres / METRES_PER_DEGREE_LAT


def test_similar_open_reports_finds_a_recent_open_report_of_the_service_within_50_m():
    service = ServiceFactory()
    near = ReportFactory(service=service, lat=north_of_city(20))
    nearer = ReportFactory(service=service, lat=north_of_city(5))

    found = similar_open_reports(service=service, lat=CITY_LAT, lon=CITY_LON)

    assert found == [nearer, near]
    assert [report.distance_m for report in found] == [5, 20]


def test_similar_open_reports_leaves_out_far_closed_other_old_and_hidden_reports():
    service = ServiceFactory()
    now = timezone.now()
    ReportFactory(service=service, lat=north_of_city(200))
    # Inside the search square but 57 m away on the diagonal.
    ReportFactory(service=service, lat=north_of_city(40), lon=CITY_LON + 40 / (METRES_PER_DEGREE_LAT * 0.9927))
    ReportFactory(service=service, status=ReportStatus.RESOLVED)
    ReportFactory(service=service, status=ReportStatus.DUPLICATE)
    ReportFactory(service=ServiceFactory())
    ReportFactory(service=service, created_at=now - timedelta(days=31))
    ReportFactory(service=service, moderation_state=ModerationState.HIDDEN)
    ReportFactory(service=service, moderation_state=ModerationState.PENDING)
    ReportFactory(service=service, lat=None, lon=None, address="Jl. Braga")
    kept = ReportFactory(service=service, status=ReportStatus.IN_PROGRESS, created_at=now - timedelta(days=29))

    assert similar_open_reports(service=service, lat=CITY_LAT, lon=CITY_LON, now=now) == [kept]
