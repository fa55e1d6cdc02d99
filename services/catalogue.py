"""The starter service catalogue: what a city usually takes reports about.

``seed_demo`` loads it, and a new city can load it with ``catalogue_load()`` and then
edit it in the admin.
"""

from __future__ import annotations

from django.db import transaction

from services.models import AttributeValue, Service, ServiceAttribute

OPERATORS = [("bikeshare-a", "Kring Bike", "Kring Bike"), ("scoot-b", "Zoom Scooters", "Zoom Scooters")]
VEHICLE_KINDS = [
    ("bicycle", "Bicycle", "Sepeda"),
    ("scooter", "E-scooter", "Skuter listrik"),
    ("moped", "Moped", "Moped"),
]
YES_NO = [("yes", "Yes", "Ya"), ("no", "No", "Tidak")]

CATALOGUE = [
    {
        "service_code": "abandoned-vehicle",
        "name": "Abandoned share-bike or e-scooter",
        "name_id": "Sepeda atau skuter sewa terbengkalai",
        "description": "A shared bike or e-scooter left abandoned, broken or blocking the way.",
        "description_id": "Sepeda atau skuter listrik sewa yang ditinggalkan, rusak, atau menghalangi jalan.",
        "group": "Mobility",
        "group_id": "Mobilitas",
        "keywords": "bike, bicycle, scooter, e-scooter, share, sepeda, skuter",
        "is_micromobility": True,
        "response_days": 3,
        "agency_responsible": "Dinas Perhubungan",
        "attributes": [
            (
                "operator",
                "singlevaluelist",
                False,
                "Which operator's vehicle is it? (leave empty if you are not sure)",
                "Kendaraan operator mana? (kosongkan jika tidak yakin)",
                OPERATORS,
            ),
            (
                "vehicle_type",
                "singlevaluelist",
                False,
                "What kind of vehicle?",
                "Jenis kendaraan apa?",
                VEHICLE_KINDS,
            ),
            ("vehicle_code", "string", False, "Vehicle code printed on the vehicle", "Kode kendaraan yang tertera", []),
            (
                "blocking_footpath",
                "singlevaluelist",
                True,
                "Is it blocking the footpath?",
                "Apakah menghalangi trotoar?",
                YES_NO,
            ),
        ],
    },
    {
        "service_code": "idle-vehicle",
        "name": "Shared vehicle left unused",
        "name_id": "Kendaraan sewa tidak terpakai",
        "description": "A share-bike or e-scooter that has stood unused at one place past its operator's limit, "
        "found in the operator's own data.",
        "description_id": "Sepeda atau skuter sewa yang tidak terpakai di satu tempat melewati batas operatornya, "
        "ditemukan dari data operator sendiri.",
        "group": "Mobility",
        "group_id": "Mobilitas",
        "keywords": "idle, unused, bike, scooter, sepeda, skuter",
        "is_micromobility": True,
        "response_days": 1,
        "agency_responsible": "Dinas Perhubungan",
        "attributes": [],
    },
    {
        "service_code": "pothole",
        "name": "Pothole",
        "name_id": "Jalan berlubang",
        "description": "A hole or broken surface in a road.",
        "description_id": "Lubang atau permukaan rusak di jalan.",
        "group": "Roads",
        "group_id": "Jalan",
        "keywords": "road, hole, asphalt, jalan, lubang",
        "response_days": 14,
        "agency_responsible": "Dinas Pekerjaan Umum",
        "attributes": [
            (
                "size",
                "singlevaluelist",
                False,
                "How big is it?",
                "Seberapa besar?",
                [
                    ("small", "Smaller than a plate", "Lebih kecil dari piring"),
                    ("medium", "Like a car tyre", "Seperti ban mobil"),
                    ("large", "Larger than a car tyre", "Lebih besar dari ban mobil"),
                ],
            ),
        ],
    },
    {
        "service_code": "streetlight",
        "name": "Streetlight out",
        "name_id": "Lampu jalan mati",
        "description": "A streetlight that is off, flickering or damaged.",
        "description_id": "Lampu jalan yang mati, berkedip, atau rusak.",
        "group": "Lighting",
        "group_id": "Penerangan",
        "keywords": "light, lamp, dark, lampu, gelap",
        "response_days": 7,
        "agency_responsible": "Dinas Perumahan dan Permukiman",
        "attributes": [
            ("pole_number", "string", False, "Number on the pole, if any", "Nomor pada tiang, jika ada", []),
        ],
    },
    {
        "service_code": "illegal-dumping",
        "name": "Illegal dumping",
        "name_id": "Pembuangan sampah liar",
        "description": "Rubbish dumped where it should not be.",
        "description_id": "Sampah yang dibuang di tempat yang tidak semestinya.",
        "group": "Cleanliness",
        "group_id": "Kebersihan",
        "keywords": "rubbish, trash, garbage, waste, sampah",
        "response_days": 7,
        "agency_responsible": "Dinas Lingkungan Hidup",
        "attributes": [
            (
                "waste_type",
                "multivaluelist",
                False,
                "What kind of waste?",
                "Jenis sampah apa?",
                [
                    ("household", "Household rubbish", "Sampah rumah tangga"),
                    ("construction", "Construction rubble", "Puing bangunan"),
                    ("hazardous", "Hazardous (chemicals, batteries)", "Berbahaya (bahan kimia, baterai)"),
                ],
            ),
        ],
    },
    {
        "service_code": "blocked-footpath",
        "name": "Blocked footpath",
        "name_id": "Trotoar terhalang",
        "description": "Something blocking the footpath: stalls, parked vehicles, construction.",
        "description_id": "Sesuatu yang menghalangi trotoar: lapak, kendaraan parkir, konstruksi.",
        "group": "Roads",
        "group_id": "Jalan",
        "keywords": "footpath, sidewalk, pavement, trotoar",
        "response_days": 7,
        "agency_responsible": "Satpol PP",
        "attributes": [],
    },
    {
        "service_code": "bus-stop",
        "name": "Damaged bus stop",
        "name_id": "Halte bus rusak",
        "description": "A bus stop or shelter that is damaged, dirty or unsafe.",
        "description_id": "Halte atau tempat tunggu bus yang rusak, kotor, atau tidak aman.",
        "group": "Mobility",
        "group_id": "Mobilitas",
        "keywords": "bus, stop, shelter, halte",
        "response_days": 10,
        "agency_responsible": "Dinas Perhubungan",
        "attributes": [
            ("stop_name", "string", False, "Name of the stop", "Nama halte", []),
        ],
    },
]


