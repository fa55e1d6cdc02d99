"""Create demo accounts, the starter service catalogue and demo reports for local development.

Idempotent: running it twice leaves one of everything. Refused unless DEBUG is on,
because the demo passwords are published in the README.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from citizens import roles
from citizens.models import User
from opendata import builder
from proposals.demo import demo_proposals_seed
from services.demo import demo_reports_seed

DEMO_PASSWORD = "cocreate-demo-2026"

DEMO_ACCOUNTS = (
    # email, display name, role group, is_staff
    ("citizen@example.org", "Sari (demo citizen)", None, False),
    ("moderator@example.org", "Budi (demo moderator)", roles.MODERATORS, True),
    ("staff@example.org", "Dewi (demo city staff)", roles.CITY_STAFF, True),
    ("operator@example.org", "Agus (demo operator staff)", roles.OPERATOR_STAFF, False),
)


class Command(BaseCommand):
    help = "Create demo accounts and content (DEBUG only)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo creates accounts with published passwords; it runs only with DEBUG on.")
        with transaction.atomic():
            accounts = {}
            for email, name, role, is_staff in DEMO_ACCOUNTS:
                accounts[email] = seed_account(email=email, display_name=name, role=role, is_staff=is_staff)
                self.stdout.write(f"  {email} / {DEMO_PASSWORD}")
            created = demo_reports_seed(reporter=accounts["citizen@example.org"], staff=accounts["staff@example.org"])
            self.stdout.write(f"  {created} demo reports created")
            proposals = demo_proposals_seed(
                author=accounts["citizen@example.org"],
                supporters=[accounts["moderator@example.org"], accounts["operator@example.org"]],
                staff=accounts["staff@example.org"],
            )
            self.stdout.write(f"  {proposals} demo proposals created")
        snapshot = builder.snapshot_build(builder.snapshot_start(requested_by_role="demo", cutoff=timezone.now()))
        self.stdout.write(f"  open data snapshot {snapshot.pk} built")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))


def seed_account(*, email: str, display_name: str, role: str | None, is_staff: bool) -> User:
    """Create or refresh one demo account with a verified email address."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, display_name=display_name, is_staff=is_staff)
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user
