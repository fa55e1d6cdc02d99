"""“Delete my account”: the account and its personal data go; what it gave the city stays, anonymous.

What happens, in one transaction (docs/privacy.md explains why):

- Reports and proposals stay, published as before, with no reporter or author: they are
  public records of the city's services, and others follow, support and discuss them.
  Their private Open311 contact details are deleted.
- Report comments are deleted.
- Proposal comments are deleted, except those other people replied to: those become
  “deleted comment” placeholders with no text and no author, so the replies keep their thread.
- Supports are deleted; proposals keep their support counts, a tally of support given at
  the time (a threshold may have been crossed on it and a city answer be due).
- Follows, flags, suspensions, the API token, email addresses and two-factor authenticators
  are deleted with the account.
- The audit log keeps every entry: those the person made lose their actor, those about
  the person stay as they are.

Each app does its own part, through the shredder it registered in ``citizens.personal_data``
(its ``personal_data`` module); what is left goes with the account row.

Staff and administrators cannot delete their own accounts here: an administrator does it,
so that nobody removes the last way into the administration by accident.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from citizens import personal_data
from citizens.mail import queue_email
from citizens.models import User, normalize_email
from cocreate import page_cache


def can_delete(user: User) -> bool:
    """Whether the person may delete their own account from the account page."""
    return not (user.is_staff or user.is_superuser)


def check_can_delete(user: User) -> None:
    if not can_delete(user):
        raise PermissionDenied(_("Staff accounts cannot be deleted here. Ask an administrator to delete yours."))


def check_confirmation(*, user: User, email: str, password: str) -> None:
    """The person types the account's email address, and its password when it has one."""
    errors: dict[str, list[str]] = {}
    if normalize_email(email) != user.email:
        errors["email"] = [_("Type the email address you log in with.")]
    if user.has_usable_password() and not user.check_password(password or ""):
        errors["password"] = [_("This is not your password.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def account_delete(*, user: User, email: str, password: str = "") -> bool:
    """Delete the account after the person confirmed it; False when it was already deleted.

    Every app may refuse first (``check_forget``), then each forgets its part, then the row goes.

    The confirmation email is sent once the transaction has committed.
    """
    check_can_delete(user)
    # The lock makes a double click delete once and send one email.
    locked = User.objects.select_for_update().filter(pk=user.pk).first()
    if locked is None:
        return False
    check_confirmation(user=locked, email=email, password=password)
    personal_data.check_forget(locked)
    address, language = locked.email, locked.preferred_language
    personal_data.forget(locked)
    locked.delete()
    page_cache.bump()  # names and comments go from every cached page
    _queue_confirmation(address=address, language=language)
    return True


def _queue_confirmation(*, address: str, language: str) -> None:
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + _("Your account has been deleted")
        body = _(
            "Hello,\n\n"
            "Your %(site)s account for %(email)s has been deleted, as you asked. Your comments, supports, "
            "follows, API token and email addresses are gone.\n\n"
            "The reports and proposals you published stay public without your name: they are part of the "
            "city's record of its services.\n\n"
            "This cannot be undone. You are welcome to create a new account at any time: %(url)s\n"
        ) % {"site": settings.SITE_NAME, "email": address, "url": settings.SITE_URL + reverse("account_signup")}
    queue_email(EmailMessage(subject=subject, body=body, to=[address]))
