"""Processed photos (report photos, proposal images), served by the site under the pages' rules.

A single host without object storage keeps photos under ``MEDIA_ROOT``, and the site serves
them itself at ``/photos/<kind>/<id>/<signature>/<variant>.<jpg|webp>``: the re-encoded copy
(``full.jpg``), its thumbnail (``thumb.jpg``) and the copies at the pages' widths
(``640.webp``, ``640.jpg``: ``cocreate.images.VARIANT_WIDTHS``), never an upload awaiting
processing. A photo anyone may see (the photo and
what it belongs to are published) is cached long by browsers and briefly by shared caches, so
hiding it takes effect within minutes; one only its author or staff may see (pending, hidden,
rejected) answers them with ``private, no-store`` and everyone else with 404. The signature
is an HMAC of the kind and id under ``SECRET_KEY``: the address of a photo that is not public
cannot be guessed from its report's number.

With object storage the storage's own URLs are used (signed, expiring ones with
``AWS_QUERYSTRING_AUTH``): see docs/deployment.md for what that means for hidden photos.

The content apps register their kinds at start-up (``register_photo_kind`` in their
``AppConfig.ready``), so this module never imports them.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.views.decorators.http import require_safe

# Browsers keep a public photo for 30 days; shared caches for 5 minutes, so that a photo
# hidden by a moderator stops being served by a proxy cache soon after.
PUBLIC_CACHE = "public, max-age=2592000, s-maxage=300"
PRIVATE_CACHE = "private, no-store"
# The variants a URL may name besides the widths of the copies, and the field each one serves
# (JPEG only). The upload is not among them.
VARIANTS = {"full": "image", "thumb": "thumbnail"}
MEDIA_TYPES = {"jpg": "image/jpeg", "webp": "image/webp"}


@dataclass(frozen=True)
class PhotoKind:
    """How to find a kind of photo (a ``cocreate.images.ProcessedImage``) and who may see it.

    ``is_public(photo)``: anyone may see it. ``may_see(photo, user)``: a signed-in user who is
    not the public may see it, where the pages show it to them (its author, staff).
    ``related`` names what ``is_public`` and ``may_see`` read, loaded with the photo.
    """

    model: type[models.Model]
    is_public: Callable[[models.Model], bool]
    may_see: Callable[[models.Model, object], bool]
    related: tuple[str, ...] = ()


_KINDS: dict[str, PhotoKind] = {}
_KEYS: dict[type[models.Model], str] = {}


def register_photo_kind(key: str, kind: PhotoKind) -> None:
    _KINDS[key] = kind
    _KEYS[kind.model] = key


def registered_models() -> list[type[models.Model]]:
    """Every model of photos the site serves."""
    return [kind.model for kind in _KINDS.values()]


SIGNATURE_SALT = "cocreate.photo_serving"


def _signature(key: str, pk: int) -> str:
    return salted_hmac(SIGNATURE_SALT, f"{key}:{pk}", algorithm="sha256").hexdigest()[:32]


def _signer() -> Callable[[str, int], str]:
    """``_signature`` for many photos: ``salted_hmac``'s key is derived once, not once a photo."""
    derived = hashlib.sha256(force_bytes(SIGNATURE_SALT) + force_bytes(settings.SECRET_KEY)).digest()
    base = hmac.new(derived, digestmod=hashlib.sha256)

    def sign(key: str, pk: int) -> str:
        mac = base.copy()
        mac.update(f"{key}:{pk}".encode())
        return mac.hexdigest()[:32]

    return sign


def _stored_name(photo: models.Model, variant: str, extension: str) -> str:
    """The stored file ``variant.extension`` names for ``photo``; "" when it has none such."""
    if variant in VARIANTS:
        file = getattr(photo, VARIANTS[variant])
        return file.name if file and extension == "jpg" else ""
    if variant.isdigit() and int(variant) in photo.variant_widths and extension in MEDIA_TYPES and photo.image:
        return photo.variant_name(int(variant), extension)
    return ""


