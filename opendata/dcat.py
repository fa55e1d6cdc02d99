"""DCAT-AP 3 metadata of a snapshot: the catalogue, a dataset per open dataset, a distribution per file.

The catalogue is written as JSON-LD (a plain dict) and turned into Turtle through rdflib, so both
forms hold the same triples. It conforms to the SHACL shapes of DCAT-AP 3.0.1, including the
class ranges: every value taken from a controlled vocabulary carries its class (a media type is a
``dct:MediaType``, a file type a ``dct:MediaTypeOrExtent``, the licence a ``dct:LicenseDocument``).
Distributions point at the stable "latest" download URLs.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime

from django.conf import settings
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import translation

from opendata.datasets import DATASETS, Dataset
from opendata.models import Snapshot, SnapshotFile

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "gsp": "http://www.opengis.net/ont/geosparql#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "spdx": "http://spdx.org/rdf/terms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

EU = "http://publications.europa.eu/resource/authority"
FILE_TYPES = {"csv": "CSV", "json": "JSON", "geojson": "GEOJSON"}
# The specification each format follows, cited as dct:conformsTo.
FORMAT_STANDARDS = {
    "csv": ("https://www.rfc-editor.org/rfc/rfc4180", "RFC 4180: Common Format for CSV Files"),
    "json": ("https://www.rfc-editor.org/rfc/rfc8259", "RFC 8259: The JSON Data Interchange Format"),
    "geojson": ("https://www.rfc-editor.org/rfc/rfc7946", "RFC 7946: The GeoJSON Format"),
}
# The EU's language authority codes of the site's languages.
LANGUAGE_CODES = {
    "en": "ENG",
    "id": "IND",
    "ms": "MSA",
    "vi": "VIE",
    "th": "THA",
    "ja": "JPN",
    "ko": "KOR",
    "zh-hans": "ZHO",
}
THEME = (f"{EU}/data-theme/GOVE", "Government and public sector")
PUBLISHER_TYPE = ("http://purl.org/adms/publishertype/LocalAuthority", "Local Authority")
CATALOG_DESCRIPTION = (
    "Problems citizens reported, their proposals and the city's answers, and how shared vehicle operators "
    "answered, without personal data."
)


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def latest_url(dataset: str, fmt: str) -> str:
    """The stable download URL of a dataset's file in the latest snapshot."""
    return absolute(reverse("opendata:latest", args=[f"{dataset}.{fmt}"]))


def _typed(value: object, datatype: str) -> dict[str, str]:
    return {"@value": str(value), "@type": datatype}


def _moment(value: datetime) -> dict[str, str]:
    return _typed(value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "xsd:dateTime")


def _texts(value: object, suffix: str = "") -> list[dict[str, str]]:
    """A text in every site language that has its own translation (English always)."""
    texts: dict[str, str] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            text = f"{value}{suffix}"
        if code == "en" or text not in texts.values():
            texts[code] = text
    return [{"@value": text, "@language": code} for code, text in texts.items()]


def _ref(iri: str) -> dict[str, str]:
    return {"@id": iri}


def temporal_coverage(dataset: Dataset, cutoff: datetime) -> dict[str, object] | None:
    """The first and last day the dataset's content covers (months for monthly datasets)."""
    if not dataset.temporal_field:
        return None
    field = dataset.temporal_source
    span = dataset.published(cutoff).aggregate(first=Min(field), last=Max(field))
    if span["first"] is None:
        return None
    monthly = next(column.type for column in dataset.columns if column.name == dataset.temporal_field) == "yearmonth"

    def day(value: datetime | date) -> dict[str, str]:
        # A date field (a fleet's day) is the city's day already; a moment is dated in UTC.
        value = value.astimezone(UTC).date() if isinstance(value, datetime) else value
        return _typed(value.strftime("%Y-%m"), "xsd:gYearMonth") if monthly else _typed(value, "xsd:date")

    return {"@type": "dct:PeriodOfTime", "dcat:startDate": day(span["first"]), "dcat:endDate": day(span["last"])}


def _shared_nodes(landing: str) -> list[dict[str, object]]:
    """The agents, places and vocabulary terms that catalogue, datasets and distributions refer to."""
    min_lon, min_lat, max_lon, max_lat = settings.CITY_BOUNDS
    corners = ((min_lon, min_lat), (max_lon, min_lat), (max_lon, max_lat), (min_lon, max_lat), (min_lon, min_lat))
    ring = ", ".join(f"{lon} {lat}" for lon, lat in corners)
    nodes: list[dict[str, object]] = [
        {
            "@id": f"{landing}#publisher",
            "@type": ["foaf:Agent", "foaf:Organization"],
            "foaf:name": settings.OPENDATA_PUBLISHER,
            "dct:type": _ref(PUBLISHER_TYPE[0]),
        },
        {
            "@id": PUBLISHER_TYPE[0],
            "@type": "skos:Concept",
            "skos:prefLabel": {"@value": PUBLISHER_TYPE[1], "@language": "en"},
        },
        {
            "@id": f"{landing}#contact",
            "@type": ["vcard:Kind", "vcard:Organization"],
            "vcard:fn": settings.OPENDATA_PUBLISHER,
            "vcard:hasURL": _ref(landing),
        },
        {
            "@id": f"{landing}#area",
            "@type": "dct:Location",
            "dcat:bbox": _typed(f"POLYGON(({ring}))", "gsp:wktLiteral"),
        },
        {"@id": settings.OPENDATA_LICENSE_URL, "@type": "dct:LicenseDocument"},
        {"@id": landing, "@type": "foaf:Document"},
        {"@id": f"{settings.SITE_URL}/", "@type": "foaf:Document"},
        {"@id": f"{EU}/frequency/DAILY", "@type": "dct:Frequency"},
        {"@id": THEME[0], "@type": "skos:Concept", "skos:prefLabel": {"@value": THEME[1], "@language": "en"}},
        {
            "@id": f"{EU}/data-theme",
            "@type": "skos:ConceptScheme",
            "dct:title": {"@value": "Data theme", "@language": "en"},
        },
    ]
    for code, _name in settings.LANGUAGES:
        if code in LANGUAGE_CODES:
            nodes.append({"@id": f"{EU}/language/{LANGUAGE_CODES[code]}", "@type": "dct:LinguisticSystem"})
    for fmt, file_type in FILE_TYPES.items():
        nodes.append({"@id": f"{EU}/file-type/{file_type}", "@type": "dct:MediaTypeOrExtent"})
        iri, title = FORMAT_STANDARDS[fmt]
        nodes.append({"@id": iri, "@type": "dct:Standard", "dct:title": title})
    return nodes


