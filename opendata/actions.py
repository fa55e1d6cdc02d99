"""Writes of the open data app: requesting a build."""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from opendata import builder
from opendata.catalogue import running_build
from opendata.models import Snapshot
from opendata.tasks import build_datasets_task

logger = logging.getLogger(__name__)

# Held while a build request checks for a running build and starts one, so two staff
# clicking at once cannot start two builds (the database alone would let both see none).
BUILD_REQUEST_LOCK = "opendata:build-request"
BUILD_REQUEST_LOCK_SECONDS = 60


def datasets_build_request(*, requested_by_role: str) -> Snapshot:
    """Start a snapshot now and build it in the background, unless a build is already running."""
    refusal = ValidationError(_("The datasets are already being built. Wait until that build ends."))
    if not cache.add(BUILD_REQUEST_LOCK, True, BUILD_REQUEST_LOCK_SECONDS):
        raise refusal
    try:
        with transaction.atomic():
            if running_build() is not None:
                raise refusal
            snapshot = builder.snapshot_start(requested_by_role=requested_by_role)
            transaction.on_commit(lambda: _send_build(snapshot.pk))
    finally:
        cache.delete(BUILD_REQUEST_LOCK)
    return snapshot


def _send_build(snapshot_id: int) -> None:
    """Queue the build; a broker that is down fails it later, through the sweep of stalled builds,
    and "Build now" is offered again (a build is not sent twice: two would write the same files)."""
    try:
        build_datasets_task.delay(snapshot_id)
    except Exception as error:
        logger.warning("Dataset build %s not queued (%s)", snapshot_id, type(error).__name__)
