"""Make the WebP and JPEG copies at the pages' widths of photos processed before they existed.

New photos get their copies when they are processed (the outbox's photo jobs); the pages show a
photo without them as before, by its thumbnail alone. Run once after upgrading, on a worker
host (it reads and writes the media storage); safe to run again, and to stop: it picks up the
photos still without copies.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from cocreate.images import ProcessedImage
from cocreate.photo_serving import registered_models


class Command(BaseCommand):
    help = "Make the WebP and JPEG copies of every processed photo that has none yet."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--limit", type=int, default=0, help="stop after this many photos (0: all)")

    def handle(self, *args, limit: int = 0, **options) -> None:
        made = failed = 0
        for model in registered_models():
            waiting = model._default_manager.filter(state=ProcessedImage.State.READY, variant_widths=[]).exclude(
                image=""
            )
            for photo in waiting.order_by("pk").iterator(chunk_size=100):
                if limit and made + failed >= limit:
                    break
                if photo.make_variants():
                    made += 1
                else:
                    failed += 1
            self.stdout.write(f"{model._meta.verbose_name_plural}: done")
        self.stdout.write(self.style.SUCCESS(f"Copies made for {made} photo(s); {failed} could not be read."))
