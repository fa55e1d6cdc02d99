"""The roles a person can hold on the site, kept as Django groups, and the one place that decides
who holds which.

The group names are data (created by a migration), so they stay in English; pages
show the translated labels below.

One definition, used by the actions, the views, the admin and the API alike:

- every role needs an active account;
- a superuser holds every staff role (city staff and moderator), but is not operator staff;
- ``is_staff`` is not a role: it opens the administration (Django's own check), where each
  section then decides by role. Accounts in a staff role are given ``is_staff``.

``role_of`` names the role a person acted in, for the report timeline and the audit log, so both
say the same of the same act. See docs/permissions.md.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

MODERATORS = "Moderators"
CITY_STAFF = "City staff"
OPERATOR_STAFF = "Operator staff"

ROLE_GROUPS = (MODERATORS, CITY_STAFF, OPERATOR_STAFF)
# The roles whose powers need a second factor (``citizens.step_up``); operator staff act as citizens.
STAFF_ROLES = (MODERATORS, CITY_STAFF)

ROLE_LABELS = {
    MODERATORS: _("Moderator"),
    CITY_STAFF: _("City staff"),
    OPERATOR_STAFF: _("Operator staff"),
}

# The names ``role_of`` records (stored in the audit log and on the report timeline, so not translated).
ROLE_NAMES = {MODERATORS: "moderator", CITY_STAFF: "city", OPERATOR_STAFF: "operator"}
SYSTEM = "system"
CITIZEN = "citizen"


def role_names(user) -> set[str]:
    """The role groups of an active account (one query); none for anyone else."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return set()
    return set(user.groups.filter(name__in=ROLE_GROUPS).values_list("name", flat=True))


def holds_role(user, role: str, names: Iterable[str] | None = None) -> bool:
    """Whether an active account holds ``role``; a superuser holds every staff role.

    ``names`` are the account's role groups when the caller has read them already.
    """
    if not (user is not None and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser and role in STAFF_ROLES:
        return True
    if names is not None:
        return role in names
    return user.groups.filter(name=role).exists()


def is_city_staff(user, names: Iterable[str] | None = None) -> bool:
    """City staff triage and answer reports and proposals, keep the catalogue and build datasets."""
    return holds_role(user, CITY_STAFF, names)


def is_moderator(user, names: Iterable[str] | None = None) -> bool:
    """Moderators work the queue, edit items and suspend accounts."""
    return holds_role(user, MODERATORS, names)


def is_operator_staff(user, names: Iterable[str] | None = None) -> bool:
    """Staff of a mobility operator; for now they act as citizens."""
    return holds_role(user, OPERATOR_STAFF, names)


def is_staff_member(user) -> bool:
    """An active account that may enter the administration: it reads content in any state."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def reads_as_staff(user) -> bool:
    """Staff read content as staff (the original text, hidden and pending photos) only in a request
    that passed step-up (``citizens.step_up``): ``StaffTwoFactorMiddleware`` and
    ``ApiTokenAuthentication`` note it on the request's user as ``stepped_up``."""
    return is_staff_member(user) and bool(getattr(user, "stepped_up", False))


def holds_staff_powers(user) -> bool:
    """Accounts that can act as staff somewhere: their powers ask for a second factor."""
    if is_staff_member(user):
        return True
    names = role_names(user)
    return any(holds_role(user, role, names) for role in STAFF_ROLES)


def role_of(user, *, acting_as: str | None = None) -> str:
    """The role ``user`` acted in: ``acting_as`` when they hold it (anyone acts as a citizen), else their first role of
    moderator, city staff, operator staff; ``system`` for no user and ``citizen`` for the rest."""
    if user is None:
        return SYSTEM
    if acting_as == CITIZEN:
        return CITIZEN
    names = role_names(user)
    if acting_as is not None and holds_role(user, acting_as, names):
        return ROLE_NAMES[acting_as]
    for role in ROLE_GROUPS:
        if holds_role(user, role, names):
            return ROLE_NAMES[role]
    return CITIZEN
