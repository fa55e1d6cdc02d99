"""Who may contribute, and in which state a new contribution starts."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from citizens import roles
from moderation.kinds import KINDS
from moderation.models import ModerationState, Suspension


def active_suspension(user) -> Suspension | None:
    if user is None or not user.is_authenticated:
        return None
    return Suspension.objects.active().filter(user=user).select_related("reason").first()


def check_account(user) -> None:
    """Refuse an anonymous or inactive account: what ``check_verified`` knows without a query."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Log in to take part."))
    if not user.is_active:
        raise PermissionDenied(_("This account cannot contribute."))


def check_verified(user) -> None:
    """Refuse an anonymous, inactive or unconfirmed account: enough to follow and be emailed."""
    check_account(user)
    if not user.has_verified_email():
        raise PermissionDenied(_("Confirm your email address before you contribute."))


def check_can_contribute(user) -> None:
    """Refuse a write by an anonymous, inactive, unverified or suspended account, saying why.

    Following is not contributing: a suspended person still follows (``check_verified``).
    """
    check_verified(user)
    suspension = active_suspension(user)
    if suspension is not None:
        reason = suspension.reason.label
        if suspension.ends_at:
            # The day in the site's time zone, as the person reads their calendar (not UTC's).
            until = date_format(timezone.localtime(suspension.ends_at), "DATE_FORMAT")
            raise PermissionDenied(
                _("Your account is suspended until %(date)s: %(reason)s.") % {"date": until, "reason": reason}
            )
        raise PermissionDenied(_("Your account is suspended: %(reason)s.") % {"reason": reason})


def contributor_condition(connection) -> str:
    """What ``check_can_contribute`` reads from the database, as one SQL condition on parameters
    ``contributor_params`` gives: the account has a verified primary address and no suspension in
    force.

    For a write that folds the check into its own statement (``proposals.supporting``): when it
    changes no row, ``check_can_contribute`` says why. The two must agree
    (moderation/tests/test_contributor_condition.py); change them together.
    """
    quote = connection.ops.quote_name
    addresses = get_user_model()._meta.get_field("emailaddress").related_model._meta
    suspensions = Suspension._meta

    def column(meta, name: str) -> str:
        return quote(meta.get_field(name).column)

    # Only the models' own table and column names are written into the text; values are parameters.
    return (
        f"EXISTS (SELECT 1 FROM {quote(addresses.db_table)} WHERE {column(addresses, 'user')} = %s"  # noqa: S608
        f" AND {column(addresses, 'verified')} AND {column(addresses, 'primary')})"
        f" AND NOT EXISTS (SELECT 1 FROM {quote(suspensions.db_table)} WHERE {column(suspensions, 'user')} = %s"
        f" AND {column(suspensions, 'lifted_at')} IS NULL AND {column(suspensions, 'starts_at')} <= %s"
        f" AND ({column(suspensions, 'ends_at')} IS NULL OR {column(suspensions, 'ends_at')} > %s))"
    )


def contributor_params(connection, user_id: int, now: datetime) -> list[object]:
    """The parameters of ``contributor_condition``, in order, for the account ``user_id`` at ``now``."""
    moment = connection.ops.adapt_datetimefield_value(now)
    return [user_id, user_id, moment, moment]


def contribution_count(user) -> int:
    """Everything the person has written so far, in any state."""
    return sum(
        kind.model.objects.filter(**{kind.author_path: user}).count() for kind in KINDS.values() if kind.contribution
    )


def initial_state(user, *, pre_moderated: bool = False, trusted_source: bool = False) -> str:
    """Pending for pre-moderated services and a new account's first contributions; else published.

    ``user`` None is an Open311 client's report: its author is unknown here, so it waits as a
    new account's first contribution does, unless the client is trusted (``trusted_source``).
    """
    if pre_moderated:
        return ModerationState.PENDING
    first = settings.MODERATION_FIRST_CONTRIBUTIONS_PENDING
    if user is None:
        return ModerationState.PUBLISHED if trusted_source or not first else ModerationState.PENDING
    if roles.is_staff_member(user) or roles.is_moderator(user):
        return ModerationState.PUBLISHED
    if first and contribution_count(user) < first:
        return ModerationState.PENDING
    return ModerationState.PUBLISHED
