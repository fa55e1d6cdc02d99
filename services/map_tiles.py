"""The report map's tiles: for one Web Mercator tile, clusters of published reports or the reports
themselves, as compact JSON, cached until the map changes.

Below ``STREET_ZOOM`` a tile counts its reports per cell (``tiles.CELLS`` by ``tiles.CELLS``
cells of 64 px): one ``GROUP BY`` over an integer cell key, each cluster with its count and the
mean of its reports' points. From ``STREET_ZOOM`` on it lists the reports, newest first, at most
``MAX_POINTS``; ``truncated`` says when there were more, and ``n`` how many. Every read goes
through ``visible()``, and every point is the published one (``Report.public_point``): a
sensitive service's reports are placed, filtered and averaged by their rounded points, so neither
a cluster's mean nor the tile a report falls in tells more than the rounded point does. Only
reports inside ``CITY_BOUNDS`` are drawn, as the GeoJSON layer's default box does; a tile outside
them is answered without a query.

The body holds codes, not names, so it is the same in every language and for every visitor:
it is cached in the shared cache under the map version (``services.map_version``), the
filters and the tile, for at most ``CACHE_SECONDS``, and its ``ETag`` is that version. A
request whose ``If-None-Match`` names the current version gets a ``304`` after one cache read.

The cell of a report is computed with comparisons against the cell edges, which Python works out
per tile (``services.tiles``): no trigonometry in SQL, the same answer on SQLite and PostgreSQL,
and cheap enough for a million rows (``bench/README.md``).
"""

from __future__ import annotations

import hashlib
import json
import operator
import time
from dataclasses import dataclass
from functools import reduce

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, ExpressionWrapper, F, FloatField, IntegerField, Value, When
from django.db.models.functions import Round
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import parse_etags

from services import map_version
from services.models import COARSE_DECIMALS, Report, ReportQuerySet, Service
from services.tiles import CELLS, Tile

# From this zoom on, a tile lists reports rather than counting them (z16: a tile is about 600 m wide).
STREET_ZOOM = 16
# The most reports a street tile lists: about 15 kB of gzip, and as many markers as a phone draws smoothly.
MAX_POINTS = 1000
# How long browsers and proxies keep a tile before they ask again (with If-None-Match).
MAX_AGE_SECONDS = 60
# The most a tile stays in the shared cache: it is outdated sooner by a new map version, but a write
# that sends no signal (a bulk update, a COPY) is seen after this long.
CACHE_SECONDS = 600
# How long a request waits for another that is making the same tile, and how often it looks.
MAKING_SECONDS = 3
WAIT_STEP_SECONDS = 0.05
# Changed whenever the body's shape changes, so that no cached body or ETag of the old shape is served.
FORMAT = "1"
CLUSTER_DECIMALS = 5  # about 1 m: a cluster's mean point
POINT_DECIMALS = 6  # about 0.1 m: a report's published point


@dataclass(frozen=True)
class TileRequest:
    """One tile of the map under the public filters it honours (``service_code``, ``status``)."""

    tile: Tile
    service_codes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()

    def cache_key(self, version: str) -> str:
        filters = ",".join(sorted(self.service_codes)) + "|" + ",".join(sorted(self.statuses))
        digest = hashlib.sha256(filters.encode()).hexdigest()[:20]
        return f"services:tile:{FORMAT}:{version}:{self.tile.z}/{self.tile.x}/{self.tile.y}:{digest}"


def etag(version: str) -> str:
    # Weak: a proxy that compresses the body keeps a weak tag as it is.
    return f'W/"{FORMAT}-{version}"'


def serve(request: HttpRequest, wanted: TileRequest) -> HttpResponse:
    """The tile's JSON, from the cache when the map has not changed since it was made; or a ``304``."""
    version = map_version.current()
    tag = etag(version)
    if tag.removeprefix("W/") in (t.removeprefix("W/") for t in parse_etags(request.headers.get("If-None-Match", ""))):
        return _cacheable(HttpResponseNotModified(), tag)
    key = wanted.cache_key(version)
    body = cache.get(key)
    if body is None:
        body = _made_once(key, wanted)
    return _cacheable(HttpResponse(body, content_type="application/json"), tag)


def _made_once(key: str, wanted: TileRequest) -> bytes:
    """Make and cache the tile; when another request is making it already, wait for its body.

    A new map version empties every tile at once, and a city-wide tile costs a few hundred
    milliseconds of database time with a million reports: the visitors who ask for it meanwhile
    wait for the one making it, rather than all making it at once.
    """
    lock = f"{key}:making"
    if cache.add(lock, 1, MAKING_SECONDS):
        try:
            body = tile_body(wanted)
            cache.set(key, body, CACHE_SECONDS)
        finally:
            cache.delete(lock)
        return body
    deadline = time.monotonic() + MAKING_SECONDS
    while time.monotonic() < deadline:
        time.sleep(WAIT_STEP_SECONDS)
        body = cache.get(key)
        if body is not None:
            return body
    return tile_body(wanted)  # the request making it failed or is slow: make it here


def _cacheable(response: HttpResponse, tag: str) -> HttpResponse:
    response["ETag"] = tag
    response["Cache-Control"] = f"public, max-age={MAX_AGE_SECONDS}"
    return response


