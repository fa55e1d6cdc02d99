"""Reading the Open311 GeoReport v2 endpoints in tests."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from moderation.models import ModerationState
from services.models import ReportPhoto
from services.tests.factories import image_upload

BASE = "/open311/v2/"
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


def get_json(client, path, expect=200, **params):
    response = client.get(BASE + path + ".json", params)
    assert response.status_code == expect, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.json()


def get_xml(client, path, expect=200, **params):
    response = client.get(BASE + path + ".xml", params)
    assert response.status_code == expect, response.content
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.content)


def ids(documents):
    return [document["service_request_id"] for document in documents]


def add_photo(report, *, state=ReportPhoto.State.READY, moderation_state=ModerationState.PUBLISHED, position=0):
    photo = ReportPhoto(report=report, state=state, moderation_state=moderation_state, position=position)
    photo.image.save("photo.jpg", image_upload(), save=False)
    photo.save()
    return photo
