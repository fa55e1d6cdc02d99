"""Poll operators' GBFS feeds now, whatever their schedule, and say what each one gave."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from operators.fleet import poll_operator
from operators.models import Operator


class Command(BaseCommand):
    help = (
        "Poll the GBFS feed of every operator that has one (or of the operator SLUG) now, and print the "
        "vehicles read and the feed's state. Celery beat polls each feed at its own pace; this is for "
        "setting up a feed and for checking one."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug", nargs="?", help="the operator's short name (all operators with a feed if omitted)")

    def handle(self, *args, slug: str | None = None, **options) -> None:
        if slug:
            operator = Operator.objects.filter(slug=slug).first()
            if operator is None:
                known = ", ".join(Operator.objects.order_by("slug").values_list("slug", flat=True)) or "none"
                raise CommandError(f"No operator has the short name {slug!r} (known: {known}).")
            if not operator.gbfs_url:
                raise CommandError(f"Operator {slug!r} has no GBFS feed: set its GBFS auto-discovery URL first.")
            operators = [operator]
        else:
            operators = list(Operator.objects.with_feed().order_by("slug"))
            if not operators:
                self.stdout.write("No operator has a GBFS feed.")
                return
        for operator in operators:
            result = poll_operator(operator=operator)
            if not result.ok:
                self.stdout.write(
                    f"{operator.slug}: failing ({result.error_code}) after {result.duration_ms} ms: {result.error}"
                )
                continue
            read = "unchanged since the last poll" if result.not_modified else "read"
            docked = "" if result.docked_available is None else f", {result.docked_available} available at stations"
            self.stdout.write(
                f"{operator.slug}: ok, {result.vehicles} vehicles {read}{docked}, GBFS {operator.feed_version},"
                f" in {result.duration_ms} ms; next poll at {timezone.localtime(result.next_poll_at):%Y-%m-%d %H:%M:%S %Z}."
            )
