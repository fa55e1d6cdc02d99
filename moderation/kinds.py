"""The kinds of content citizens write, as moderation sees them.

Moderation names no content app: each one registers its kinds at start-up (``register`` from
its ``AppConfig.ready``, through its ``moderation_kinds`` module), saying what moderation needs
to know of them. The order of registration is the order of the queue's kind filter and of the
kinds the flag API accepts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import models


def no_photos(item: models.Model) -> list[models.Model]:
    return []


@dataclass(frozen=True)
class Kind:
    code: str
    model: type[models.Model]
    label: str
    author_path: str  # lookup from the item to its author
    _: KW_ONLY
    text_field: str = ""  # the field a moderator may edit
    context_path: str = ""  # the item this one belongs to, shown in the queue
    flaggable: bool = True
    # A contribution in its own right, not a part of another item (as a photo is of its report):
    # counted among a new account's first contributions, hidden with a suspended account's content.
    contribution: bool = True
    # How moderators see an item: what is loaded with it (``select_related``), its title and
    # summary above its text, whether it is itself a photo (shown as its thumbnail).
    related: tuple[str, ...] = ()
    title_field: str = ""
    summary_field: str = ""
    is_photo: bool = False
    # Its photos, each removed on the item's review page and logged beside it; and the related
    # manager of photos the queue shows as thumbnails (prefetched with a page of the queue).
    photos: Callable[[models.Model], list[models.Model]] = no_photos
    queue_photos: str = ""


def photo_kind(
    code: str, model: type[models.Model], label: str, author_path: str, *, context_path: str, related: tuple[str, ...]
) -> Kind:
    """A photo of another item: shown as its thumbnail, not flagged or counted by itself."""
    return Kind(
        code,
        model,
        label,
        author_path,
        context_path=context_path,
        flaggable=False,
        contribution=False,
        related=related,
        is_photo=True,
    )


KINDS: dict[str, Kind] = {}
_BY_MODEL: dict[type[models.Model], Kind] = {}


def register(kind: Kind) -> None:
    """Make a kind of content known to moderation; called once per kind at start-up."""
    if kind.code in KINDS or kind.model in _BY_MODEL:
        raise ImproperlyConfigured(f"The moderation kind {kind.code} ({kind.model._meta.label}) is registered twice.")
    KINDS[kind.code] = kind
    _BY_MODEL[kind.model] = kind


def flaggable() -> tuple[str, ...]:
    """The codes of the kinds citizens may flag."""
    return tuple(code for code, kind in KINDS.items() if kind.flaggable)


def kind_of(instance: models.Model) -> Kind:
    kind = _BY_MODEL.get(instance._meta.model)
    if kind is None:
        raise LookupError(f"{instance._meta.label} is not moderated content")
    return kind


def author_of(instance: models.Model):
    value = instance
    for part in kind_of(instance).author_path.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value
