"""Static files as production serves them: collected through the manifest storage, with
Leaflet's marker images named by the page and a missing manifest reported by /healthz."""

import json

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command

pytestmark = pytest.mark.django_db

MANIFEST_STORAGE = "cocreate.staticfiles.ManifestStaticFilesStorage"


@pytest.fixture
def production_static(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}
    settings.REDIS_URL = ""
    return tmp_path


def test_healthz_is_unavailable_while_static_files_are_not_collected(client, production_static):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "ok", "static": "not collected"}}


def test_healthz_is_unavailable_with_a_manifest_of_another_release(client, production_static):
    (production_static / "staticfiles.json").write_text(json.dumps({"version": "1.1", "paths": {"old.css": "x"}}))
    assert client.get("/healthz").status_code == 503


def test_collectstatic_succeeds_and_pages_name_hashed_files(client, production_static):
    call_command("collectstatic", "--noinput", verbosity=0)

    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["static"] == "ok"
    # The marker cluster script names a source map its package does not ship: the reference is dropped.
    cluster = staticfiles_storage.stored_name("vendor/leaflet-markercluster/leaflet.markercluster.js")
    assert "sourceMappingURL" not in (production_static / cluster).read_text()
    # Source maps that exist keep their (hashed) reference.
    leaflet = (production_static / staticfiles_storage.stored_name("vendor/leaflet/leaflet.js")).read_text()
    assert "sourceMappingURL=leaflet.js." in leaflet
    # Leaflet cannot guess its hashed marker images: the page names them.
    icon = staticfiles_storage.url("vendor/leaflet/images/marker-icon.png")
    assert icon != "/static/vendor/leaflet/images/marker-icon.png"
    page = client.get("/reports/map/").content.decode()
    assert f'data-marker-icon="{icon}"' in page
    assert staticfiles_storage.url("css/site.css") in page
