"""The reports map layer as GeoJSON text, written straight from database rows.

A map layer has up to thousands of features that differ only in a few values, so each
feature is written from a template: the parts shared by many rows (a service's code
and name, a status and its label) are encoded once per layer, not once per row. This
is several times faster than building a dict per feature and encoding the whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from django.utils import timezone


class Row(NamedTuple):
    pk: int
    lon: float
    lat: float
    status: str
    created_at: datetime
    service_code: str
    service_name: str


def _encode(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def feature_collection(
    rows: Iterable[Row], *, page_url: str, status_labels: dict[str, str], members: dict | None = None
) -> str:
    """``page_url`` holds ``{}`` where the report id goes; coordinates are [longitude, latitude].

    ``members`` are added to the collection after its features (RFC 7946's foreign members).
    """
    services: dict[tuple[str, str], str] = {}
    statuses = {
        status: f'"status":{_encode(status)},"status_display":{_encode(label)}'
        for status, label in status_labels.items()
    }
    prefix, _, suffix = page_url.partition("{}")
    prefix, suffix = _encode(prefix)[:-1], _encode(suffix)[1:]
    zone = timezone.get_current_timezone()
    parts = []
    for row in rows:
        service = services.get((row.service_code, row.service_name))
        if service is None:
            service = services[(row.service_code, row.service_name)] = (
                f'"service_code":{_encode(row.service_code)},"service_name":{_encode(row.service_name)}'
            )
        status = statuses.get(row.status) or f'"status":{_encode(row.status)},"status_display":{_encode(row.status)}'
        created = timezone.localtime(row.created_at, zone).isoformat()
        parts.append(
            f'{{"type":"Feature","id":{row.pk},"geometry":{{"type":"Point","coordinates":[{float(row.lon)!r},'
            f'{float(row.lat)!r}]}},"properties":{{"id":{row.pk},"url":{prefix}{row.pk}{suffix},{service},{status},'
            f'"created_at":"{created}"}}}}'
        )
    extra = "".join(f",{_encode(name)}:{_encode(value)}" for name, value in (members or {}).items())
    return '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]" + extra + "}"
