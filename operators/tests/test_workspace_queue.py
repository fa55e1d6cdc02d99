"""The operator's queue: its own open reports by deadline, overdue ones marked, on a list and a map,
as the public reads them and never with who reported them; and what it answered lately."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from moderation.models import ModerationState
from operators import actions
from operators.models import Assignment
from operators.tests.conftest import REPORTER_EMAIL, REPORTER_NAME, routed_report
from services.models import ReportPhoto
from services.photos import process_photo
from services.tests.factories import image_upload

pytestmark = pytest.mark.django_db


def page_text(client, path="/operator/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def report_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'name="report" value="(\d+)"', html)]


def test_it_lists_the_operators_open_reports_soonest_deadline_first(client, kring, zoom, reporter):
    operator, staff = kring
    later, sooner, done = (routed_report(reporter, operator) for _ in range(3))
    Assignment.objects.filter(report=sooner).update(due_at=timezone.now() + timedelta(hours=2))
    actions.assignment_resolve(user=staff, report_id=done.pk, outcome="removed")
    routed_report(reporter, zoom[0])
    client.force_login(staff)
    assert report_ids(page_text(client)) == [sooner.pk, later.pk]


def test_an_overdue_report_is_marked_and_says_how_late_it_is(client, kring, reporter):
    operator, staff = kring
    late = routed_report(reporter, operator)
    on_time = routed_report(reporter, operator)
    Assignment.objects.filter(report=late).update(due_at=timezone.now() - timedelta(hours=3))
    client.force_login(staff)
    html = page_text(client)
    assert html.count("queue-item-overdue") == 1
    assert "Overdue" in html and "3\xa0hours late" in html
    # 24 or 36 hours (a night deadline), less the moments the test took
    assert re.search(r"(23|35|1\xa0day)\xa0?[^<]* left", html), "the time left is shown"
    assert f'value="{late.pk}"' in html and f'value="{on_time.pk}"' in html


def test_each_item_shows_what_the_public_reads_and_why_it_came_here(client, kring, reporter, media):
    operator, staff = kring
    report = routed_report(reporter, operator, description="Bike on the ramp, call me on 0812 3456 7890")
    shown = process_photo(ReportPhoto.objects.create(report=report, upload=image_upload()))
    hidden = process_photo(ReportPhoto.objects.create(report=report, upload=image_upload()))
    hidden.moderation_state = ModerationState.HIDDEN
    hidden.save(update_fields=["moderation_state"])
    client.force_login(staff)
    html = page_text(client)
    assert "Bike on the ramp, call me on [redacted]" in html
    assert "0812 3456 7890" not in html
    assert shown.thumbnail_url in html and hidden.thumbnail_url not in html
    assert "Chosen by the reporter" in html
    assert "Abandoned share-bike or e-scooter" in html
    assert f'data-lat="{report.public_point[0]:f}"' in html


@pytest.mark.parametrize("path", ["/operator/", "/operator/resolved/", "/operator/reports/{pk}/"])
def test_no_operator_page_names_the_reporter(client, kring, reporter, path):
    operator, staff = kring
    report = routed_report(reporter, operator)
    if "resolved" in path:
        actions.assignment_resolve(user=staff, report_id=report.pk, outcome="removed")
    client.force_login(staff)
    html = page_text(client, path.format(pk=report.pk))
    assert f"#{report.pk}" in html
    assert REPORTER_NAME not in html
    assert REPORTER_EMAIL not in html
    assert reporter.email.split("@")[0] not in html


def test_a_report_hidden_by_the_moderators_leaves_the_queue(client, kring, reporter):
    operator, staff = kring
    report = routed_report(reporter, operator)
    report.moderation_state = ModerationState.HIDDEN
    report.save(update_fields=["moderation_state"])
    client.force_login(staff)
    assert report_ids(page_text(client)) == []
    assert client.get(f"/operator/reports/{report.pk}/").status_code == 404


def test_the_map_reads_its_points_from_the_list_and_the_city_settings(client, kring, reporter, settings):
    operator, staff = kring
    routed_report(reporter, operator)
    client.force_login(staff)
    html = page_text(client)
    assert 'id="queue-map"' in html
    assert f'data-tiles="{settings.MAP_TILE_URL}"' in html
    assert "js/operator-queue.js" in html
    assert "<script>" not in html, "no inline script: the CSP allows only the site's files"


@pytest.mark.parametrize("count", [1, 12])
def test_the_queue_costs_the_same_queries_whatever_its_length(
    client, kring, reporter, media, django_assert_max_num_queries, count
):
    operator, staff = kring
    for _ in range(count):
        report = routed_report(reporter, operator)
        process_photo(ReportPhoto.objects.create(report=report, upload=image_upload()))
    client.force_login(staff)
    client.get("/operator/")
    # the session, the user, the role, the membership, the count, the assignments with their reports, the photos
    with django_assert_max_num_queries(7):
        assert len(report_ids(page_text(client))) == count


def test_recently_resolved_lists_the_last_seven_days_latest_first(client, kring, reporter):
    operator, staff = kring
    first, second, old, _still_open = (routed_report(reporter, operator) for _ in range(4))
    for report, outcome in ((first, "removed"), (second, "reparked"), (old, "repaired")):
        actions.assignment_resolve(user=staff, report_id=report.pk, outcome=outcome)
    Assignment.objects.filter(report=first).update(resolved_at=timezone.now() - timedelta(hours=1))
    Assignment.objects.filter(report=old).update(resolved_at=timezone.now() - timedelta(days=8))
    client.force_login(staff)
    html = page_text(client, "/operator/resolved/")
    listed = [int(pk) for pk in re.findall(r'href="/operator/reports/(\d+)/"', html)]
    assert list(dict.fromkeys(listed)) == [second.pk, first.pk]
    assert "Re-parked on" in html and "Removed on" in html
