"""“Download my data”: everything the site holds about one person, as one JSON document.

The account is read here; every other part comes from the app that holds it, through the
exporters registered in ``citizens.personal_data``. Every list is loaded with one query (related
rows prefetched), so the export costs the same number of queries however much a person
wrote. What belongs to other people is left out: replies by others, who changed a report's
status, which moderator acted. Secrets are never exported: not the password hash, not the
API token's key, not the two-factor authentication secrets.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.utils import timezone

from citizens import personal_data as registry
from citizens.models import ApiToken, User

FILENAME = "cocreate-my-data.json"
FORMAT_VERSION = 1


def _account(user: User) -> dict[str, Any]:
    methods = sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    token_created = ApiToken.objects.filter(user=user).values_list("created_at", flat=True).first()
    return {
        "email": user.email,
        "display_name": user.display_name,
        "preferred_language": user.preferred_language,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "roles": user.role_labels(),
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
        ],
        # Which methods are set up, never their secrets.
        "two_factor_enabled": any(method != Authenticator.Type.RECOVERY_CODES for method in methods),
        "two_factor_methods": methods,
        # When the token was made, never its key: whoever holds the key can act as the person.
        "api_token_created": token_created,
    }


def personal_data(*, user: User) -> dict[str, Any]:
    """Everything the site holds about ``user``, ready for ``DjangoJSONEncoder``."""
    return {
        "format_version": FORMAT_VERSION,
        "site": settings.SITE_NAME,
        "exported_at": timezone.now(),
        "account": _account(user),
        **registry.export(user),
    }
