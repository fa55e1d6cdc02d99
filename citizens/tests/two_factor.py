"""Signing a test client in as staff with the second factor passed, as allauth's login leaves it."""

from __future__ import annotations

import time

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)

# allauth keeps the records of the signed-in account under this key (see get_authentication_records).
RECORDS_USER_KEY = "account_authentication_methods_user"


def current_code(secret: str) -> str:
    """The code an authenticator app shows now for ``secret``."""
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def sign_in_with_totp(client, user):
    """Set TOTP up for ``user`` and sign ``client`` in with password and code, as the login page does."""
    totp = TOTP.activate(user, generate_totp_secret()).instance
    client.force_login(user)
    session = client.session
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "id": totp.pk, "type": "totp"},
    ]
    session[RECORDS_USER_KEY] = str(user.pk)
    session.save()
    return client


def sign_in_with_password_only(client, user, *, totp: bool):
    """Sign ``client`` in with the password alone, ``totp`` saying whether the account has TOTP set up."""
    if totp:
        TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    return client
