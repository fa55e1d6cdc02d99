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

from cocreate.photo_serving import stored_photo_urls
from cocreate.redaction import redact
from cocreate.timestamps import local_iso_writer
from services.models import COARSE_DECIMALS, OPEN_STATUSES, Report, ReportPhoto, Service

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
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


# The columns of a request row, in order: what ``open311.published_requests`` selects (and
# annotates) and ``request_documents`` reads.
REQUEST_COLUMNS = (
    "pk",
    "status",
    "status_notes",
    "service_name",
    "service__service_code",
    "description",
    "responsible_name",
    "service__agency_responsible",
    "created_text",
    "updated_text",
    "expected_text",
    "address",
    "lat",
    "lon",
    "service__location_precision",
    "photo",
)
OPEN_STATUS_VALUES = frozenset(str(status) for status in OPEN_STATUSES)


def request_documents(rows: Iterable[tuple]) -> list[dict[str, object]]:
    """Every field of each service request, from rows of ``REQUEST_COLUMNS``; nothing about the
    reporter or private contact goes out. An absent value is None: ``null`` in JSON, an empty
    element in XML.

    The time zone, language and site address are read once for the whole list: per row they
    would cost more than the row itself. Times come as UTC text (``cocreate.timestamps``).
    """
    moment_text = local_iso_writer(timezone.get_current_timezone())
    site = f"{settings.SITE_URL}/"
    origin = urljoin(site, "/")[:-1]  # "https://lapor.example.go.id", for addresses from the site's root
    coarse_precision = Service.Precision.COARSE.value
    photo_address = stored_photo_urls(ReportPhoto)

    def media_url(photo: str) -> str:
        """The absolute address of a photo given as "id:file name" (as urljoin(site, address) is)."""
        photo_id, _colon, name = photo.partition(":")
        address = photo_address(int(photo_id), name)
        return origin + address if address.startswith("/") and not address.startswith("//") else urljoin(site, address)

    documents = []
    for (
        pk,
        status,
        status_notes,
        name,
        code,
        description,
        responsible_name,
        agency,
        created,
        updated,
        expected,
        address,
        lat,
        lon,
        precision,
        photo,
    ) in rows:
        coarse = precision == coarse_precision
        if lat is None or lon is None:
            lat = lon = None
        elif coarse:  # as Report.public_point does, in Python: the database's ROUND treats halves its own way
            lat, lon = round(lat, COARSE_DECIMALS), round(lon, COARSE_DECIMALS)
        documents.append(
            {
                "service_request_id": str(pk),
                "status": "open" if status in OPEN_STATUS_VALUES else "closed",
                "status_notes": status_notes or None,
                "service_name": name,
                "service_code": code,
                "description": redact(description) or None,
                "agency_responsible": responsible_name or agency or None,
                "service_notice": None,
                "requested_datetime": moment_text(created),
                "updated_datetime": moment_text(updated),
                "expected_datetime": moment_text(expected),
                # A typed address would locate a sensitive report as exactly as a pin does (Report.public_address).
                "address": None if coarse or not address else redact(address) or None,
                "address_id": None,
                "zipcode": None,
                "lat": lat,
                "long": lon,
                # The first ready, visible photo ("id:file name"), at the address pages give it.
                "media_url": media_url(photo) if photo else None,
            }
        )
    return documents


def created_document(report: Report, service_notice: str) -> dict[str, object]:
    return {"service_request_id": str(report.pk), "service_notice": service_notice or None, "account_id": None}


def token_document(report: Report) -> dict[str, object]:
    return {"service_request_id": str(report.pk), "token": str(report.pk)}
