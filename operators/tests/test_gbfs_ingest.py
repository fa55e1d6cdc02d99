"""A GBFS 2.3 or 3.0 feed becomes the operator's vehicles: positions, kinds, docked vehicles."""

from __future__ import annotations

import pytest
from django.utils import timezone

from operators.fleet import poll_operator
from operators.models import FeedPoll, FeedState, Vehicle
from operators.tests.gbfs_server import feed_operator

pytestmark = pytest.mark.django_db


def vehicles_of(operator) -> dict[str, tuple]:
    return {
        v.vehicle_id: (v.form_factor, round(v.lat, 4), round(v.lon, 4), v.is_disabled, v.is_reserved)
        for v in Vehicle.objects.filter(operator=operator)
    }


def test_it_reads_every_vehicle_of_a_gbfs_2_3_feed(gbfs_server):
    kring = feed_operator(gbfs_server, "v2.3")
    result = poll_operator(operator=kring)
    assert (result.ok, result.vehicles, result.docked_available) == (True, 4, 1)
    assert vehicles_of(kring) == {
        "b-7f3a": ("bicycle", -6.9147, 107.6098, False, False),
        # 2.x "scooter" is a standing scooter.
        "b-91c2": ("scooter_standing", -6.9001, 107.6201, True, False),
        "b-c4d0": ("scooter_standing", -6.915, 107.6102, False, True),
        # Docked without a position of its own: it stands at its station.
        "b-e5b8": ("bicycle", -6.9218, 107.6071, False, False),
    }
    kring.refresh_from_db()
    assert (kring.feed_state, kring.feed_version, kring.feed_error) == (FeedState.OK, "2.3", "")
    assert kring.last_good_poll_at == kring.last_poll_at
    poll = FeedPoll.objects.get(operator=kring)
    assert (poll.ok, poll.not_modified, poll.vehicles, poll.error) == (True, False, 4, "")


def test_it_reads_every_vehicle_of_a_gbfs_3_0_feed(gbfs_server):
    zoom = feed_operator(gbfs_server, "v3.0", slug="zoom")
    result = poll_operator(operator=zoom)
    assert (result.ok, result.vehicles, result.docked_available) == (True, 3, 2)
    assert vehicles_of(zoom) == {
        "z-0a1b": ("scooter_standing", -6.9147, 107.6098, False, False),
        "z-2c3d": ("scooter_seated", -6.93, 107.6, False, False),
        "z-4e5f": ("bicycle", -6.9025, 107.6188, True, False),
    }
    zoom.refresh_from_db()
    assert (zoom.feed_state, zoom.feed_version) == (FeedState.OK, "3.0")


def test_a_disabled_vehicle_is_disabled_since_the_poll_that_first_saw_it(gbfs_server):
    kring = feed_operator(gbfs_server, "v2.3")
    now = timezone.now()
    poll_operator(operator=kring, now=now)
    assert Vehicle.objects.get(vehicle_id="b-91c2").disabled_since == now
    assert Vehicle.objects.get(vehicle_id="b-7f3a").disabled_since is None


def test_without_vehicle_types_every_vehicle_is_a_bicycle(gbfs_server):
    def drop_types(doc):
        doc["data"]["en"]["feeds"] = [f for f in doc["data"]["en"]["feeds"] if f["name"] != "vehicle_types"]

    gbfs_server.edit("v2.3/gbfs.json", drop_types)
    kring = feed_operator(gbfs_server, "v2.3")
    poll_operator(operator=kring)
    assert set(Vehicle.objects.values_list("form_factor", flat=True)) == {"bicycle"}


def test_a_vehicle_type_the_feed_does_not_define_counts_as_other(gbfs_server):
    gbfs_server.edit("v3.0/vehicle_status.json", lambda doc: doc["data"]["vehicles"][0].update(vehicle_type_id="x"))
    zoom = feed_operator(gbfs_server, "v3.0", slug="zoom")
    poll_operator(operator=zoom)
    assert Vehicle.objects.get(vehicle_id="z-0a1b").form_factor == "other"


def test_it_reads_the_feeds_of_the_sites_language_when_a_2_x_feed_offers_several(gbfs_server, settings):
    settings.LANGUAGE_CODE = "id"

    def point_id_elsewhere(doc):
        for feed in doc["data"]["id"]["feeds"]:
            feed["url"] = feed["url"].replace("/v2.3/", "/v2.3-id/")

    gbfs_server.edit("v2.3/gbfs.json", point_id_elsewhere)
    kring = feed_operator(gbfs_server, "v2.3")
    result = poll_operator(operator=kring)
    # The Indonesian feeds are the ones asked for (and they do not exist on this server).
    assert (result.ok, result.error_code) == (False, "http_error")
    assert gbfs_server.seen("v2.3-id/free_bike_status.json")
