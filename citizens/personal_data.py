"""The registry of personal data: what each app holds about a person, and how it forgets it.

``citizens`` sits at the bottom of the house and knows no app above it. Each app that keeps a
person's data registers at start-up (in its ``AppConfig.ready()``) how to export it for
“download my data” and how to forget it when the account is deleted, as pretix's data shredders
do. ``citizens.data_export`` and ``citizens.account_deletion`` run what is registered, so a new
kind of content brings its own export and its own deletion without an edit here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from citizens.models import User


@dataclass(frozen=True)
class Section:
    """One part of the “download my data” document."""

    key: str
    export: Callable[[User], Any]  # the part's JSON-ready value, read in a fixed number of queries
    position: int  # where it stands in the document, lowest first
    within: str = ""  # the key of a part several apps fill together (``"follows"``); "" for the top level


@dataclass(frozen=True)
class Shredder:
    """How one app forgets a person whose account is being deleted."""

    forget: Callable[[User], None]  # inside the deletion's transaction, before the account row goes
    check: Callable[[User], None] | None = None  # raises ValidationError to refuse before anything changes


_sections: dict[tuple[str, str], Section] = {}
_shredders: dict[str, Shredder] = {}


def register_export(key: str, export: Callable[[User], Any], *, position: int, within: str = "") -> None:
    """Add a part to “download my data”; registering the same key again replaces it."""
    _sections[(within, key)] = Section(key=key, export=export, position=position, within=within)


def register_shredder(name: str, forget: Callable[[User], None], *, check: Callable[[User], None] | None = None):
    """Add an app's deletion of a person's data to “delete my account”; ``name`` is the app's label."""
    _shredders[name] = Shredder(forget=forget, check=check)


def export(user: User) -> dict[str, Any]:
    """Every registered part of the person's data, in document order."""
    document: dict[str, Any] = {}
    for section in sorted(_sections.values(), key=lambda section: section.position):
        value = section.export(user)
        if section.within:
            document.setdefault(section.within, {})[section.key] = value
        else:
            document[section.key] = value
    return document


def check_forget(user: User) -> None:
    """Ask every app whether it can forget the person now; the first that cannot raises."""
    for shredder in _shredders.values():
        if shredder.check is not None:
            shredder.check(user)


def forget(user: User) -> None:
    """Let every app delete or anonymise what the account's own deletion would not."""
    for shredder in _shredders.values():
        shredder.forget(user)


def absolute_url(path: str) -> str:
    """A path on the site as the address the export gives."""
    return settings.SITE_URL + path


def photo_url(url: str) -> str | None:
    """A photo's address (``image_url``, ``thumbnail_url``) made absolute; None when there is none."""
    if not url:
        return None
    return url if "://" in url else absolute_url(url)


def photo_export(photo: Any) -> dict[str, Any]:
    """A processed, moderated photo (a report's photo, a proposal's image) as the export gives it."""
    return {
        "image": photo_url(photo.image_url),
        "thumbnail": photo_url(photo.thumbnail_url),
        "state": photo.state,
        "moderation_state": photo.moderation_state,
    }
