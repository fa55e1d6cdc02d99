"""GET /api/v1/reports/tiles/<z>/<x>/<y>.json: what a tile of the report map holds."""

import math
from collections import defaultdict

import pytest

from moderation.models import ModerationState
from services import map_tiles
from services.models import ReportStatus, Service
from services.tests.factories import ReportFactory, ServiceFactory
from services.tiles import CELLS, MAX_ZOOM, Tile

pytestmark = pytest.mark.django_db

CITY_ZOOM, MIDDLE_ZOOM = 12, 14
# Points inside the default city bounds (107.53..107.74, -6.98..-6.83), spread over a few cells.
POINTS = [(-6.9147, 107.6098), (-6.9150, 107.6110), (-6.9000, 107.6300), (-6.8700, 107.5700), (-6.9500, 107.7000)]


def tile_url(tile: Tile, query: str = "") -> str:
    return f"/api/v1/reports/tiles/{tile.z}/{tile.x}/{tile.y}.json" + (f"?{query}" if query else "")


def get_tile(client, tile: Tile, query: str = "") -> dict:
    response = client.get(tile_url(tile, query))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    document = response.json()
    assert (document["z"], document["x"], document["y"]) == (tile.z, tile.x, tile.y)
    return document


def tiles_over_the_city(z: int) -> list[Tile]:
    """Every tile of zoom ``z`` that meets the default city bounds."""
    north_west, south_east = Tile.containing(-6.83, 107.53, z), Tile.containing(-6.98, 107.74, z)
    return [Tile(z, x, y) for x in range(north_west.x, south_east.x + 1) for y in range(north_west.y, south_east.y + 1)]


def test_a_city_tile_counts_the_reports_of_each_cell_at_their_mean_point(client):
    reports = [ReportFactory(lat=lat, lon=lon) for lat, lon in POINTS]
    tile = Tile.containing(*POINTS[0], CITY_ZOOM)
    expected = defaultdict(list)
    for report in reports:
        if tile.holds(report.lat, report.lon):
            expected[tile.cell_of(report.lat, report.lon)].append(report)

    document = get_tile(client, tile)

    assert "p" not in document
    assert document["n"] == sum(len(cell) for cell in expected.values()) >= 2
    clusters = sorted(document["c"])
    wanted = sorted(
        [
            len(cell),
            round(sum(r.lat for r in cell) / len(cell), 5),
            round(sum(r.lon for r in cell) / len(cell), 5),
        ]
        for cell in expected.values()
    )
    assert [c[0] for c in clusters] == [w[0] for w in wanted]
    for got, want in zip(clusters, wanted, strict=True):
        assert got[1:] == pytest.approx(want[1:], abs=1e-5)


def test_the_tiles_over_the_city_count_every_published_report_once(client):
    for lat, lon in POINTS:
        ReportFactory(lat=lat, lon=lon)
    for z in (10, CITY_ZOOM, MIDDLE_ZOOM):
        documents = [get_tile(client, tile) for tile in tiles_over_the_city(z)]
        assert sum(document["n"] for document in documents) == len(POINTS), z
        assert sum(cluster[0] for document in documents for cluster in document["c"]) == len(POINTS), z


def test_a_tile_holds_what_its_four_children_hold(client):
    for lat, lon in POINTS:
        ReportFactory(lat=lat, lon=lon)
    parent = Tile.containing(*POINTS[0], 11)
    children = [Tile(12, 2 * parent.x + dx, 2 * parent.y + dy) for dx in (0, 1) for dy in (0, 1)]
    assert get_tile(client, parent)["n"] == sum(get_tile(client, child)["n"] for child in children) > 0


def test_hidden_pending_and_rejected_reports_are_never_counted_nor_listed(client):
    shown = ReportFactory(lat=POINTS[0][0], lon=POINTS[0][1])
    for state in (ModerationState.HIDDEN, ModerationState.PENDING, ModerationState.REJECTED):
        ReportFactory(lat=POINTS[0][0], lon=POINTS[0][1], moderation_state=state)
    ReportFactory(lat=None, lon=None, address="Jl. Merdeka")  # no point: never on the map

    assert get_tile(client, Tile.containing(*POINTS[0], CITY_ZOOM))["c"] == [[1, POINTS[0][0], POINTS[0][1]]]
    street = get_tile(client, Tile.containing(*POINTS[0], map_tiles.STREET_ZOOM))
    assert street["n"] == 1
    assert [point[0] for point in street["p"]] == [shown.pk]


def test_the_service_and_status_filters_narrow_the_counts(client):
    lights = ServiceFactory(service_code="streetlight")
    holes = ServiceFactory(service_code="pothole")
    lat, lon = POINTS[0]
    ReportFactory.create_batch(2, service=lights, lat=lat, lon=lon)
    ReportFactory(service=lights, lat=lat, lon=lon, status=ReportStatus.RESOLVED)
    ReportFactory(service=holes, lat=lat, lon=lon, status=ReportStatus.IN_PROGRESS)
    tile = Tile.containing(lat, lon, CITY_ZOOM)

    assert get_tile(client, tile)["n"] == 4
    assert get_tile(client, tile, "service_code=streetlight")["n"] == 3
    assert get_tile(client, tile, "service_code=streetlight&status=resolved")["n"] == 1
    assert get_tile(client, tile, "status=open,in_progress")["n"] == 3
    assert get_tile(client, tile, "service_code=pothole,streetlight&status=in_progress")["n"] == 1
    assert get_tile(client, tile, "service_code=no-such-service") == {
        "z": tile.z,
        "x": tile.x,
        "y": tile.y,
        "n": 0,
        "c": [],
    }


def test_an_unknown_status_is_a_400_naming_the_known_ones(client):
    response = client.get(tile_url(Tile(12, 3272, 2126), "status=lost"))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "open" in response.json()["status"][0]


