"""The map version: a token that changes whenever a write may change what the public map shows.

The report map's tiles (``services.map_tiles``) are cached under it and carry it in their
``ETag``, so a change reaches every map at the next request for its tiles (browsers hold a tile
for its ``max-age``, 60 s, before they ask again), and a tile nobody changed is answered with a
``304`` without touching the database.

What changes the map: a report published, hidden, rejected, restored, deleted, moved, or changed
in status or service; a service changed (its code, or whether its points are coarsened). All of
them are seen in one place, the receivers below, connected by ``services.apps``:

- ``post_save`` of a ``Report``: created already published, or saved with one of ``MAP_FIELDS``
  among its ``update_fields`` (``None``, a whole save as the admin does, counts as all);
- ``post_delete`` of a published ``Report``;
- ``post_save`` of the moderation log (``ModerationAction``) about a report: moderation changes a
  report's state with ``QuerySet.update()``, which sends no signal, but logs every decision;
- ``post_save``/``post_delete`` of a ``Service``.

The token changes only after the write commits: a tile read in between would otherwise cache the
old rows under the new token. A write that bypasses the ORM (a bulk ``update()``, the benchmark's
``COPY``) is seen within ``map_tiles.CACHE_SECONDS``, the most a tile stays cached, or at once
with ``bump()``.

The token lives in the shared cache (Redis in production). When the cache is unreachable, every
request gets a new token: nothing is cached and every tile is computed afresh.
"""

from __future__ import annotations

import secrets

from django.core.cache import cache
from django.db import transaction

from moderation.models import ModerationState

KEY = "services:map-version"
# The fields of a report that decide whether and where the map shows it, and how.
MAP_FIELDS = frozenset({"moderation_state", "status", "lat", "lon", "service", "service_id"})


def _token() -> str:
    return secrets.token_hex(6)


def current() -> str:
    """The version now; a new one when the cache holds none (first use, or the cache emptied)."""
    version = cache.get(KEY)
    if version is None:
        cache.add(KEY, _token(), None)
        version = cache.get(KEY) or _token()
    return version


def bump() -> None:
    """A new version: every cached tile and every ``ETag`` handed out before is outdated."""
    cache.set(KEY, _token(), None)


def bump_after_commit() -> None:
    transaction.on_commit(bump)


# Receivers (connected in services.apps) ----------------------------------------------------------


def report_saved(sender, instance, created: bool, update_fields=None, **kwargs) -> None:
    if created:
        if instance.moderation_state == ModerationState.PUBLISHED:
            bump_after_commit()
    elif update_fields is None or MAP_FIELDS & set(update_fields):
        bump_after_commit()


def report_deleted(sender, instance, **kwargs) -> None:
    if instance.moderation_state == ModerationState.PUBLISHED:  # the purge of unconfirmed reports is not
        bump_after_commit()


def moderation_logged(sender, instance, created: bool, **kwargs) -> None:
    from django.contrib.contenttypes.models import ContentType

    from services.models import Report

    # log_action() has just put the entry's content type in ContentType's cache: no query here.
    about = ContentType.objects.get_for_id(instance.content_type_id) if instance.content_type_id else None
    if created and about is not None and about.model_class() is Report:
        bump_after_commit()


def service_changed(sender, instance, **kwargs) -> None:
    bump_after_commit()


def connect() -> None:
    """Listen to the writes that change the map; called once from ``ServicesConfig.ready``."""
    from django.db.models.signals import post_delete, post_save

    from moderation.models import ModerationAction
    from services.models import Report, Service

    post_save.connect(report_saved, sender=Report, dispatch_uid="services.map_version.report_saved")
    post_delete.connect(report_deleted, sender=Report, dispatch_uid="services.map_version.report_deleted")
    post_save.connect(moderation_logged, sender=ModerationAction, dispatch_uid="services.map_version.moderation")
    post_save.connect(service_changed, sender=Service, dispatch_uid="services.map_version.service_saved")
    post_delete.connect(service_changed, sender=Service, dispatch_uid="services.map_version.service_deleted")
