"""Feed documents given as Python dicts are checked field by field, with no network."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import pytest
from django.utils import translation

from operators.gbfs import FeedError, parse_feed
from operators.tests.gbfs_server import FEEDS


def documents(version: str) -> dict[str, dict]:
    folder = FEEDS / version
    return {path.stem: json.loads(path.read_text()) for path in folder.glob("*.json") if path.stem != "gbfs"}


def failure(docs) -> FeedError:
    with pytest.raises(FeedError) as caught:
        parse_feed(docs)
    return caught.value


def test_it_parses_local_documents_without_a_network():
    snapshot = parse_feed(documents("v3.0"))
    assert snapshot.version == "3.0"
    assert snapshot.ttl == 30
    assert snapshot.last_updated == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert [v.vehicle_id for v in snapshot.vehicles] == ["z-0a1b", "z-2c3d", "z-4e5f"]
    assert snapshot.stations == 1


def test_a_2_x_last_updated_is_posix_seconds():
    snapshot = parse_feed(documents("v2.3"))
    assert snapshot.last_updated == datetime.fromtimestamp(1700000000, tz=UTC)


@pytest.mark.parametrize(
    ("version", "change", "field"),
    [
        ("v2.3", lambda d: d["data"]["bikes"][1].update(lat="-6.9"), "data.bikes[1].lat"),
        ("v2.3", lambda d: d["data"]["bikes"][1].update(lat=-91), "data.bikes[1].lat"),
        ("v2.3", lambda d: d["data"]["bikes"][0].update(lon=181.0), "data.bikes[0].lon"),
        ("v2.3", lambda d: d["data"]["bikes"][0].update(lon=float("nan")), "data.bikes[0].lon"),
        ("v2.3", lambda d: d["data"]["bikes"][0].update(bike_id=42), "data.bikes[0].bike_id"),
        ("v2.3", lambda d: d["data"]["bikes"][0].update(is_disabled="false"), "data.bikes[0].is_disabled"),
        ("v2.3", lambda d: d["data"]["bikes"][2].update(is_reserved=0), "data.bikes[2].is_reserved"),
        ("v2.3", lambda d: d.update(last_updated="2023-11-14T22:13:20Z"), "last_updated"),
        ("v2.3", lambda d: d.update(ttl=-1), "ttl"),
        ("v3.0", lambda d: d.update(last_updated=1700000000), "last_updated"),
        ("v3.0", lambda d: d.update(last_updated="2023-11-14 22:13"), "last_updated"),
        ("v3.0", lambda d: d["data"]["vehicles"][0].update(is_reserved=None), "data.vehicles[0].is_reserved"),
        ("v3.0", lambda d: d["data"]["vehicles"][0].pop("vehicle_id"), "data.vehicles[0].vehicle_id"),
        ("v3.0", lambda d: d["data"]["vehicles"][1].pop("lat"), "data.vehicles[1].lat"),
        ("v3.0", lambda d: d["data"].pop("vehicles"), "data.vehicles"),
    ],
)
def test_it_refuses_a_field_missing_or_of_the_wrong_type(version, change, field):
    docs = documents(version)
    status = "free_bike_status" if version == "v2.3" else "vehicle_status"
    change(docs[status])
    error = failure(docs)
    assert error.code == "invalid"
    assert field in str(error.message)


def test_the_message_never_quotes_a_vehicle_id():
    docs = documents("v2.3")
    docs["free_bike_status"]["data"]["bikes"][1]["lat"] = "north"
    error = failure(docs)
    assert "b-91c2" not in str(error.message)
    assert "data.bikes[1].lat" in str(error.message)


def test_the_message_is_translated_when_shown():
    docs = documents("v2.3")
    docs["free_bike_status"]["data"]["bikes"][0]["is_disabled"] = "no"
    error = failure(docs)
    with translation.override("id"):
        shown = str(error.message)
    assert "data.bikes[0].is_disabled" in shown
    assert shown != str(error.message)


@pytest.mark.parametrize("version", ["1.1", "2.4", "3.1-RC2", None, 3.0])
def test_it_refuses_a_version_it_does_not_read(version):
    docs = documents("v3.0")
    docs["vehicle_status"]["version"] = version
    assert failure(docs).code == "wrong_version"


def test_it_reads_the_2_0_to_2_2_versions_too():
    docs = documents("v2.3")
    for document in docs.values():
        document["version"] = "2.2"
    assert parse_feed(docs).version == "2.2"


def test_files_of_another_major_version_than_the_vehicles_are_refused():
    docs = documents("v2.3")
    docs["vehicle_types"] = copy.deepcopy(documents("v3.0")["vehicle_types"])
    assert failure(docs).code == "wrong_version"


def test_a_vehicle_listed_twice_is_refused():
    docs = documents("v3.0")
    vehicles = docs["vehicle_status"]["data"]["vehicles"]
    vehicles.append(dict(vehicles[0]))
    error = failure(docs)
    assert error.code == "invalid"
    assert "data.vehicles[3]" in str(error.message)


def test_a_docked_vehicle_at_an_unknown_station_is_refused():
    docs = documents("v3.0")
    docs["vehicle_status"]["data"]["vehicles"][2]["station_id"] = "nowhere"
    assert failure(docs).code == "invalid"


def test_a_feed_without_vehicle_status_is_refused():
    docs = documents("v3.0")
    del docs["vehicle_status"]
    assert failure(docs).code == "invalid"
