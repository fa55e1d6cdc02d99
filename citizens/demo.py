"""Demo accounts for a newcomer's first look: one per role, verified, with the published password.

The password is in the README, so the ``seed_demo`` command that calls this runs only with DEBUG on.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction

from citizens import roles
from citizens.models import User

DEMO_PASSWORD = "cocreate-demo-2026"

DEMO_ACCOUNTS = (
    # email, display name, role group, is_staff
    ("citizen@example.org", "Sari (demo citizen)", None, False),
    ("moderator@example.org", "Budi (demo moderator)", roles.MODERATORS, True),
    ("staff@example.org", "Dewi (demo city staff)", roles.CITY_STAFF, True),
    ("operator@example.org", "Agus (demo operator staff)", roles.OPERATOR_STAFF, False),
)


@transaction.atomic
def demo_accounts_seed() -> dict[str, User]:
    """Create or refresh the demo accounts; returns them by email address."""
    return {
        email: seed_account(email=email, display_name=name, role=role, is_staff=is_staff)
        for email, name, role, is_staff in DEMO_ACCOUNTS
    }


def seed_account(*, email: str, display_name: str, role: str | None, is_staff: bool) -> User:
    """Create or refresh one demo account with a verified email address."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, display_name=display_name, is_staff=is_staff)
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user
