"""What the files of a GBFS feed must hold, and the vehicles they describe; no network, no writes.

``parse_feed(documents)`` takes the documents as Python dicts keyed by feed name (the demo
feeds local files through it) and returns a ``Snapshot``: every vehicle not in use, with its
position (a vehicle docked at a station without its own position stands at the station's) and
its kind (``form_factor`` from ``vehicle_types``). ``discover(document)`` reads ``gbfs.json``.
Versions 2.0 to 2.3 and 3.0 are read, as MobilityData's ``gbfs.md`` at ``v2.3`` and ``v3.0``
define them; anything else raises ``FeedError(code, message)`` (see ``operators/gbfs.py``).

Messages name the file and the field's path in it (``data.bikes[3].lat``), never a vehicle id:
ids are not to leave the site.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from operators.models import FormFactor

TIMEOUT = "timeout"
UNREACHABLE = "unreachable"
HTTP_ERROR = "http_error"
NOT_JSON = "not_json"
TOO_LARGE = "too_large"
WRONG_VERSION = "wrong_version"
INVALID = "invalid"

# What each failure means, for pages that show a feed's health in the reader's language.
ERROR_TEXTS = {
    TIMEOUT: _("The feed did not answer in time."),
    UNREACHABLE: _("The feed could not be reached."),
    HTTP_ERROR: _("The feed's server answered with an error."),
    NOT_JSON: _("The feed sent something that is not JSON."),
    TOO_LARGE: _("The feed sent a file larger than the site accepts."),
    WRONG_VERSION: _("The feed uses a GBFS version the site does not read."),
    INVALID: _("The feed does not follow the GBFS specification."),
}

SUPPORTED_VERSIONS = ("2.0", "2.1", "2.2", "2.3", "3.0")
# The files read besides gbfs.json; the vehicles are in one of the last two.
FILES = ("system_information", "vehicle_types", "station_information", "station_status")
STATUS_FILES = ("vehicle_status", "free_bike_status")
# GBFS form factors, including the 2.x ``scooter`` (a standing scooter) and the 2.3 text's typo.
FORM_FACTORS = {value: value for value in FormFactor.values} | {
    "scooter": FormFactor.SCOOTER_STANDING,
    "scooted_seated": FormFactor.SCOOTER_SEATED,
}
VEHICLE_ID_MAX = 200
CHUNK = 64 * 1024
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
UNPRINTABLE = re.compile(r"[^\x20-\x7e]")


def lazy_message(template: str, **params: object) -> Promise:
    """``template`` (marked with ``gettext_noop``) translated when shown, then filled with ``params``."""
    return lazy(lambda: gettext(template) % {key: str(value) for key, value in params.items()}, str)()


def quoted(value: object, limit: int = 20) -> str:
    """A value from the feed, short and printable, fit to quote in a message."""
    return UNPRINTABLE.sub("?", str(value))[:limit]


class FeedError(Exception):
    """A poll that failed: ``code`` (one of the constants above) and a translatable ``message``."""

    def __init__(self, code: str, message: Promise | str):
        super().__init__(code)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


# --- the snapshot ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeedVehicle:
    vehicle_id: str
    form_factor: str
    lat: float
    lon: float
    is_disabled: bool
    is_reserved: bool


@dataclass(frozen=True)
class Snapshot:
    """What one reading of a feed says: its version and freshness, and every vehicle not in use."""

    version: str
    last_updated: datetime
    ttl: int
    vehicles: list[FeedVehicle]
    stations: int = 0
    # Vehicles available at stations, as station_status counts them (docked vehicles may be
    # listed without ids): told to staff, never stored.
    docked_available: int | None = None


# --- parsing ---------------------------------------------------------------------------------

EXPECTED = {
    "text": _("a text"),
    "id": _("a text of 1 to 200 characters"),
    "object": _("an object"),
    "list": _("a list"),
    "boolean": _("true or false"),
    "count": _("a whole number, 0 or more"),
    "latitude": _("a number between -90 and 90"),
    "longitude": _("a number between -180 and 180"),
    "posix": _("a whole number of seconds (POSIX time)"),
    "rfc3339": _("a date and time in RFC 3339 format"),
}


class _File:
    """One document being checked: every error names the file and the field's path in it."""

    def __init__(self, name: str):
        self.name = name

    def invalid(self, path: str, expected: str) -> FeedError:
        return FeedError(
            INVALID,
            lazy_message(
                gettext_noop("The %(file)s file is not valid GBFS: %(field)s must be %(expected)s."),
                file=self.name,
                field=path,
                expected=EXPECTED[expected],
            ),
        )

    def missing(self, path: str) -> FeedError:
        return FeedError(
            INVALID,
            lazy_message(
                gettext_noop("The %(file)s file is not valid GBFS: %(field)s is missing."), file=self.name, field=path
            ),
        )

    def get(self, obj: dict, key: str, path: str, kind: str, *, required: bool = True) -> Any:
        """``obj[key]`` checked to be of ``kind``; None when absent and not required."""
        where = f"{path}.{key}" if path else key
        if key not in obj or obj[key] is None:
            if required:
                raise self.missing(where)
            return None
        value = obj[key]
        if not _is(kind, value):
            raise self.invalid(where, kind)
        return value