@transaction.atomic
def catalogue_load() -> list[Service]:
    """Create or update the starter services, their questions and allowed answers."""
    services = []
    for order, entry in enumerate(CATALOGUE):
        fields = {key: value for key, value in entry.items() if key not in ("service_code", "attributes")}
        service, _ = Service.objects.update_or_create(
            service_code=entry["service_code"], defaults={**fields, "order": order}
        )
        for position, (code, datatype, required, question, question_id, values) in enumerate(entry["attributes"]):
            attribute, _ = ServiceAttribute.objects.update_or_create(
                service=service,
                code=code,
                defaults={
                    "datatype": datatype,
                    "required": required,
                    "description": question,
                    "description_id": question_id,
                    "order": position,
                },
            )
            for value_order, (key, name, name_id) in enumerate(values):
                AttributeValue.objects.update_or_create(
                    attribute=attribute, key=key, defaults={"name": name, "name_id": name_id, "order": value_order}
                )
        services.append(service)
    return services


def ensure_service(service_code: str) -> Service:
    """A starter service, loaded from the catalogue if the city has not got it yet."""
    service = Service.objects.filter(service_code=service_code).first()
    if service is None:
        catalogue_load()
        service = Service.objects.get(service_code=service_code)
    return service


@transaction.atomic
def offer_choice(*, attribute_code: str, key: str, name: str) -> int:
    """Add (or rename) an answer to every question ``attribute_code`` of the shared-vehicle
    services, e.g. a new operator in "Which operator's vehicle is it?"; returns how many."""
    attributes = ServiceAttribute.objects.filter(code=attribute_code, service__is_micromobility=True)
    for attribute in attributes:
        order = attribute.values.count()
        AttributeValue.objects.update_or_create(attribute=attribute, key=key, defaults={"name": name, "order": order})
    return len(attributes)
