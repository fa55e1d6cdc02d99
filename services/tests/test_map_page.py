"""The map page over HTTP: its filters, its count sentences and its map's words, in both languages."""

import pytest

from services.tests.factories import ReportFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def service():
    return ServiceFactory(service_code="pothole", name="Pothole", name_ind="Jalan berlubang")


def test_the_map_page_has_service_and_status_filters_and_a_legend(client, service):
    page = client.get("/reports/map/?service=pothole&status=open").content.decode()
    assert '<option value="pothole" selected>Pothole</option>' in page
    assert '<option value="open" selected>Open</option>' in page
    assert 'href="/reports/?service=pothole&amp;status=open"' in page
    assert "Legend" in page and "Resolved or closed" in page


def test_the_count_sentences_are_given_for_one_and_for_several(client):
    page = client.get("/reports/map/").content.decode()
    assert 'data-count-one="%(count)s report shown"' in page
    assert 'data-count-other="%(count)s reports shown"' in page


def test_in_indonesian_the_filter_the_count_and_the_zoom_buttons_are_translated(client, service):
    client.cookies["django_language"] = "id"
    page = client.get("/reports/map/").content.decode()
    assert ">Jalan berlubang</option>" in page
    assert 'data-count-other="%(count)s laporan ditampilkan"' in page
    assert 'data-zoom-in="Perbesar"' in page and 'data-zoom-out="Perkecil"' in page
    assert 'data-attribution-prefix="Peta: Leaflet"' in page


def test_an_unknown_filter_is_a_form_error_not_a_crash(client):
    response = client.get("/reports/map/?service=nope&status=lost")
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"service", "status"}
    assert 'href="/reports/"' in response.content.decode()


def test_the_list_filter_names_services_in_the_pages_language(client, service):
    client.cookies["django_language"] = "id"
    assert ">Jalan berlubang</option>" in client.get("/reports/").content.decode()


def test_the_report_page_map_is_a_labelled_region_not_an_image(client):
    report = ReportFactory()
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert 'id="report-map"' in page
    assert 'role="region" aria-label="Map showing where the problem is"' in page
