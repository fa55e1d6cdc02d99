"""Who may contribute, and in which state a new contribution starts."""

from __future__ import annotations

from django.conf import settings
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


def check_verified(user) -> None:
    """Refuse an anonymous, inactive or unconfirmed account: enough to follow and be emailed."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Log in to take part."))
    if not user.is_active:
        raise PermissionDenied(_("This account cannot contribute."))
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
