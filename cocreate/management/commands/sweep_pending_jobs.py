"""Send again the background jobs left pending (a broker that was down, a worker killed)."""

from django.core.management.base import BaseCommand

from cocreate import outbox


class Command(BaseCommand):
    help = "Send again every pending background job that is due (Celery beat does this every minute)."

    def handle(self, *args, **options) -> None:
        sent = outbox.sweep()
        self.stdout.write(f"{sent} pending jobs sent.")
