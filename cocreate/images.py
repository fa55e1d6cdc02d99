"""Images citizens upload (report photos, proposal images): checked on arrival, then
re-encoded without any metadata.

The original upload (with its EXIF block, GPS position included) lives only until
processing, in the private ``uploads`` storage (``PRIVATE_UPLOAD_ROOT``, or a private prefix of
the bucket: never under ``MEDIA_ROOT``, which a proxy may publish) under a random name, never the
client's; what is kept is a fresh encoding of the pixels, oriented, at most
2048 px on the long side, a thumbnail, and copies at the widths the pages show photos at
(``VARIANT_WIDTHS``), each in WebP and in JPEG for browsers without WebP. Models that hold such
an image (report photos, proposal images, operators' resolution photos) inherit
``ProcessedImage``: the upload, the size, the state (``processing``, ``ready``, ``failed``),
the processing itself and the addresses the pages show.
"""

from __future__ import annotations

import io
import logging
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

from cocreate.photo_serving import photo_url

logger = logging.getLogger(__name__)

# Pillow names a phone's JPEG with an embedded preview or depth map "MPO"; it is a JPEG.
ALLOWED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
LONG_SIDE = 2048
THUMB_SIDE = 480
# The widths pages pick from (cocreate/templatetags/photos.py): a thumbnail in a list (96 CSS px)
# or a grid (20rem), on screens of one to three device pixels per CSS pixel, and a photo across a
# page. A photo narrower than a width gets a copy of its own width instead, never an enlargement.
VARIANT_WIDTHS = (320, 640, 1280)
# Each width in WebP, and in JPEG for the browsers without WebP; both written from pixels alone.
VARIANT_FORMATS = {"webp": ("WEBP", {"quality": 80, "method": 4}), "jpg": ("JPEG", {"quality": 82})}
# Pillow refuses images far beyond this on its own; we refuse anything beyond it.
Image.MAX_IMAGE_PIXELS = settings.PHOTO_MAX_PIXELS


def upload_storage() -> Storage:
    """Where originals wait for processing: a storage that is never served."""
    return storages["uploads"]


def upload_name(instance: models.Model, filename: str) -> str:
    """A random name: the client's file name may say who or where they are, and is never used."""
    return f"{uuid.uuid4().hex}.upload"


def delete_upload(sender: type[ProcessedImage], instance: ProcessedImage, **kwargs: object) -> None:
    """``post_delete`` receiver: an image row deleted before processing takes its original with it."""
    if instance.upload:
        name, storage = instance.upload.name, instance.upload.storage
        transaction.on_commit(lambda: storage.delete(name))


def validate_image(upload: UploadedFile) -> None:
    """Refuse anything that is not a complete JPEG, PNG or WebP image within the caps."""
    if upload.size is not None and upload.size > settings.PHOTO_MAX_BYTES:
        megabytes = max(1, settings.PHOTO_MAX_BYTES // (1024 * 1024))
        raise ValidationError(_("“%(name)s” is larger than %(mb)d MB.") % {"name": upload.name, "mb": megabytes})
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in ALLOWED_FORMATS:
                raise ValidationError(_("“%(name)s” is not a JPEG, PNG or WebP image.") % {"name": upload.name})
            width, height = image.size
            if width * height > settings.PHOTO_MAX_PIXELS:
                raise ValidationError(_("“%(name)s” has too many pixels.") % {"name": upload.name})
            image.load()  # decodes every byte: a truncated file fails here
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise ValidationError(_("“%(name)s” is not an image we can read.") % {"name": upload.name}) from None
    except (OSError, SyntaxError, ValueError):
        raise ValidationError(_("“%(name)s” is damaged or incomplete.") % {"name": upload.name}) from None
    finally:
        upload.seek(0)


def _fitted(image: Image.Image, side: int) -> Image.Image:
    """A copy at most ``side`` px on its long side."""
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    return copy


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    # A new JPEG written from pixels alone: no EXIF, no XMP, no ICC-embedded location.
    image.save(buffer, format="JPEG", quality=85, optimize=True, progressive=True)
    return buffer.getvalue()


def _encode(image: Image.Image, side: int) -> bytes:
    return _jpeg(_fitted(image, side))


def widths_for(width: int) -> list[int]:
    """The widths of the copies made of an image ``width`` px wide."""
    return sorted({min(wanted, width) for wanted in VARIANT_WIDTHS})


def encode_variants(image: Image.Image) -> dict[tuple[int, str], bytes]:
    """The copies pages pick from: ``(width, extension)`` to the encoded bytes, without metadata."""
    encoded = {}
    for width in widths_for(image.width):
        height = max(1, round(image.height * width / image.width))
        resized = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS)
        for extension, (fmt, options) in VARIANT_FORMATS.items():
            buffer = io.BytesIO()
            resized.save(buffer, format=fmt, **options)  # no exif=, no icc_profile=: pixels alone
            encoded[(width, extension)] = buffer.getvalue()
    return encoded