def _is(kind: str, value: object) -> bool:
    # Plain tests, no table of lambdas: this runs a few times for each of thousands of vehicles.
    if kind == "latitude" or kind == "longitude":
        limit = 90 if kind == "latitude" else 180
        return (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and math.isfinite(value)
            and -limit <= value <= limit
        )
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "id":
        return isinstance(value, str) and 0 < len(value) <= VEHICLE_ID_MAX
    if kind == "text":
        return isinstance(value, str)
    if kind == "count":
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    if kind == "object":
        return isinstance(value, dict)
    return kind == "list" and isinstance(value, list)


def header(name: str, document: object) -> tuple[str, datetime, int, dict]:
    """The common header of every file: version, last_updated, ttl and the data object."""
    checked = _File(name)
    if not isinstance(document, dict):
        raise checked.invalid("(the document)", "object")
    version = document.get("version")
    if version not in SUPPORTED_VERSIONS:
        raise FeedError(
            WRONG_VERSION,
            lazy_message(
                gettext_noop(
                    "The %(file)s file declares GBFS version %(version)s; the site reads versions 2.0 to 2.3 and 3.0."
                ),
                file=name,
                version=quoted(version) if version is not None else "(none)",
            ),
        )
    ttl = checked.get(document, "ttl", "", "count")
    updated = document.get("last_updated")
    if version.startswith("2."):
        if not _is("count", updated):
            raise checked.missing("last_updated") if updated is None else checked.invalid("last_updated", "posix")
        try:
            last_updated = datetime.fromtimestamp(updated, tz=UTC)
        except (OverflowError, OSError, ValueError):
            raise checked.invalid("last_updated", "posix") from None
    else:
        if not (isinstance(updated, str) and RFC3339.match(updated)):
            raise checked.missing("last_updated") if updated is None else checked.invalid("last_updated", "rfc3339")
        try:
            last_updated = datetime.fromisoformat(updated.replace("z", "Z")).astimezone(UTC)
        except ValueError:
            raise checked.invalid("last_updated", "rfc3339") from None
    data = checked.get(document, "data", "", "object")
    return version, last_updated, ttl, data


def _vehicle_types(document: dict | None) -> dict[str, str] | None:
    """``vehicle_type_id`` → our form factor; None when the feed has no vehicle_types file."""
    if document is None:
        return None
    checked = _File("vehicle_types")
    _version, _updated, _ttl, data = header("vehicle_types", document)
    types = {}
    for index, item in enumerate(checked.get(data, "vehicle_types", "data", "list")):
        path = f"data.vehicle_types[{index}]"
        if not isinstance(item, dict):
            raise checked.invalid(path, "object")
        type_id = checked.get(item, "vehicle_type_id", path, "id")
        form_factor = checked.get(item, "form_factor", path, "text")
        # A form factor added by a later version counts as "other" rather than failing the feed.
        types[type_id] = str(FORM_FACTORS.get(form_factor, FormFactor.OTHER))
    return types


def _stations(document: dict | None) -> dict[str, tuple[float, float]]:
    if document is None:
        return {}
    checked = _File("station_information")
    header("station_information", document)
    found = {}
    for index, item in enumerate(checked.get(document["data"], "stations", "data", "list")):
        path = f"data.stations[{index}]"
        if not isinstance(item, dict):
            raise checked.invalid(path, "object")
        station_id = checked.get(item, "station_id", path, "id")
        found[station_id] = (checked.get(item, "lat", path, "latitude"), checked.get(item, "lon", path, "longitude"))
    return found


def _docked(document: dict | None) -> int | None:
    if document is None:
        return None
    checked = _File("station_status")
    version, _updated, _ttl, data = header("station_status", document)
    count_field = "num_bikes_available" if version.startswith("2.") else "num_vehicles_available"
    total = 0
    for index, item in enumerate(checked.get(data, "stations", "data", "list")):
        path = f"data.stations[{index}]"
        if not isinstance(item, dict):
            raise checked.invalid(path, "object")
        checked.get(item, "station_id", path, "id")
        total += checked.get(item, count_field, path, "count")
    return total