def _distribution(item: SnapshotFile, dataset: Dataset, landing: str, modified: dict) -> dict[str, object]:
    url = latest_url(item.dataset, item.format)
    return {
        "@id": f"{landing}#{item.dataset}-{item.format}",
        "@type": "dcat:Distribution",
        "dct:title": _texts(dataset.title, f" ({item.format.upper()})"),
        "dcat:accessURL": _ref(url),
        "dcat:downloadURL": _ref(url),
        "dcat:mediaType": {
            "@id": f"https://www.iana.org/assignments/media-types/{item.media_type}",
            "@type": "dct:MediaType",
        },
        "dct:format": _ref(f"{EU}/file-type/{FILE_TYPES[item.format]}"),
        "dct:conformsTo": _ref(FORMAT_STANDARDS[item.format][0]),
        "dcat:byteSize": _typed(item.bytes, "xsd:nonNegativeInteger"),
        "spdx:checksum": {
            "@type": "spdx:Checksum",
            "spdx:algorithm": _ref("spdx:checksumAlgorithm_sha256"),
            "spdx:checksumValue": _typed(item.sha256, "xsd:hexBinary"),
        },
        "dct:license": _ref(settings.OPENDATA_LICENSE_URL),
        "dct:modified": modified,
    }


def _dataset(dataset: Dataset, files: list[SnapshotFile], snapshot: Snapshot, landing: str) -> dict[str, object]:
    modified = _moment(snapshot.finished_at or snapshot.started_at)
    described: dict[str, object] = {
        "@id": f"{landing}#{dataset.name}",
        "@type": "dcat:Dataset",
        "dct:identifier": dataset.name,
        "dct:title": _texts(dataset.title),
        "dct:description": _texts(dataset.description),
        "dcat:keyword": [{"@value": keyword, "@language": "en"} for keyword in dataset.keywords],
        "dcat:theme": _ref(THEME[0]),
        "dct:publisher": _ref(f"{landing}#publisher"),
        "dcat:contactPoint": _ref(f"{landing}#contact"),
        "dcat:landingPage": _ref(landing),
        "dct:accrualPeriodicity": _ref(f"{EU}/frequency/DAILY"),
        "dct:spatial": _ref(f"{landing}#area"),
        "dct:modified": modified,
        "dcat:distribution": [_distribution(item, dataset, landing, modified) for item in files],
    }
    coverage = temporal_coverage(dataset, snapshot.cutoff)
    if coverage:
        described["dct:temporal"] = coverage
    return described


def catalog_jsonld(snapshot: Snapshot) -> dict[str, object]:
    """The DCAT-AP catalogue of ``snapshot`` as a JSON-LD document."""
    landing = absolute(reverse("opendata:index"))
    by_dataset: dict[str, list[SnapshotFile]] = defaultdict(list)
    for item in snapshot.files.all():
        by_dataset[item.dataset].append(item)
    catalog = {
        "@id": f"{landing}#catalog",
        "@type": "dcat:Catalog",
        "dct:title": {"@value": f"{settings.SITE_NAME} open data", "@language": "en"},
        "dct:description": {"@value": CATALOG_DESCRIPTION, "@language": "en"},
        "dct:publisher": _ref(f"{landing}#publisher"),
        "foaf:homepage": _ref(f"{settings.SITE_URL}/"),
        "dct:license": _ref(settings.OPENDATA_LICENSE_URL),
        "dct:language": [
            _ref(f"{EU}/language/{LANGUAGE_CODES[code]}")
            for code, _name in settings.LANGUAGES
            if code in LANGUAGE_CODES
        ],
        "dct:spatial": _ref(f"{landing}#area"),
        "dcat:themeTaxonomy": _ref(f"{EU}/data-theme"),
        "dct:modified": _moment(snapshot.finished_at or snapshot.started_at),
        "dcat:dataset": [
            _dataset(dataset, by_dataset[name], snapshot, landing)
            for name, dataset in DATASETS.items()
            if by_dataset[name]
        ],
    }
    return {"@context": CONTEXT, "@graph": [catalog, *_shared_nodes(landing)]}


def catalog_graph(snapshot: Snapshot):
    """The catalogue as an rdflib graph, parsed from the JSON-LD."""
    from rdflib import Graph

    graph = Graph()
    for prefix, namespace in CONTEXT.items():
        graph.bind(prefix, namespace)
    graph.parse(data=json.dumps(catalog_jsonld(snapshot)), format="json-ld")
    return graph


def catalog_turtle(snapshot: Snapshot) -> str:
    """The DCAT-AP catalogue of ``snapshot`` in Turtle."""
    return catalog_graph(snapshot).serialize(format="turtle")