def reencode(upload) -> bytes:
    """The upload's pixels, oriented, as a fresh JPEG at most ``LONG_SIDE`` px long: no metadata survives."""
    upload.seek(0)
    with Image.open(upload) as original:
        pixels = ImageOps.exif_transpose(original).convert("RGB")
    upload.seek(0)
    return _encode(pixels, LONG_SIDE)


class ProcessedImage(models.Model):
    """An uploaded image, kept only as a re-encoded copy and its thumbnail once processed.

    Each model declares its own ``image`` (with ``width_field="width"`` and
    ``height_field="height"``) and ``thumbnail`` ImageFields: their folders differ.
    """

    class State(models.TextChoices):
        PROCESSING = "processing", gettext_lazy("Processing")
        READY = "ready", gettext_lazy("Ready")
        FAILED = "failed", gettext_lazy("Failed")

    upload = models.FileField(
        gettext_lazy("upload awaiting processing"), upload_to=upload_name, storage=upload_storage, blank=True
    )
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    state = models.CharField(gettext_lazy("state"), max_length=12, choices=State.choices, default=State.PROCESSING)
    # The widths of the WebP and JPEG copies made (``variant_name``); empty for an image processed
    # before they were made, until ``manage.py make_photo_variants`` makes them.
    variant_widths = models.JSONField(gettext_lazy("widths of the copies"), default=list, blank=True, editable=False)

    image: models.ImageField
    thumbnail: models.ImageField

    class Meta:
        abstract = True

    @property
    def is_ready(self) -> bool:
        return self.state == self.State.READY

    @property
    def image_url(self) -> str:
        return photo_url(self, "full")

    @property
    def thumbnail_url(self) -> str:
        return photo_url(self, "thumb")

    def variant_name(self, width: int, extension: str) -> str:
        """The stored name of a copy, beside the image and as unguessable as its name."""
        return f"{self.image.name.rsplit('.', 1)[0]}-w{width}.{extension}"

    def variant_url(self, width: int, extension: str) -> str:
        return photo_url(self, str(width), extension)

    def stored_names(self) -> list[str]:
        """Every processed file of the image: the image, its thumbnail and its copies."""
        names = [file.name for file in (self.image, self.thumbnail) if file]
        if self.image:
            names += [self.variant_name(width, ext) for width in self.variant_widths for ext in VARIANT_FORMATS]
        return names

    def delete_files(self) -> None:
        """Delete the upload and every processed file (the row is the caller's to delete)."""
        if self.upload:
            self.upload.delete(save=False)
        for name in self.stored_names():
            self.image.storage.delete(name)

    def save_variants(self, encoded: dict[tuple[int, str], bytes]) -> None:
        """Store the copies ``encode_variants`` made, under their names (``variant_widths`` follows, unsaved)."""
        storage = self.image.storage
        for (width, extension), data in encoded.items():
            name = self.variant_name(width, extension)
            storage.delete(name)  # made again (``make_photo_variants`` run twice): the very same name
            storage.save(name, ContentFile(data))
        self.variant_widths = sorted({width for width, _extension in encoded})

    def make_variants(self) -> bool:
        """Make the copies of an image processed before they existed, from its processed image."""
        if not self.is_ready or not self.image:
            return False
        try:
            with self.image.open("rb") as handle, Image.open(handle) as stored:
                encoded = encode_variants(stored.convert("RGB"))
        except (OSError, ValueError, Image.DecompressionBombError):
            logger.warning("Copies of image %s of %s could not be made", self.pk, type(self).__name__)
            return False
        self.save_variants(encoded)
        self.save(update_fields=["variant_widths"])
        return True

    def process(self, stem: str) -> bool:
        """Orient, strip, resize, thumbnail and copy the upload; delete the original. True when ready."""
        if self.is_ready or not self.upload:
            return self.is_ready
        upload_name = self.upload.name
        try:
            with self.upload.open("rb") as handle, Image.open(handle) as original:
                pixels = _fitted(ImageOps.exif_transpose(original).convert("RGB"), LONG_SIDE)
            full, thumb, variants = _jpeg(pixels), _encode(pixels, THUMB_SIDE), encode_variants(pixels)
        except (OSError, ValueError, Image.DecompressionBombError):
            logger.warning("Image %s of %s could not be processed", self.pk, type(self).__name__)
            # The original still carries its metadata (GPS included): it must not outlive processing.
            self.upload = ""
            self.state = self.State.FAILED
            self.save(update_fields=["upload", "state"])
            self.upload.storage.delete(upload_name)
            return False
        # A random part in the name: where files are served straight from storage (a public bucket, a
        # misconfigured proxy), the address of a photo that is not public still cannot be guessed.
        stem = f"{stem}-{secrets.token_hex(16)}"
        self.image.save(f"{stem}.jpg", ContentFile(full), save=False)
        self.thumbnail.save(f"{stem}-thumb.jpg", ContentFile(thumb), save=False)
        self.save_variants(variants)
        self.upload = ""
        self.state = self.State.READY
        with transaction.atomic():
            self.save(update_fields=["image", "thumbnail", "width", "height", "variant_widths", "upload", "state"])
        self.upload.storage.delete(upload_name)
        return True
