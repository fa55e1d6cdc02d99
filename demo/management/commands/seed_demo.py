"""Create demo accounts, the starter service catalogue, mobility operators with their fleets,
demo reports and proposals and a first open data snapshot, for local development.

Each app seeds its own part (its ``demo.py``); this command calls them in order. Idempotent:
running it twice leaves one of everything. Refused unless DEBUG is on, because the demo
passwords are published in the README.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from citizens.demo import DEMO_PASSWORD, demo_accounts_seed
from opendata.demo import demo_snapshot_seed
from operators.demo import demo_operator_answers_seed, demo_operators_seed
from proposals.demo import demo_proposals_seed
from services.demo import demo_reports_seed


class Command(BaseCommand):
    help = "Create demo accounts and content (DEBUG only)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo creates accounts with published passwords; it runs only with DEBUG on.")
        with transaction.atomic():
            accounts = demo_accounts_seed()
            for email in accounts:
                self.stdout.write(f"  {email} / {DEMO_PASSWORD}")
            # Operators first, so that reports about shared vehicles are routed to them.
            operators = demo_operators_seed(operator_staff=accounts["operator@example.org"])
            self.stdout.write(f"  {len(operators)} demo operators with their fleets")
            created = demo_reports_seed(reporter=accounts["citizen@example.org"], staff=accounts["staff@example.org"])
            self.stdout.write(f"  {created} demo reports created")
            answered = demo_operator_answers_seed(operator_staff=accounts["operator@example.org"])
            self.stdout.write(f"  {answered} reports answered by the demo operator")
            proposals = demo_proposals_seed(
                author=accounts["citizen@example.org"],
                supporters=[accounts["moderator@example.org"], accounts["operator@example.org"]],
                staff=accounts["staff@example.org"],
            )
            self.stdout.write(f"  {proposals} demo proposals created")
        snapshot = demo_snapshot_seed()
        self.stdout.write(f"  open data snapshot {snapshot.pk} built")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