def parse_feed(documents: dict[str, dict]) -> Snapshot:
    """Check a feed's documents (keyed by feed name: ``vehicle_status`` or ``free_bike_status``,
    and when the feed has them ``vehicle_types``, ``station_information``, ``station_status``,
    ``system_information``) and return the vehicles they describe."""
    status_name = next((name for name in STATUS_FILES if name in documents), None)
    if status_name is None:
        raise FeedError(
            INVALID,
            lazy_message(gettext_noop("The feed lists no vehicle status file (vehicle_status or free_bike_status).")),
        )
    version, last_updated, ttl, data = header(status_name, documents[status_name])
    for name in FILES:
        if documents.get(name) is not None:
            other = header(name, documents[name])[0]
            if other.split(".")[0] != version.split(".")[0]:
                raise FeedError(
                    WRONG_VERSION,
                    lazy_message(
                        gettext_noop("The %(file)s file declares GBFS version %(version)s, unlike the vehicle status."),
                        file=name,
                        version=other,
                    ),
                )
    types = _vehicle_types(documents.get("vehicle_types"))
    stations = _stations(documents.get("station_information"))
    vehicles = _vehicles(status_name, version, data, types, stations)
    return Snapshot(
        version=version,
        last_updated=last_updated,
        ttl=ttl,
        vehicles=vehicles,
        stations=len(stations),
        docked_available=_docked(documents.get("station_status")),
    )


def _vehicles(
    name: str, version: str, data: dict, types: dict[str, str] | None, stations: dict[str, tuple[float, float]]
) -> list[FeedVehicle]:
    checked = _File(name)
    list_key, id_key = ("bikes", "bike_id") if version.startswith("2.") else ("vehicles", "vehicle_id")
    # Without a vehicle_types file every vehicle is a pedal bicycle (the specification says so).
    default = FormFactor.BICYCLE if types is None else FormFactor.OTHER
    vehicles = []
    seen: set[str] = set()
    for index, item in enumerate(checked.get(data, list_key, "data", "list")):
        path = f"data.{list_key}[{index}]"
        if not isinstance(item, dict):
            raise checked.invalid(path, "object")
        vehicle_id = checked.get(item, id_key, path, "id")
        if vehicle_id in seen:
            raise FeedError(
                INVALID,
                lazy_message(
                    gettext_noop("The %(file)s file lists the vehicle at %(field)s a second time."),
                    file=name,
                    field=path,
                ),
            )
        seen.add(vehicle_id)
        station_id = checked.get(item, "station_id", path, "id", required=False)
        lat = checked.get(item, "lat", path, "latitude", required=station_id is None)
        lon = checked.get(item, "lon", path, "longitude", required=station_id is None)
        if lat is None or lon is None:
            if station_id not in stations:
                raise FeedError(
                    INVALID,
                    lazy_message(
                        gettext_noop(
                            "The %(file)s file places the vehicle at %(field)s at a station that station_information does not list."
                        ),
                        file=name,
                        field=path,
                    ),
                )
            lat, lon = stations[station_id]
        type_id = checked.get(item, "vehicle_type_id", path, "id", required=False)
        vehicles.append(
            FeedVehicle(
                vehicle_id=vehicle_id,
                form_factor=str((types or {}).get(type_id, default)),
                lat=float(lat),
                lon=float(lon),
                is_disabled=checked.get(item, "is_disabled", path, "boolean"),
                is_reserved=checked.get(item, "is_reserved", path, "boolean"),
            )
        )
    return vehicles


def discover(document: object, *, language: str | None = None) -> dict[str, str]:
    """The feed URLs ``gbfs.json`` lists (name → URL): 3.0's ``data.feeds``, or 2.x's
    ``data.<language>.feeds`` in the site's language when offered, else English, else the first."""
    version, _updated, _ttl, data = header("gbfs", document)
    checked = _File("gbfs")
    path = "data"
    if version.startswith("2."):
        languages = [key for key, value in data.items() if isinstance(value, dict)]
        if not languages:
            raise checked.missing("data.<language>")
        preferred = [language or settings.LANGUAGE_CODE, "en"]
        chosen = next((code for code in preferred if code in languages), languages[0])
        data, path = data[chosen], f"data.{chosen}"
    feeds = {}
    for index, item in enumerate(checked.get(data, "feeds", path, "list")):
        where = f"{path}.feeds[{index}]"
        if not isinstance(item, dict):
            raise checked.invalid(where, "object")
        name = checked.get(item, "name", where, "text")
        url = checked.get(item, "url", where, "text")
        if name in (*FILES, *STATUS_FILES):
            if not url.lower().startswith(("http://", "https://")):
                raise FeedError(
                    INVALID,
                    lazy_message(
                        gettext_noop("The gbfs file gives %(field)s an address that is not http or https."), field=where
                    ),
                )
            feeds[name] = url
    if not any(name in feeds for name in STATUS_FILES):
        raise FeedError(
            INVALID,
            lazy_message(gettext_noop("The feed lists no vehicle status file (vehicle_status or free_bike_status).")),
        )
    return feeds


def load(name: str, body: bytes) -> dict:
    """A downloaded file as a dict: NOT_JSON when it is not JSON, INVALID when not an object."""
    try:
        document = json.loads(body)
    except ValueError:  # JSONDecodeError and UnicodeDecodeError
        raise FeedError(NOT_JSON, lazy_message(gettext_noop("The %(file)s file is not JSON."), file=name)) from None
    if not isinstance(document, dict):
        raise _File(name).invalid("(the document)", "object")
    return document