# The body --------------------------------------------------------------------------------------


def tile_body(wanted: TileRequest) -> bytes:
    """The tile as compact JSON (the keys are documented in docs/api.md)."""
    tile = wanted.tile
    head = {"z": tile.z, "x": tile.x, "y": tile.y}
    streets = tile.z >= STREET_ZOOM
    empty = {**head, "n": 0, **({"truncated": False, "s": [], "p": []} if streets else {"c": []})}
    if not tile.meets(*settings.CITY_BOUNDS):
        return _encode(empty)
    services = list(Service.objects.order_by().values_list("pk", "service_code", "location_precision"))
    coarse = [pk for pk, _code, precision in services if precision == Service.Precision.COARSE]
    reports = Report.objects.visible()
    if wanted.service_codes:
        chosen = [pk for pk, code, _precision in services if code in wanted.service_codes]
        if not chosen:
            return _encode(empty)
        reports = reports.filter(service_id__in=chosen)
    if wanted.statuses:
        reports = reports.filter(status__in=wanted.statuses)
    reports = _in_tile(reports, tile, coarse)
    if streets:
        codes = {pk: code for pk, code, _precision in services}
        return _encode({**head, **_points(reports, codes)})
    return _encode({**head, **_clusters(reports, tile)})


def _encode(document: dict) -> bytes:
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()


def _published(field: str, coarse: list[int]):
    """The published coordinate (as ``Report.public_point``), told by service id: no join needed."""
    if not coarse:
        return F(field)
    rounded = Round(field, COARSE_DECIMALS)
    return Case(When(service_id__in=coarse, then=rounded), default=F(field), output_field=FloatField())


def _in_tile(reports: ReportQuerySet, tile: Tile, coarse: list[int]) -> ReportQuerySet:
    """Reports whose published point lies in the tile and in the city's bounds."""
    reports = reports.annotate(map_lat=_published("lat", coarse), map_lon=_published("lon", coarse))
    if coarse:
        # The exact point, with a margin for the rounding, narrows the rows first on the (lon, lat) index.
        margin = 10**-COARSE_DECIMALS
        reports = reports.filter(
            lon__gte=tile.west - margin, lon__lt=tile.east + margin, lat__gt=tile.south - margin,
            lat__lte=tile.north + margin,
        )  # fmt: skip
    min_lon, min_lat, max_lon, max_lat = settings.CITY_BOUNDS
    return reports.filter(
        map_lon__gte=max(tile.west, min_lon),
        map_lon__lt=tile.east,
        map_lon__lte=max_lon,
        map_lat__gt=tile.south,
        map_lat__gte=min_lat,
        map_lat__lte=min(tile.north, max_lat),
    )


def _count_at_or_past(field: str, lookup: str, edges) -> object:
    """How many of ``edges`` the field is at or past: the column (or row) of the cell."""
    terms = [Case(When(**{f"{field}__{lookup}": edge}, then=Value(1)), default=Value(0)) for edge in edges]
    return reduce(operator.add, terms, Value(0))


def _clusters(reports: ReportQuerySet, tile: Tile) -> dict:
    column = _count_at_or_past("map_lon", "gte", tile.lon_edges[1:-1])  # west edges stay in their cell
    row = _count_at_or_past("map_lat", "lte", tile.lat_edges[1:-1])  # north edges stay in their cell
    cell = ExpressionWrapper(row * Value(CELLS) + column, output_field=IntegerField())
    located = reports.annotate(cell=cell).order_by().values_list("cell", "map_lat", "map_lon")
    inner, params = located.query.sql_with_params()
    # Grouped outside a subquery, and on PostgreSQL behind OFFSET 0, which keeps the planner from
    # merging it in: otherwise it guesses the groups from the distinct points (hundreds of thousands,
    # not 16) and sorts every row on disk rather than hashing them, about 2.5 times slower (bench/README.md).
    fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
    # The inner query is the ORM's, its values passed as parameters: nothing from the request is in the text.
    sql = f"SELECT cell, COUNT(*), AVG(map_lat), AVG(map_lon) FROM ({inner}{fence}) AS located GROUP BY cell ORDER BY cell"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        clusters = cursor.fetchall()
    return {
        "n": sum(count for _cell, count, _lat, _lon in clusters),
        "c": [
            [count, round(lat, CLUSTER_DECIMALS), round(lon, CLUSTER_DECIMALS)] for _cell, count, lat, lon in clusters
        ],
    }


def _points(reports: ReportQuerySet, codes: dict[int, str]) -> dict:
    rows = list(
        reports.order_by("-created_at", "-pk").values_list("pk", "map_lat", "map_lon", "service_id", "status")[
            : MAX_POINTS + 1
        ]
    )
    truncated = len(rows) > MAX_POINTS
    rows = rows[:MAX_POINTS]
    used: dict[int, int] = {}  # service id -> its place in "s"
    points = []
    for pk, lat, lon, service_id, status in rows:
        index = used.setdefault(service_id, len(used))
        points.append([pk, round(lat, POINT_DECIMALS), round(lon, POINT_DECIMALS), index, status])
    return {
        "n": reports.count() if truncated else len(points),
        "truncated": truncated,
        "s": [codes[service_id] for service_id in used],
        "p": points,
    }
