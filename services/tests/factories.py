"""factory_boy factories for the catalogue and reports."""

from __future__ import annotations

import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from citizens.tests.factories import UserFactory
from cocreate.redaction import redact
from services.models import Report, Service, ServiceAttribute

# Inside the default city bounds (Bandung).
CITY_LAT, CITY_LON = -6.9147, 107.6098


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    service_code = factory.Sequence(lambda n: f"service-{n}")
    name = factory.Sequence(lambda n: f"Service {n}")
    name_ind = factory.Sequence(lambda n: f"Layanan {n}")
    group = "Roads"


class AttributeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceAttribute

    service = factory.SubFactory(ServiceFactory)
    code = factory.Sequence(lambda n: f"question_{n}")
    datatype = ServiceAttribute.Datatype.STRING
    description = "A question"


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    service = factory.SubFactory(ServiceFactory)
    reporter = factory.SubFactory(UserFactory)
    description = factory.Sequence(lambda n: f"Problem number {n}")
    redacted_description = factory.LazyAttribute(lambda report: redact(report.description))
    lat = CITY_LAT
    lon = CITY_LON


def image_upload(name: str = "photo.jpg", size=(640, 480), fmt: str = "JPEG", exif_gps: bool = False, **kwargs):
    """An in-memory image upload; with ``exif_gps`` it carries a GPS position in its EXIF."""
    image = Image.new("RGB", size, (200, 40, 40))
    buffer = io.BytesIO()
    save_args = {}
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        gps = exif.get_ifd(0x8825)
        gps[1] = "S"
        gps[2] = (6.0, 54.0, 52.9)
        gps[3] = "E"
        gps[4] = (107.0, 36.0, 35.3)
        save_args["exif"] = exif
    image.save(buffer, format=fmt, **save_args)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}.get(fmt, "application/octet-stream")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)
