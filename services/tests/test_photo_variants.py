"""Photos come in copies sized for where pages show them: WebP, with JPEG for browsers without it,
at 320, 640 and 1280 px wide (never wider than the photo), served at the photo's signed address
under its rules, offered by the pages in a ``<picture>``; photos processed before the copies
existed get them from ``make_photo_variants``."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image

from citizens.tests.two_factor import sign_in_with_totp
from moderation.models import ModerationState
from services.models import ReportPhoto
from services.photos import process_photo
from services.tests.factories import ReportFactory, image_upload

pytestmark = pytest.mark.django_db

XMP = "XML:com.adobe.xmp"


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def report(citizen, media):
    return ReportFactory(reporter=citizen, description="Broken lamp")


def photo_of(report, size=(2000, 1500), **fields) -> ReportPhoto:
    photo = ReportPhoto.objects.create(report=report, upload=image_upload(size=size, exif_gps=True), **fields)
    return process_photo(photo)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def stored(photo: ReportPhoto, width: int, extension: str) -> Image.Image:
    with photo.image.storage.open(photo.variant_name(width, extension), "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def test_processing_makes_webp_and_jpeg_copies_at_the_pages_widths_without_metadata(report):
    photo = photo_of(report)

    photo.refresh_from_db()
    assert photo.variant_widths == [320, 640, 1280]
    for width in (320, 640, 1280):
        for extension, fmt in (("webp", "WEBP"), ("jpg", "JPEG")):
            image = stored(photo, width, extension)
            assert image.format == fmt
            assert image.size == (width, width * 3 // 4)
            assert not image.getexif(), "no EXIF block, so no GPS position"
            assert "exif" not in image.info and "icc_profile" not in image.info and XMP not in image.info


def test_a_narrow_photo_gets_copies_no_wider_than_itself(report):
    photo = photo_of(report, size=(500, 400))

    assert photo.variant_widths == [320, 500]
    assert stored(photo, 500, "webp").size == (500, 400)


def test_copies_are_served_with_their_media_type_and_the_public_caching(client, report):
    photo = photo_of(report)

    for width in (320, 640, 1280):
        for extension, media_type, magic in (("webp", "image/webp", b"RIFF"), ("jpg", "image/jpeg", b"\xff\xd8")):
            url = photo.variant_url(width, extension)
            assert url == f"{photo.image_url.rsplit('/', 1)[0]}/{width}.{extension}"
            response = client.get(url)
            assert response.status_code == 200
            assert response["Content-Type"] == media_type
            assert response["Cache-Control"] == "public, max-age=2592000, s-maxage=300"
            assert body(response).startswith(magic)
    again = client.get(photo.variant_url(640, "webp"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 200, "each file has its own ETag"


def test_copies_follow_the_photos_rules_for_hidden_and_unpublished_photos(client, report, citizen, moderator):
    photo = photo_of(report, moderation_state=ModerationState.HIDDEN)
    url = photo.variant_url(320, "webp")

    assert client.get(url).status_code == 404
    client.force_login(citizen)
    assert client.get(url).status_code == 404
    sign_in_with_totp(client, moderator)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_no_address_names_a_copy_that_was_not_made(client, report):
    photo = photo_of(report, size=(500, 400))
    base = photo.image_url.rsplit("/", 1)[0]

    for name in ("640.webp", "1280.jpg", "999.webp", "thumb.webp", "full.webp", "320.png", "320.jpeg"):
        assert client.get(f"{base}/{name}").status_code == 404, name
    assert client.get(f"{base}/500.webp").status_code == 200


def test_the_report_page_offers_the_copies_in_a_picture_with_the_alt_text(client, report):
    photo = photo_of(report)

    page = client.get(report.get_absolute_url()).content.decode()

    webp = f"{photo.variant_url(320, 'webp')} 320w, {photo.variant_url(640, 'webp')} 640w"
    jpeg = f"{photo.variant_url(320, 'jpg')} 320w, {photo.variant_url(640, 'jpg')} 640w"
    sizes = "(max-width: 22rem) calc(100vw - 2rem), 20rem"
    assert (
        f'<a href="{photo.image_url}"><picture><source type="image/webp" srcset="{webp}" sizes="{sizes}">'
        f'<img src="{photo.thumbnail_url}" srcset="{jpeg}" sizes="{sizes}" width="640" height="480"'
        ' alt="Photo 1 of the problem" loading="lazy"></picture></a>'
    ) in page


def test_the_list_of_reports_offers_a_small_copy_for_its_thumbnail(client, report):
    photo = photo_of(report)

    page = client.get("/reports/").content.decode()

    assert f'<source type="image/webp" srcset="{photo.variant_url(320, "webp")} 320w" sizes="96px">' in page
    assert re.search(rf'<img src="{re.escape(photo.thumbnail_url)}" srcset="[^"]+ 320w" sizes="96px" width="96"', page)


def test_a_photo_processed_before_the_copies_is_shown_as_before_until_the_command_makes_them(client, report):
    photo = photo_of(report)
    for name in photo.stored_names()[2:]:
        photo.image.storage.delete(name)
    ReportPhoto.objects.filter(pk=photo.pk).update(variant_widths=[])

    page = client.get(report.get_absolute_url()).content.decode()
    assert f'<a href="{photo.image_url}"><img src="{photo.thumbnail_url}" alt="Photo 1 of the problem"' in page
    assert client.get(f"{photo.image_url.rsplit('/', 1)[0]}/320.webp").status_code == 404

    out = io.StringIO()
    call_command("make_photo_variants", stdout=out)

    photo.refresh_from_db()
    assert photo.variant_widths == [320, 640, 1280]
    assert "Copies made for 1 photo(s)" in out.getvalue()
    assert client.get(photo.variant_url(1280, "webp")).status_code == 200
    assert "<picture>" in client.get(report.get_absolute_url()).content.decode()
    call_command("make_photo_variants", stdout=io.StringIO())  # nothing left to do: it stops at once
    assert sorted(path.name for path in Path(photo.image.storage.location).rglob("*-w*")) == sorted(
        Path(name).name for name in photo.stored_names()[2:]
    )
