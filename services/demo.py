"""Demo reports for a newcomer's first look: across services and statuses, with photos."""

from __future__ import annotations

import io
import random
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from citizens.models import User
from services import actions
from services.catalogue import catalogue_load
from services.models import Report, ReportStatus, ReportUpdate

DEMO_COUNT = 36
DESCRIPTIONS = {
    "abandoned-vehicle": [
        "Bike lying on its side for a week.",
        "Scooter dumped in the canal edge.",
        "Three bikes blocking the footpath.",
    ],
    "pothole": ["Deep hole in the left lane.", "Pothole filled with water after the rain."],
    "streetlight": ["Whole street dark since Monday.", "Lamp flickers all night."],
    "illegal-dumping": ["Construction rubble dumped by the river.", "Household rubbish piling up on the corner."],
    "blocked-footpath": ["Motorbikes parked across the footpath.", "Stall takes the whole footpath."],
    "bus-stop": ["Shelter roof broken.", "Bench missing at the bus stop."],
}
COLOURS = [(192, 57, 43), (41, 128, 185), (39, 174, 96), (142, 68, 173), (211, 84, 0), (44, 62, 80)]
NOTES = {
    ReportStatus.ACKNOWLEDGED: "Thank you, we have passed this to the team.",
    ReportStatus.IN_PROGRESS: "A crew is scheduled this week.",
    ReportStatus.RESOLVED: "Fixed. Thank you for reporting.",
    ReportStatus.CLOSED: "Closed after inspection.",
}


def demo_photo(seed: int) -> SimpleUploadedFile:
    rng = random.Random(seed)
    image = Image.new("RGB", (800, 600), COLOURS[seed % len(COLOURS)])
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randrange(0, 700), rng.randrange(0, 500)
        draw.ellipse((x, y, x + rng.randrange(40, 160), y + rng.randrange(40, 160)), fill=(240, 240, 240))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return SimpleUploadedFile(f"demo-{seed}.jpg", buffer.getvalue(), content_type="image/jpeg")


@transaction.atomic
def demo_reports_seed(*, reporter: User, staff: User) -> int:
    """Create the demo reports once; returns how many were created."""
    # Services people report in (not those the city's systems fill, such as idle vehicles).
    services = [service for service in catalogue_load() if service.service_code in DESCRIPTIONS]
    if Report.objects.filter(reporter=reporter).exists():
        return 0
    rng = random.Random(2026)
    min_lon, min_lat, max_lon, max_lat = settings.CITY_BOUNDS
    statuses = [ReportStatus.OPEN] * 3 + [
        ReportStatus.ACKNOWLEDGED,
        ReportStatus.IN_PROGRESS,
        ReportStatus.RESOLVED,
        ReportStatus.CLOSED,
    ]
    now = timezone.now()
    for number in range(DEMO_COUNT):
        service = services[number % len(services)]
        answers = {}
        for attribute in service.attributes.all():
            values = [value.key for value in attribute.values.all()]
            if attribute.datatype == "singlevaluelist":
                answers[attribute.code] = rng.choice(values)
            elif attribute.datatype == "multivaluelist":
                answers[attribute.code] = values[:1]
            elif attribute.required:
                answers[attribute.code] = "A-1"
        report = actions.report_create(
            service_code=service.service_code,
            lat=round(rng.uniform(min_lat + 0.02, max_lat - 0.02), 6),
            lon=round(rng.uniform(min_lon + 0.02, max_lon - 0.02), 6),
            description=rng.choice(DESCRIPTIONS[service.service_code]),
            attributes=answers,
            photo_uploads=[demo_photo(number)] if number % 3 != 2 else [],
            reporter=reporter,
            show_name=number % 4 == 0,
        )
        created = now - timedelta(days=rng.randrange(0, 60), hours=rng.randrange(0, 24))
        Report.objects.filter(pk=report.pk).update(
            created_at=created, updated_at=created, expected_at=created + timedelta(days=service.response_days)
        )
        status = statuses[number % len(statuses)]
        if status != ReportStatus.OPEN:
            report.refresh_from_db()
            update = actions.report_change_status(report=report, to_status=status, by=staff, note=NOTES[status])
            ReportUpdate.objects.filter(pk=update.pk).update(created_at=created + timedelta(days=1))
    return DEMO_COUNT
