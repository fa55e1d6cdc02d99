"""Images citizens upload (report photos, proposal images): checked on arrival, then
re-encoded without any metadata.

The original upload (with its EXIF block, GPS position included) lives only until
processing, in the private ``uploads`` storage (``PRIVATE_UPLOAD_ROOT``, or a private prefix of
the bucket: never under ``MEDIA_ROOT``, which a proxy may publish) under a random name, never the
client's; what is kept is a fresh encoding of the pixels, oriented, at most
2048 px on the long side, and a thumbnail. Models that hold such an image (report photos,
proposal images) inherit ``ProcessedImage``: the upload, the size, the state (``processing``,
``ready``, ``failed``), the processing itself and the addresses the pages show.
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


def _encode(image: Image.Image, side: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    # A new JPEG written from pixels alone: no EXIF, no XMP, no ICC-embedded location.
    copy.save(buffer, format="JPEG", quality=85, optimize=True, progressive=True)
    return buffer.getvalue()


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

    def process(self, stem: str) -> bool:
        """Orient, strip, resize and thumbnail the upload; delete the original. True when ready."""
        if self.is_ready or not self.upload:
            return self.is_ready
        upload_name = self.upload.name
        try:
            with self.upload.open("rb") as handle, Image.open(handle) as original:
                pixels = ImageOps.exif_transpose(original).convert("RGB")
            full, thumb = _encode(pixels, LONG_SIDE), _encode(pixels, THUMB_SIDE)
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
        self.upload = ""
        self.state = self.State.READY
        with transaction.atomic():
            self.save(update_fields=["image", "thumbnail", "width", "height", "upload", "state"])
        self.upload.storage.delete(upload_name)
        return True
