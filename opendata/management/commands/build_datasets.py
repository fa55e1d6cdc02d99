"""Build a snapshot of the open datasets now, with a progress bar on a terminal."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from opendata import builder

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Build every open dataset in every format and make it the latest snapshot."

    def handle(self, *args, **options) -> None:
        snapshot = builder.snapshot_start(requested_by_role="command")
        interactive = sys.stdout.isatty()

        def show(current) -> None:
            if not interactive:
                return
            total = max(current.rows_total, 1)
            filled = int(BAR_WIDTH * current.rows_done / total)
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            self.stdout.write(f"\r[{bar}] {current.rows_done:,}/{current.rows_total:,} rows", ending="")
            self.stdout.flush()

        snapshot = builder.snapshot_build(snapshot, on_progress=show)
        pruned = builder.snapshots_prune()
        if interactive:
            self.stdout.write("")
        for item in snapshot.files.all():
            self.stdout.write(
                f"  {item.filename}: {item.rows:,} rows, {item.bytes:,} bytes, sha256 {item.sha256[:12]}…"
            )
        self.stdout.write(self.style.SUCCESS(f"Snapshot {snapshot.pk} is the latest; {pruned} old snapshot(s) pruned."))
