"""Writes to accounts: profile changes, API tokens, accounts proven by an emailed link, clean-up of unconfirmed sign-ups."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from citizens import roles
from citizens.models import ApiToken, User, hash_token_key, normalize_email
from cocreate import page_cache


@transaction.atomic
def user_update_profile(*, user: User, display_name: str, preferred_language: str) -> User:
    """Change the public name and the language the site speaks to this person."""
    user.display_name = display_name.strip()
    user.preferred_language = preferred_language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "preferred_language"])
    page_cache.bump()  # the public name may show on any page
    return user


def user_grant_role(*, user: User, role: str) -> None:
    """Put an account in a role group (``citizens.roles``)."""
    from django.contrib.auth.models import Group

    if role not in roles.ROLE_GROUPS:
        raise ValueError(f"unknown role {role!r}")
    user.groups.add(Group.objects.get(name=role))


def user_set_language(*, user: User, language: str) -> None:
    """Remember the language chosen with the switcher, if it is one the site speaks."""
    if language in dict(settings.LANGUAGES) and user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


@transaction.atomic
def user_for_confirmed_email(*, email: str, display_name: str = "", language: str = "") -> User:
    """The account of an address whose owner just followed a link we emailed to it, made if needed.

    A new account is verified and has no password until its owner sets one ("forgot password").
    An existing account whose address was never confirmed may have been opened by someone else
    with this address: its password is made unusable before the address is marked as confirmed,
    so that person cannot use it.
    """
    from allauth.account.models import EmailAddress

    email = normalize_email(email)
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        languages = dict(settings.LANGUAGES)
        user = User.objects.create_user(
            email,
            None,
            display_name=display_name.strip()[:60],
            preferred_language=language if language in languages else settings.LANGUAGE_CODE,
        )
    elif not EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists():
        user.set_unusable_password()
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email__iexact=email, defaults={"email": user.email, "verified": True, "primary": True}
    )
    return user


@transaction.atomic
def accounts_purge_unverified(*, now=None) -> int:
    """Delete accounts that never confirmed an email address within the retention period.

    Staff accounts and accounts that ever signed in after confirming are kept.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.UNVERIFIED_ACCOUNT_RETENTION_DAYS)
    stale = (
        User.objects.filter(date_joined__lt=cutoff, is_staff=False, is_superuser=False)
        .exclude(emailaddress__verified=True)
        .values_list("pk", flat=True)
    )
    deleted, _details = User.objects.filter(pk__in=list(stale)).delete()
    return deleted


@transaction.atomic
def api_token_issue(*, user: User, for_staff: bool) -> tuple[ApiToken, str]:
    """Make the account's API token, replacing any older one; return it with its key, shown only now.

    ``for_staff``: made in a stepped-up session (``citizens.step_up``), so it carries the account's
    staff powers. Any token of an account that holds staff powers expires after
    ``STAFF_API_TOKEN_DAYS``; a citizen's token lasts until it is replaced or revoked.
    """
    ApiToken.objects.filter(user=user).delete()
    key = secrets.token_hex(20)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        key_hash=hash_token_key(key),
        for_staff=for_staff,
        created_at=now,
        expires_at=now + timedelta(days=settings.STAFF_API_TOKEN_DAYS) if roles.holds_staff_powers(user) else None,
    )
    return token, key


def api_token_revoke(*, user: User) -> bool:
    """Delete the account's API token; True if there was one."""
    deleted, _details = ApiToken.objects.filter(user=user).delete()
    return bool(deleted)
