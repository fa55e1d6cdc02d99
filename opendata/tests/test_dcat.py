"""The DCAT-AP 3 catalogue: conforms to the shared SHACL shapes, the same in JSON-LD and Turtle."""

from __future__ import annotations

from datetime import UTC, timedelta

import pyshacl
import pytest
from django.db.models import Max, Min
from django.utils import timezone
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from opendata.datasets import DATASETS
from opendata.models import SnapshotFile
from opendata.tests.conftest import build, standard
from services.models import Report

pytestmark = [
    pytest.mark.django_db,
    # rdflib's own JSON-LD parser still builds a ConjunctiveGraph internally.
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
]

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    graph = Graph()
    for name in ("shapes.ttl", "range.ttl"):
        graph.parse(standard("dcat-ap-3.0.1", name), format="turtle")
    return graph


def jsonld_graph(client) -> Graph:
    response = client.get("/data/catalog.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    return Graph().parse(data=response.content, format="json-ld")


def conformance(data: Graph, shapes: Graph) -> tuple[bool, str]:
    conforms, _results, text = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    return conforms, text


def test_the_jsonld_catalogue_conforms_to_the_dcat_ap_shapes(snapshot, client, shapes):
    conforms, text = conformance(jsonld_graph(client), shapes)

    assert conforms, text


def test_the_shapes_catch_a_dataset_without_a_description(snapshot, client, shapes):
    """A control: the validation above is not vacuous."""
    data = jsonld_graph(client)
    dataset = next(data.subjects(RDF.type, DCAT.Dataset))
    data.remove((dataset, DCT.description, None))

    conforms, text = conformance(data, shapes)

    assert not conforms
    assert "description" in text


def test_the_turtle_catalogue_holds_the_same_triples(snapshot, client):
    response = client.get("/data/catalog.ttl")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/turtle; charset=utf-8"
    turtle = Graph().parse(data=response.content.decode(), format="turtle")
    jsonld = jsonld_graph(client)
    assert len(turtle) == len(jsonld) > 100
    assert isomorphic(turtle, jsonld)


def test_every_distribution_matches_its_snapshot_file(snapshot, client, settings):
    data = jsonld_graph(client)
    files = {
        f"{settings.SITE_URL}/data/latest/{item.filename}": item
        for item in SnapshotFile.objects.filter(snapshot=snapshot)
    }
    distributions = set(data.subjects(RDF.type, DCAT.Distribution))

    assert len(distributions) == len(files)
    for distribution in distributions:
        download = str(data.value(distribution, DCAT.downloadURL))
        item = files.pop(download)
        assert data.value(distribution, DCAT.accessURL) == URIRef(download)
        media_type = data.value(distribution, DCAT.mediaType)
        assert media_type == URIRef(f"https://www.iana.org/assignments/media-types/{item.media_type}")
        assert (media_type, RDF.type, DCT.MediaType) in data
        assert (data.value(distribution, DCT.format), RDF.type, DCT.MediaTypeOrExtent) in data
        size = data.value(distribution, DCAT.byteSize)
        assert size.datatype == XSD.nonNegativeInteger and int(size) == item.bytes
        checksum = data.value(distribution, SPDX.checksum)
        assert data.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        value = data.value(checksum, SPDX.checksumValue)
        assert value.datatype == XSD.hexBinary and str(value).lower() == item.sha256
        licence = data.value(distribution, DCT.license)
        assert licence == URIRef(settings.OPENDATA_LICENSE_URL)
        assert (licence, RDF.type, DCT.LicenseDocument) in data
    assert not files


def test_datasets_cover_the_city_and_the_period_of_their_content(content, client, settings):
    Report.objects.filter(pk=content.reports[0].pk).update(created_at=timezone.now() - timedelta(days=40))
    build()
    span = Report.objects.visible().aggregate(first=Min("created_at"), last=Max("created_at"))
    data = jsonld_graph(client)
    reports = URIRef(f"{settings.SITE_URL}/data/#reports")

    period = data.value(reports, DCT.temporal)
    start, end = data.value(period, DCAT.startDate), data.value(period, DCAT.endDate)
    assert start == Literal(span["first"].astimezone(UTC).date(), datatype=XSD.date)
    assert end == Literal(span["last"].astimezone(UTC).date(), datatype=XSD.date)
    assert (span["last"] - span["first"]).days >= 39
    bbox = str(data.value(data.value(reports, DCT.spatial), DCAT.bbox))
    min_lon, min_lat, max_lon, max_lat = settings.CITY_BOUNDS
    assert bbox == (
        f"POLYGON(({min_lon} {min_lat}, {max_lon} {min_lat}, {max_lon} {max_lat}, "
        f"{min_lon} {max_lat}, {min_lon} {min_lat}))"
    )
    assert len(set(data.subjects(RDF.type, DCAT.Dataset))) == len(DATASETS)


def test_the_catalogue_is_a_404_before_the_first_snapshot(db, client):
    for path in ("/data/catalog.jsonld", "/data/catalog.ttl", "/data/datapackage.json"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["detail"]
