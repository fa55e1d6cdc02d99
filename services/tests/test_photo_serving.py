"""Report photos are served by the site at unguessable addresses, under the report page's rules:
public photos to everyone with long-lived caching, the others only to their reporter and staff."""

import re

import pytest

from citizens.tests.two_factor import sign_in_with_totp
from cocreate.photo_serving import _signature, _signer, stored_photo_urls
from moderation.models import ModerationState
from services.models import ReportPhoto
from services.photos import process_photo
from services.tests.factories import ReportFactory, image_upload

pytestmark = pytest.mark.django_db


def photo_of(report, **fields) -> ReportPhoto:
    photo = ReportPhoto.objects.create(report=report, upload=image_upload(), **fields)
    return process_photo(photo)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def report(citizen):
    return ReportFactory(reporter=citizen, description="Broken lamp")


def test_a_public_photo_is_a_jpeg_with_long_lived_cache_headers(client, report):
    photo = photo_of(report)
    for url in (photo.image_url, photo.thumbnail_url):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert "public" in response["Cache-Control"]
        assert "max-age=2592000" in response["Cache-Control"]
        assert body(response)[:2] == b"\xff\xd8"
    assert client.head(photo.thumbnail_url).status_code == 200


def test_the_pages_api_and_open311_link_photos_through_the_site(client, report):
    photo = photo_of(report)
    page = client.get(report.get_absolute_url()).content.decode()
    assert f'<a href="{photo.image_url}"><picture><source type="image/webp"' in page
    assert f'<img src="{photo.thumbnail_url}"' in page
    assert photo.image_url.startswith(f"/photos/report/{photo.pk}/")
    api = client.get(f"/api/v1/reports/{report.pk}/").json()
    assert api["photos"][0]["url"] == f"http://testserver{photo.image_url}"
    assert "/media/" not in client.get("/reports/").content.decode()


def test_an_unchanged_photo_answers_304_to_a_conditional_request(client, report):
    photo = photo_of(report)
    first = client.get(photo.image_url)
    again = client.get(photo.image_url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert "max-age" in again["Cache-Control"]


def test_a_hidden_reports_photo_answers_404_to_the_public(client, report):
    photo = photo_of(report)
    url = photo.image_url
    report.moderation_state = ModerationState.HIDDEN
    report.save(update_fields=["moderation_state"])
    assert client.get(url).status_code == 404
    assert client.get(photo.thumbnail_url).status_code == 404


@pytest.mark.parametrize("state", [ModerationState.PENDING, ModerationState.HIDDEN, ModerationState.REJECTED])
def test_a_photo_of_a_report_not_published_is_for_its_reporter_and_staff_only(
    client, report, citizen, other_citizen, moderator, state
):
    report.moderation_state = state
    report.save(update_fields=["moderation_state"])
    photo = photo_of(report)

    assert client.get(photo.image_url).status_code == 404
    client.force_login(other_citizen)
    assert client.get(photo.image_url).status_code == 404
    client.force_login(moderator)  # a password alone is not enough for a staff power
    assert client.get(photo.image_url).status_code == 404
    for sign_in in (lambda: client.force_login(citizen), lambda: sign_in_with_totp(client, moderator)):
        sign_in()
        response = client.get(photo.image_url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"


def test_a_hidden_photo_of_a_published_report_is_for_stepped_up_staff_only(client, report, citizen, moderator):
    photo = photo_of(report, moderation_state=ModerationState.HIDDEN)
    assert client.get(photo.image_url).status_code == 404
    client.force_login(citizen)
    assert client.get(photo.image_url).status_code == 404
    client.force_login(moderator)
    assert client.get(photo.image_url).status_code == 404
    sign_in_with_totp(client, moderator)
    assert client.get(photo.image_url).status_code == 200


def test_a_deleted_reports_photo_answers_404(client, report):
    photo = photo_of(report)
    url = photo.image_url
    report.delete()
    assert client.get(url).status_code == 404


def test_photo_addresses_cannot_be_guessed_from_the_report_number(client, report):
    photo = photo_of(report)
    forged = re.sub(r"/[0-9a-f]{32}/", "/" + "0" * 32 + "/", photo.image_url)
    assert forged != photo.image_url
    assert client.get(forged).status_code == 404
    # Nor the stored file's name, for storage served straight to browsers.
    assert not re.fullmatch(rf"reports/\d{{4}}/\d\d/{report.pk}-{photo.pk}\.jpg", photo.image.name)
    assert re.fullmatch(rf"reports/\d{{4}}/\d\d/{report.pk}-{photo.pk}-[0-9a-f]{{32}}\.jpg", photo.image.name)


def test_an_original_upload_is_never_served(client, report, moderator):
    photo = ReportPhoto.objects.create(report=report, upload=image_upload(exif_gps=True))
    assert photo.state == ReportPhoto.State.PROCESSING
    assert photo.image_url == ""  # nothing links to a photo awaiting processing
    client.force_login(moderator)
    # Even with a valid signature, no variant names the upload.
    signature = _signature("report", photo.pk)
    for variant in ("full", "thumb", "upload", "original"):
        assert client.get(f"/photos/report/{photo.pk}/{signature}/{variant}.jpg").status_code == 404, variant
    # MEDIA_ROOT itself is not served by the site.
    assert client.get(f"/media/{photo.upload.name}").status_code == 404


def test_a_list_gives_each_photo_the_address_its_page_gives_it(client, report):
    photos = [photo_of(report) for _ in range(3)]
    for variant, field in (("full", "image"), ("thumb", "thumbnail")):
        address = stored_photo_urls(ReportPhoto, variant)
        for photo in photos:
            url = address(photo.pk, getattr(photo, field).name)
            assert url == (photo.image_url if variant == "full" else photo.thumbnail_url)
            assert client.get(url).status_code == 200
        assert address(photos[0].pk, "") == ""


def test_a_list_signs_photos_as_the_site_checks_them(settings):
    settings.SECRET_KEY = "another-key-for-this-test-only-0123456789-abcdefghijklmnop"
    sign = _signer()
    assert all(sign(kind, pk) == _signature(kind, pk) for kind in ("report", "proposal") for pk in range(1, 200))
