"""City staff build the datasets on demand, from the page or the admin, and follow the progress."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from citizens.tests.factories import UserFactory
from citizens.tests.two_factor import sign_in_with_totp
from opendata.builder import snapshot_start
from opendata.datasets import DATASETS
from opendata.models import Snapshot
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

BUILD = reverse("opendata:build")
PROGRESS = reverse("opendata:progress")
CHANGELIST = reverse("admin:opendata_snapshot_changelist")


@pytest.fixture(autouse=True)
def published_now(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OPENDATA_PUBLICATION_DELAY_HOURS = 0


@pytest.fixture
def reports():
    return ReportFactory.create_batch(3, created_at=timezone.now() - timedelta(days=2))


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_citizen_or_a_visitor_cannot_build_the_datasets(client, citizen):
    assert client.post(BUILD)["Location"].startswith("/accounts/login/")
    client.force_login(citizen)
    assert client.post(BUILD).status_code == 403
    assert not Snapshot.objects.exists()


def test_building_needs_a_post(client, staff):
    client.force_login(staff)
    assert client.get(BUILD).status_code == 405


def test_staff_build_the_datasets_now(client, staff, reports, django_capture_on_commit_callbacks):
    sign_in_with_totp(client, staff)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(BUILD)

    assert response.status_code == 302
    assert response["Location"] == "/data/#build"
    assert len(callbacks) == 1
    snapshot = Snapshot.objects.get()
    assert snapshot.status == Snapshot.Status.SUCCEEDED
    assert snapshot.requested_by_role == "city"
    assert snapshot.progress["reports"] == {"done": 3, "total": 3}
    reports_csv = snapshot.files.get(dataset="reports", format="csv")
    assert reports_csv.rows == 3
    assert default_storage.exists(reports_csv.name)
    assert "The datasets are being built." in messages_of(response)[0]


def test_a_superuser_may_build_too(client, django_capture_on_commit_callbacks):
    sign_in_with_totp(client, UserFactory(is_staff=True, is_superuser=True))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(BUILD)
    assert Snapshot.objects.get().status == Snapshot.Status.SUCCEEDED


def test_a_second_build_is_refused_while_one_runs(client, staff, django_capture_on_commit_callbacks):
    running = snapshot_start(requested_by_role="schedule")
    sign_in_with_totp(client, staff)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(BUILD)

    assert response.status_code == 302
    assert callbacks == []
    assert list(Snapshot.objects.all()) == [running]
    assert messages_of(response) == ["The datasets are already being built. Wait until that build ends."]


def test_a_build_that_stopped_making_progress_does_not_block_a_new_one(
    client, staff, settings, django_capture_on_commit_callbacks
):
    settings.OPENDATA_BUILD_STALL_MINUTES = 15
    abandoned = snapshot_start()
    Snapshot.objects.filter(pk=abandoned.pk).update(progressed_at=timezone.now() - timedelta(minutes=16))
    sign_in_with_totp(client, staff)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(BUILD)

    abandoned.refresh_from_db()
    assert abandoned.status == Snapshot.Status.FAILED
    assert Snapshot.objects.exclude(pk=abandoned.pk).get().status == Snapshot.Status.SUCCEEDED


def test_the_progress_json_gives_rows_done_of_the_total_per_dataset(client, staff, reports):
    snapshot = snapshot_start(requested_by_role="city")
    Snapshot.objects.filter(pk=snapshot.pk).update(progress={**snapshot.progress, "reports": {"done": 2, "total": 3}})
    client.force_login(staff)

    response = client.get(PROGRESS)

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    data = response.json()
    assert data["snapshot_id"] == snapshot.pk
    assert data["status"] == "building"
    assert data["status_label"] == "Building"
    assert set(data["datasets"]) == set(DATASETS)
    assert data["datasets"]["reports"] == {"done": 2, "total": 3}


def test_the_progress_json_before_any_build(client, staff):
    client.force_login(staff)
    assert client.get(PROGRESS).json() == {"snapshot_id": None, "status": None, "status_label": "", "datasets": {}}


def test_the_progress_json_is_for_city_staff_only(client, citizen, moderator):
    assert client.get(PROGRESS).status_code == 403
    for person in (citizen, moderator):
        client.force_login(person)
        assert client.get(PROGRESS).status_code == 403


def sign_in_to_admin(client, user):
    sign_in_with_totp(client, user)


def test_staff_list_the_builds_in_the_admin_without_changing_them(client, staff):
    snapshot = snapshot_start()
    sign_in_to_admin(client, staff)

    body = client.get(CHANGELIST).content.decode()

    assert "Build the datasets now" in body
    assert '<td class="field-status">Building</td>' in body
    assert '<td class="field-rows_total">' in body
    assert client.get(reverse("admin:opendata_snapshot_add")).status_code == 403
    page = client.get(reverse("admin:opendata_snapshot_change", args=[snapshot.pk])).content.decode()
    assert 'name="_save"' not in page
    assert client.post(reverse("admin:opendata_snapshot_delete", args=[snapshot.pk])).status_code == 403


def test_staff_build_the_datasets_from_the_admin_without_selecting_a_build(
    client, staff, reports, django_capture_on_commit_callbacks
):
    sign_in_to_admin(client, staff)
    assert "Build the datasets now" in client.get(CHANGELIST).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CHANGELIST, {"action": "build_datasets", "index": "0"}, follow=True)

    snapshot = Snapshot.objects.get()
    assert snapshot.status == Snapshot.Status.SUCCEEDED
    assert f"Build #{snapshot.pk} started." in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(CHANGELIST, {"action": "build_datasets", "index": "0", "_selected_action": [snapshot.pk]})
    assert Snapshot.objects.count() == 2


def test_the_admin_refuses_a_second_build_while_one_runs(client, staff):
    snapshot_start()
    sign_in_to_admin(client, staff)

    response = client.post(CHANGELIST, {"action": "build_datasets", "index": "0"}, follow=True)

    assert "The datasets are already being built." in response.content.decode()
    assert Snapshot.objects.count() == 1


def test_moderators_cannot_build_from_the_admin(client, moderator):
    sign_in_to_admin(client, moderator)
    assert client.get(CHANGELIST).status_code == 403
    client.post(CHANGELIST, {"action": "build_datasets", "index": "0"})
    assert not Snapshot.objects.exists()
