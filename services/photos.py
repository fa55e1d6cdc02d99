"""Report photos: at most five per report, each checked and processed by ``cocreate.images``.

A photo sent with a form that is refused for another reason is kept as a ``PendingPhoto``
(already re-encoded, so without its location data), named in the re-shown form by a signed
token, so the citizen does not have to choose it again.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from cocreate.images import reencode, validate_image
from services.models import PendingPhoto, ReportPhoto

MAX_PHOTOS = 5
PENDING_SALT = "services.pending-photo"
PENDING_MAX_AGE = timedelta(days=1)


def validate_photos(uploads: list[UploadedFile]) -> None:
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError({"photos": _("Attach at most %(count)d photos.") % {"count": MAX_PHOTOS}})
    errors = []
    for upload in uploads:
        try:
            validate_image(upload)
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"photos": errors})


def process_photo(photo: ReportPhoto) -> ReportPhoto:
    """Orient, strip, resize and thumbnail one photo; delete the original upload."""
    photo.process(f"{photo.report_id}-{photo.pk}")
    return photo


def pending_token(photo: PendingPhoto) -> str:
    return signing.dumps(str(photo.key), salt=PENDING_SALT)


def pending_read(tokens: list[str]) -> list[PendingPhoto]:
    """The kept photos named by ``tokens``, in their order; forged, expired or purged ones are skipped."""
    keys = []
    for token in tokens[:MAX_PHOTOS]:
        try:
            keys.append(signing.loads(token, salt=PENDING_SALT, max_age=PENDING_MAX_AGE))
        except signing.BadSignature:
            continue
    found = {str(photo.key): photo for photo in PendingPhoto.objects.filter(key__in=keys)}
    return [found[key] for key in dict.fromkeys(keys) if key in found]


def pending_keep(uploads: list[UploadedFile]) -> list[PendingPhoto]:
    """Keep every readable image of a refused form, re-encoded; the others are not kept."""
    kept = []
    for upload in uploads[:MAX_PHOTOS]:
        try:
            validate_image(upload)
        except ValidationError:
            continue
        photo = PendingPhoto()
        photo.image.save(f"{photo.key}.jpg", ContentFile(reencode(upload)), save=True)
        kept.append(photo)
    return kept


def pending_discard(photos: list[PendingPhoto]) -> None:
    for photo in photos:
        photo.image.delete(save=False)
        photo.delete()


def pending_purge(*, now=None) -> int:
    """Delete kept photos older than a day: their form was abandoned."""
    stale = list(PendingPhoto.objects.filter(created_at__lt=(now or timezone.now()) - PENDING_MAX_AGE))
    pending_discard(stale)
    return len(stale)
