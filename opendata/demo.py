"""A first open data snapshot for a newcomer's look at ``/data/``, built from the demo content."""

from __future__ import annotations

from django.utils import timezone

from opendata import builder
from opendata.models import Snapshot


def demo_snapshot_seed() -> Snapshot:
    """Build a snapshot of everything published so far, now; returns it."""
    return builder.snapshot_build(builder.snapshot_start(requested_by_role="demo", cutoff=timezone.now()))
