"""Create or update a mobility operator's permit from the command line (scripts, deployments)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from operators.actions import operator_save
from operators.models import FormFactor


def cap(text: str) -> tuple[str, int]:
    """``bicycle=500`` → ("bicycle", 500); a bare number caps bicycles."""
    kind, _sep, number = text.rpartition("=")
    kind = kind or FormFactor.BICYCLE
    if kind not in FormFactor.values:
        raise ValueError(kind)
    return kind, int(number)


class Command(BaseCommand):
    help = "Create or update the operator with this short name (slug); options not given are left as they are."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--gbfs-url", help="The address of the operator's gbfs.json.")
        parser.add_argument("--response-hours", type=int)
        parser.add_argument("--night-response-hours", type=int)
        parser.add_argument("--idle-hours", type=int, help="A vehicle unused longer than this becomes a report.")
        parser.add_argument(
            "--fleet-cap",
            type=cap,
            action="append",
            metavar="[TYPE=]N",
            help=f"Fleet cap, per vehicle type (one of {', '.join(FormFactor.values)}); repeat for each type.",
        )
        parser.add_argument("--permit-number")
        parser.add_argument("--contact", help="The operator's public contact.")
        parser.add_argument("--fine", help="Fine per breach.")

    def handle(self, *args, **options) -> None:
        try:
            operator, created = operator_save(
                slug=options["slug"],
                name=options["name"],
                gbfs_url=options["gbfs_url"],
                response_hours=options["response_hours"],
                night_response_hours=options["night_response_hours"],
                idle_limit_hours=options["idle_hours"],
                permit_number=options["permit_number"],
                public_contact=options["contact"],
                fine_per_breach=options["fine"],
                fleet_caps=dict(options["fleet_cap"] or []),
            )
        except ValidationError as error:
            messages = "; ".join(f"{field}: {' '.join(texts)}" for field, texts in error.message_dict.items())
            raise CommandError(messages) from None
        self.stdout.write(f"{'Created' if created else 'Updated'} operator {operator.slug} ({operator.name}).")
