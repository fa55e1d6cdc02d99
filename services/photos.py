"""Report photos: at most five per report, each checked and processed by ``cocreate.images``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from cocreate.images import process_upload, validate_image
from services.models import ReportPhoto

MAX_PHOTOS = 5


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
    process_upload(photo, f"{photo.report_id}-{photo.pk}")
    return photo
