"""The open data page: every dataset with its dictionary, licence, sizes and downloads; charts; the build panel."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from django.utils.html import escape

from opendata.builder import snapshot_build, snapshot_start
from opendata.datasets import DATASETS
from opendata.models import Snapshot
from proposals.tests.factories import ProposalFactory
from services.models import ReportStatus
from services.tests.factories import ReportFactory, ServiceFactory

pytestmark = pytest.mark.django_db

PAGE = "/data/"


@pytest.fixture
def published_now(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OPENDATA_PUBLICATION_DELAY_HOURS = 0


def seed(reports: int = 3) -> None:
    service = ServiceFactory(name="Pothole")
    for _ in range(reports):
        created = timezone.now() - timedelta(days=2)
        ReportFactory(service=service, created_at=created, status=ReportStatus.RESOLVED, closed_at=created)
    ProposalFactory()


@pytest.fixture
def built(published_now) -> Snapshot:
    seed()
    return snapshot_build(snapshot_start())


def test_the_page_lists_every_dataset_with_its_dictionary_licence_sizes_and_downloads(client, built, settings):
    response = client.get(PAGE)
    body = response.content.decode()

    assert response.status_code == 200
    files = {(item.dataset, item.format): item for item in built.files.all()}
    for name, dataset in DATASETS.items():
        assert f'id="dataset-{name}"' in body
        assert escape(str(dataset.title)) in body
        assert escape(str(dataset.description)) in body
        for field in dataset.columns:
            assert f"<code>{field.name}</code>" in body, (name, field.name)
        for fmt in dataset.formats:
            assert re.search(rf'href="/data/latest/{name}\.{fmt}"[^>]*download', body), (name, fmt)
            assert f"{name}.{fmt}" in body
            assert files[(name, fmt)].bytes > 0
    assert body.count(f'href="{settings.OPENDATA_LICENSE_URL}" rel="license">{settings.OPENDATA_LICENSE_ID}</a>') == (
        len(DATASETS) + 1
    )
    reports_section = body.split('id="dataset-reports"')[1].split("</section>")[0]
    assert "<dd>3</dd>" in reports_section
    for fmt, label in (("csv", "CSV"), ("json", "JSON"), ("geojson", "GeoJSON")):
        size = files[("reports", fmt)].bytes
        assert f"{label}, {size}\xa0bytes" in reports_section or f"{label}, {size / 1024:.1f}\xa0KB" in (
            reports_section
        )
    assert f'datetime="{timezone.localtime(built.finished_at).isoformat()}"' in body
    for document in ("datapackage.json", "catalog.jsonld", "catalog.ttl"):
        assert f'href="/data/{document}"' in body
    assert "No dataset has been published yet" not in body


def test_the_page_before_any_build_says_so_and_still_describes_the_datasets(client):
    body = client.get(PAGE).content.decode()

    assert "No dataset has been published yet" in body
    assert "Not published yet" in body
    assert "/data/latest/" not in body
    for dataset in DATASETS.values():
        assert escape(str(dataset.title)) in body
        assert f"<code>{dataset.columns[0].name}</code>" in body


def test_the_page_shows_the_charts_with_their_tables(client, built):
    body = client.get(PAGE).content.decode()

    assert body.count('<svg xmlns="http://www.w3.org/2000/svg"') == 3
    for title in ("Reports per month, by service", "Median time to close a report, by service", "Proposals by status"):
        assert f"<caption>{title}</caption>" in body
    assert "The same figures as a table" in body


def test_city_staff_see_the_build_button_and_a_citizen_does_not(client, staff, citizen):
    client.force_login(citizen)
    body = client.get(PAGE).content.decode()
    assert "Build the datasets now" not in body
    assert "opendata-progress.js" not in body

    client.force_login(staff)
    body = client.get(PAGE).content.decode()
    assert "Build the datasets now" in body
    assert 'action="/data/build/"' in body
    assert 'data-progress-url="/data/build/progress/"' in body
    assert "opendata-progress.js" in body


def test_staff_see_the_progress_of_the_running_build(client, staff, published_now):
    seed(reports=4)
    snapshot_start(requested_by_role="city")
    Snapshot.objects.update(progress={"reports": {"done": 3, "total": 4}, "services": {"done": 0, "total": 0}})
    client.force_login(staff)

    body = client.get(PAGE).content.decode()

    assert 'data-status="building"' in body
    assert re.search(r'<progress id="build-progress-reports" data-dataset="reports" max="4" value="3">', body)
    assert re.search(r'<progress id="build-progress-services" data-dataset="services" max="1" value="0">', body)


def test_a_finished_build_shows_full_bars_even_for_empty_datasets(client, staff, built):
    client.force_login(staff)
    body = client.get(PAGE).content.decode()

    assert 'data-status="succeeded"' in body
    for name, item in built.progress.items():
        total = max(item["total"], 1)
        assert f'data-dataset="{name}" max="{total}" value="{total}"' in body


def test_the_page_has_no_inline_script_or_style(client, staff, built):
    client.force_login(staff)
    body = client.get(PAGE).content.decode()

    assert not re.search(r"\sstyle=", body)
    assert not re.search(r"<style", body)
    for script in re.findall(r"<script[^>]*>", body):
        assert "src=" in script
    assert not re.search(r"\son[a-z]+=", body)


# A visitor: the latest snapshot, its files and three chart aggregates. Staff add their session,
# account, role and the last build.
@pytest.mark.parametrize(("as_staff", "queries"), [(False, 5), (True, 9)])
def test_the_page_costs_the_same_number_of_queries_however_much_content(
    client, staff, published_now, django_assert_max_num_queries, as_staff, queries
):
    if as_staff:
        client.force_login(staff)
    seed(reports=2)
    snapshot_build(snapshot_start())
    with django_assert_max_num_queries(queries):
        client.get(PAGE)

    seed(reports=20)
    for _ in range(5):
        ServiceFactory()
    snapshot_build(snapshot_start())
    cache.clear()
    with django_assert_max_num_queries(queries):
        client.get(PAGE)
    with django_assert_max_num_queries(queries - 3):  # the charts come from the cache now
        client.get(PAGE)
