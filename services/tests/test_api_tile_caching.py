"""The report map's tiles are cached until the map changes: ETag, 304, Cache-Control, and what changes them."""

import pytest

from moderation import actions as moderation_actions
from moderation.models import ActionKind, ModerationState
from services import actions, map_tiles, map_version
from services.models import ReportStatus, Service
from services.tests.factories import CITY_LAT, CITY_LON, ReportFactory, ServiceFactory
from services.tiles import Tile

pytestmark = pytest.mark.django_db

CITY_TILE = Tile.containing(CITY_LAT, CITY_LON, 12)
STREET_TILE = Tile.containing(CITY_LAT, CITY_LON, map_tiles.STREET_ZOOM)


def url(tile: Tile = CITY_TILE, query: str = "") -> str:
    return f"/api/v1/reports/tiles/{tile.z}/{tile.x}/{tile.y}.json" + (f"?{query}" if query else "")


def count(client, tile: Tile = CITY_TILE) -> int:
    return client.get(url(tile)).json()["n"]


def test_a_tile_may_be_kept_a_minute_by_anyone_and_carries_an_etag(client):
    ReportFactory()
    response = client.get(url())
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["ETag"].startswith('W/"')


def test_the_etag_sent_back_gets_a_304_without_a_body_or_a_query(client, django_assert_num_queries):
    ReportFactory()
    etag = client.get(url())["ETag"]
    with django_assert_num_queries(0):
        response = client.get(url(), headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag and response["Cache-Control"] == "public, max-age=60"
    # A proxy that compressed the answer may send the tag back without its W/ prefix.
    assert client.get(url(), headers={"if-none-match": etag.removeprefix("W/")}).status_code == 304
    assert client.get(url(), headers={"if-none-match": 'W/"1-something-else"'}).status_code == 200


def test_a_cluster_tile_costs_two_queries_then_none_until_the_map_changes(client, django_assert_num_queries):
    for _ in range(5):
        ReportFactory()
    with django_assert_num_queries(2):  # the services, then the clusters
        assert count(client) == 5
    with django_assert_num_queries(0):
        assert count(client) == 5


@pytest.mark.parametrize("reports, queries", [(3, 2), (30, 3)])
def test_a_street_tile_costs_two_queries_and_a_count_when_cut(
    client, django_assert_num_queries, monkeypatch, reports, queries
):
    monkeypatch.setattr(map_tiles, "MAX_POINTS", 10)
    service = ServiceFactory()
    for _ in range(reports):
        ReportFactory(service=service)
    with django_assert_num_queries(queries):
        assert count(client, STREET_TILE) == reports


def test_filters_are_cached_apart(client):
    ReportFactory()
    ReportFactory(status=ReportStatus.RESOLVED)
    assert count(client) == 2
    assert client.get(url(query="status=resolved")).json()["n"] == 1
    assert client.get(url(query="status=open")).json()["n"] == 1


def test_a_new_published_report_changes_the_etag_and_the_tile(client, django_capture_on_commit_callbacks):
    ReportFactory()
    before = client.get(url())
    with django_capture_on_commit_callbacks(execute=True):
        ReportFactory()
    after = client.get(url(), headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert after.json()["n"] == 2


def test_a_report_hidden_by_a_moderator_leaves_the_map_at_once(client, moderator, django_capture_on_commit_callbacks):
    shown, hidden = ReportFactory(), ReportFactory()
    assert count(client) == 2
    with django_capture_on_commit_callbacks(execute=True):
        moderation_actions.moderate(moderator=moderator, target=hidden, action=ActionKind.HIDE, reason_code="spam")
    assert count(client) == 1
    assert [point[0] for point in client.get(url(STREET_TILE)).json()["p"]] == [shown.pk]


def test_a_status_change_reaches_the_filtered_tiles(client, staff, django_capture_on_commit_callbacks):
    report = ReportFactory()
    assert client.get(url(query="status=resolved")).json()["n"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        actions.report_change_status(report=report, to_status=ReportStatus.RESOLVED, by=staff)
    assert client.get(url(query="status=resolved")).json()["n"] == 1


def test_a_service_made_sensitive_moves_its_points_to_the_rounded_ones(client, django_capture_on_commit_callbacks):
    report = ReportFactory(lat=-6.91234, lon=107.60987)
    assert client.get(url(STREET_TILE)).json()["p"][0][1:3] == [-6.91234, 107.60987]
    with django_capture_on_commit_callbacks(execute=True):
        report.service.location_precision = Service.Precision.COARSE
        report.service.save()
    assert client.get(url(STREET_TILE)).json()["p"][0][1:3] == [-6.912, 107.61]


def test_writes_that_do_not_change_the_map_keep_the_version(django_capture_on_commit_callbacks):
    report = ReportFactory()
    version = map_version.current()
    with django_capture_on_commit_callbacks(execute=True):
        # A report waiting for a moderator is not on the map.
        ReportFactory(service=report.service, reporter=report.reporter, moderation_state=ModerationState.PENDING)
        report.description = "Still there"
        report.save(update_fields=["description"])
    assert map_version.current() == version
    with django_capture_on_commit_callbacks(execute=True):
        report.delete()
    assert map_version.current() != version


def test_the_version_changes_only_once_the_write_commits(django_capture_on_commit_callbacks):
    version = map_version.current()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ReportFactory()
    assert map_version.current() == version  # a tile made now reads the rows as they were
    for callback in callbacks:
        callback()
    assert map_version.current() != version


def test_a_request_waits_for_the_tile_another_is_making(client, monkeypatch, django_assert_num_queries):
    """A new version empties every tile: the visitors who ask meanwhile do not all make it again."""
    ReportFactory()
    wanted = map_tiles.TileRequest(CITY_TILE)
    key = wanted.cache_key(map_version.current())
    from django.core.cache import cache

    cache.add(f"{key}:making", 1, 5)  # another request is making it
    made = map_tiles.tile_body(wanted)
    monkeypatch.setattr(map_tiles.time, "sleep", lambda seconds: cache.set(key, made))
    with django_assert_num_queries(0):
        assert client.get(url()).content == made