def test_street_tiles_list_reports_newest_first_with_their_service_and_status(client):
    lights = ServiceFactory(service_code="streetlight")
    holes = ServiceFactory(service_code="pothole")
    lat, lon = POINTS[0]
    older = ReportFactory(service=lights, lat=lat, lon=lon)
    newer = ReportFactory(service=holes, lat=lat + 0.0001, lon=lon, status=ReportStatus.ACKNOWLEDGED)

    document = get_tile(client, Tile.containing(lat, lon, map_tiles.STREET_ZOOM))

    assert document["n"] == 2 and document["truncated"] is False
    assert document["s"] == ["pothole", "streetlight"]
    assert document["p"] == [
        [newer.pk, round(lat + 0.0001, 6), lon, 0, "acknowledged"],
        [older.pk, lat, lon, 1, "open"],
    ]
    assert "c" not in document


def test_a_street_tile_stops_at_its_cap_and_says_how_many_there_are(client, monkeypatch):
    monkeypatch.setattr(map_tiles, "MAX_POINTS", 2)
    reports = [ReportFactory(lat=POINTS[0][0], lon=POINTS[0][1]) for _ in range(3)]
    document = get_tile(client, Tile.containing(*POINTS[0], 18))
    assert document["truncated"] is True and document["n"] == 3
    assert [point[0] for point in document["p"]] == [reports[2].pk, reports[1].pk]


def a_point_whose_rounding_moves_it_east_into_the_next_street_tile() -> tuple[float, float]:
    lat = -6.9101  # published as -6.91
    start = Tile.containing(lat, 107.61, map_tiles.STREET_ZOOM)
    for x in range(start.x, start.x + 100):
        west = Tile(map_tiles.STREET_ZOOM, x, start.y).west
        rounded = math.ceil(west * 1000) / 1000
        if rounded - 0.0004 < west:  # the exact point west of the edge, its rounding east of it
            return lat, rounded - 0.0004
    raise AssertionError("no such tile edge near the city centre")


def test_a_sensitive_service_is_placed_counted_and_averaged_by_its_rounded_point(client):
    coarse = ServiceFactory(location_precision=Service.Precision.COARSE)
    lat, lon = a_point_whose_rounding_moves_it_east_into_the_next_street_tile()
    report = ReportFactory(service=coarse, lat=lat, lon=lon)
    published = (round(lat, 3), round(lon, 3))
    exact_tile = Tile.containing(lat, lon, map_tiles.STREET_ZOOM)
    published_tile = Tile.containing(*published, map_tiles.STREET_ZOOM)
    assert exact_tile != published_tile

    assert get_tile(client, exact_tile)["n"] == 0
    assert get_tile(client, published_tile)["p"] == [[report.pk, published[0], published[1], 0, "open"]]
    [cluster] = get_tile(client, Tile.containing(*published, MIDDLE_ZOOM))["c"]
    assert cluster == [1, published[0], published[1]]


def test_a_report_on_the_corner_of_four_tiles_is_counted_in_exactly_one(client):
    corner = Tile.containing(-6.91, 107.61, MIDDLE_ZOOM)
    # On the tile's north-west corner: the edge is a float computed by one function for all four tiles.
    ReportFactory(lat=corner.north, lon=corner.west)
    around = [Tile(MIDDLE_ZOOM, corner.x + dx, corner.y + dy) for dx in (-1, 0) for dy in (-1, 0)]
    counts = {tile: get_tile(client, tile)["n"] for tile in around}
    assert counts == {tile: int(tile == corner) for tile in around}
    # And in exactly one cell of it: the north-west one, whose west and north edges it lies on.
    assert get_tile(client, corner)["c"] == [[1, round(corner.north, 5), round(corner.west, 5)]]


def test_a_report_on_a_cell_edge_inside_a_tile_goes_to_the_cell_south_east_of_the_edge(client):
    tile = Tile.containing(-6.91, 107.61, MIDDLE_ZOOM)
    lat, lon = tile.lat_edges[1], tile.lon_edges[2]
    ReportFactory(lat=lat, lon=lon)
    ReportFactory(lat=tile.lat_edges[0] - 1e-9, lon=tile.lon_edges[0] + 1e-9)  # the first cell
    assert tile.cell_of(lat, lon) == 1 * CELLS + 2
    document = get_tile(client, tile)
    assert [cluster[0] for cluster in document["c"]] == [1, 1] and document["n"] == 2


def test_a_tile_outside_the_city_is_empty_and_costs_no_query(client, django_assert_num_queries):
    ReportFactory()
    with django_assert_num_queries(0):
        assert get_tile(client, Tile(3, 1, 1))["n"] == 0
        assert get_tile(client, Tile(map_tiles.STREET_ZOOM, 0, 0)) == {
            "z": map_tiles.STREET_ZOOM,
            "x": 0,
            "y": 0,
            "n": 0,
            "truncated": False,
            "s": [],
            "p": [],
        }


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/reports/tiles/{MAX_ZOOM + 1}/0/0.json",
        "/api/v1/reports/tiles/2/4/0.json",
        "/api/v1/reports/tiles/2/0/4.json",
        "/api/v1/reports/tiles/99999999999999999999/0/0.json",
        "/api/v1/reports/tiles/16/99999999999999999999999/0.json",
    ],
)
def test_a_tile_that_does_not_exist_is_a_400_json_error(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["tile"]


@pytest.mark.parametrize(
    "path", ["/api/v1/reports/tiles/-1/0/0.json", "/api/v1/reports/tiles/a/0/0.json", "/api/v1/reports/tiles/1/0/0.png"]
)
def test_a_tile_address_that_is_not_whole_numbers_is_a_404_json_error(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
