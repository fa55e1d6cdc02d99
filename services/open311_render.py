"""Open311 GeoReport v2 documents: what each resource says, and how it is written as JSON or XML.

The views in ``services/open311.py`` decide *which* rows to answer with; this module
turns them into plain Python structures and serialises those. User text only ever
becomes element text through ElementTree, so it is escaped, never concatenated.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urljoin

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

from services.models import Report, Service

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
# Coarse services publish points to 3 decimals (about 110 m), so a sensitive place cannot be pinned.

# The element name of each item of a list, keyed by the list's element name.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}

# Characters XML 1.0 cannot carry, even escaped; a stray control character in a
# description must not make the whole document unreadable for a client.
XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

Document = dict[str, object] | list[dict[str, object]]


def render(data: Document, fmt: str, root: str, status: int = 200) -> HttpResponse:
    """The response for ``data``: a JSON list or object, or an XML document under ``root``."""
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False).encode()
    else:
        body = XML_DECLARATION + ET.tostring(xml_element(root, data), encoding="utf-8", xml_declaration=False)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def render_errors(status: int, descriptions: Iterable[str], fmt: str) -> HttpResponse:
    """The spec's error list: one ``{code, description}`` per problem."""
    errors = [{"code": status, "description": str(description)} for description in descriptions]
    return render(errors, fmt, "errors", status=status)


def xml_element(tag: str, value: object) -> ET.Element:
    element = ET.Element(tag)
    if isinstance(value, dict):
        for key, item in value.items():
            element.append(xml_element(key, item))
    elif isinstance(value, list):
        for item in value:
            element.append(xml_element(ITEM_TAGS[tag], item))
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = XML_ILLEGAL.sub("", str(value))
    return element


def moment(value: datetime | None) -> str | None:
    """ISO 8601 with the city's offset, as the spec asks (``2026-11-02T08:30:00+07:00``)."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value is not None else None


def discovery_document(*, changeset: datetime, contact: str, key_service: str) -> dict[str, object]:
    return {
        "changeset": moment(changeset),
        "contact": contact,
        "key_service": key_service,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": f"{settings.SITE_URL}/open311/v2/",
                "changeset": moment(changeset),
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def service_document(service: Service) -> dict[str, object]:
    """One entry of the service list; ``has_attributes`` is annotated by the view."""
    return {
        "service_code": service.service_code,
        "service_name": service.name,
        "description": service.description,
        "metadata": bool(service.has_attributes),
        "type": service.type,
        "keywords": ", ".join(service.keyword_list),
        "group": service.group_key,
    }


def definition_document(service: Service) -> dict[str, object]:
    """The service's questions; ``order`` counts from 1, as the spec asks."""
    return {
        "service_code": service.service_code,
        "attributes": [
            {
                "variable": attribute.variable,
                "code": attribute.code,
                "datatype": attribute.datatype,
                "required": attribute.required,
                "datatype_description": attribute.datatype_description,
                "order": position,
                "description": attribute.description,
                "values": [{"key": value.key, "name": value.name} for value in attribute.values.all()],
            }
            for position, attribute in enumerate(service.attributes.all(), start=1)
        ],
    }


def request_document(report: Report) -> dict[str, object]:
    """Every field of a service request. Nothing about the reporter or private contact goes out.

    ``report`` comes from ``open311.published_requests``, annotated with ``responsible_name``: the
    operator answering for it, else the service's agency."""
    service = report.service
    lat, lon = report.public_point or (None, None)
    return {
        "service_request_id": str(report.pk),
        "status": report.open311_status,
        "status_notes": report.status_notes,
        "service_name": service.name,
        "service_code": service.service_code,
        "description": report.public_description,
        "agency_responsible": report.responsible_name or service.agency_responsible,
        "service_notice": "",
        "requested_datetime": moment(report.created_at),
        "updated_datetime": moment(report.updated_at),
        "expected_datetime": moment(report.expected_at),
        "address": report.public_address,
        "address_id": "",
        "zipcode": "",
        "lat": lat,
        "long": lon,
        "media_url": media_url(report),
    }


def media_url(report: Report) -> str:
    """The absolute address of the first ready, visible photo (prefetched as ``open311_photos``)."""
    for photo in report.open311_photos:
        if photo.image:
            return urljoin(f"{settings.SITE_URL}/", photo.image_url)
    return ""


def created_document(report: Report, service_notice: str) -> dict[str, object]:
    return {"service_request_id": str(report.pk), "service_notice": service_notice, "account_id": None}


def token_document(report: Report) -> dict[str, object]:
    return {"service_request_id": str(report.pk), "token": str(report.pk)}