def photo_url(photo: models.Model, variant: str = "full", extension: str = "jpg") -> str:
    """The address of a photo's processed image (``full``), its thumbnail (``thumb``) or one of its
    copies (a width, in ``webp`` or ``jpg``); "" if there is none.

    ``ProcessedImage.image_url``, ``thumbnail_url`` and ``variant_url`` give it to pages, API,
    Open311 and admin.
    """
    name = _stored_name(photo, variant, extension)
    if not name:
        return ""
    storage = photo.image.storage
    if not isinstance(storage, FileSystemStorage):
        return storage.url(name)
    key = _KEYS[type(photo)]
    return reverse(
        "photo",
        kwargs={
            "kind": key,
            "pk": photo.pk,
            "signature": _signature(key, photo.pk),
            "variant": variant,
            "extension": extension,
        },
    )


def stored_photo_url(model: type[models.Model], pk: int, name: str | None, variant: str = "full") -> str:
    """``photo_url`` for a photo read as a row (its model, id and stored file name), not as an instance.

    Lists that read ``values()`` (Open311's requests) build the same address without loading photos.
    """
    if not name:
        return ""
    storage = model._meta.get_field(VARIANTS[variant]).storage
    if not isinstance(storage, FileSystemStorage):
        return storage.url(name)
    key = _KEYS[model]
    return reverse(
        "photo",
        kwargs={"kind": key, "pk": pk, "signature": _signature(key, pk), "variant": variant, "extension": "jpg"},
    )


def stored_photo_urls(model: type[models.Model], variant: str = "full") -> Callable[[int, str | None], str]:
    """``stored_photo_url`` for the many photos of a list (Open311's 1000 requests): the storage,
    the signing key and the address's fixed part are worked out once, not once a photo, where
    reversing the URL and deriving the key cost more than all the rest of a row."""
    storage = model._meta.get_field(VARIANTS[variant]).storage
    if not isinstance(storage, FileSystemStorage):
        return lambda pk, name: storage.url(name) if name else ""
    key, sign = _KEYS[model], _signer()
    # Photo 1 signed "s" is ".../photos/report/1/s/full.jpg": what comes before "1/" is the same for all.
    tail = f"1/s/{variant}.jpg"
    sample = reverse("photo", kwargs={"kind": key, "pk": 1, "signature": "s", "variant": variant, "extension": "jpg"})
    if not sample.endswith(f"/{tail}"):  # a route of another shape: reverse each one
        return lambda pk, name: stored_photo_url(model, pk, name, variant)
    head = sample[: -len(tail)]
    return lambda pk, name: f"{head}{pk}/{sign(key, pk)}/{variant}.jpg" if name else ""


@require_safe
def photo(request: HttpRequest, kind: str, pk: int, signature: str, variant: str, extension: str) -> HttpResponse:
    """A processed photo, to whoever the pages would show it; 404 to everyone else."""
    entry = _KINDS.get(kind)
    if entry is None or extension not in MEDIA_TYPES or not constant_time_compare(signature, _signature(kind, pk)):
        raise Http404
    instance = entry.model._default_manager.select_related(*entry.related).filter(pk=pk).first()
    name = _stored_name(instance, variant, extension) if instance is not None and instance.is_ready else ""
    if not name:
        raise Http404
    public = entry.is_public(instance)
    if not public and not (request.user.is_authenticated and entry.may_see(instance, request.user)):
        raise Http404
    # A processed file's name is random and never reused for other pixels.
    etag = f'"{hashlib.sha256(name.encode()).hexdigest()[:32]}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        try:
            response = FileResponse(instance.image.storage.open(name, "rb"), content_type=MEDIA_TYPES[extension])
        except OSError:  # the file went missing: nothing to show
            raise Http404 from None
    response["ETag"] = etag
    response["Cache-Control"] = PUBLIC_CACHE if public else PRIVATE_CACHE
    return response
