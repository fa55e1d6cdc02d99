"""Signed tokens for links in emails (such as "stop following"), valid for a year."""

from __future__ import annotations

from django.core import signing

MAX_AGE = 60 * 60 * 24 * 365


def make_token(salt: str, **ids: int) -> str:
    return signing.dumps(ids, salt=salt)


def read_token(salt: str, token: str, *keys: str) -> tuple[int, ...] | None:
    """The ids in ``token`` in the order of ``keys``, or None when it is forged, foreign or expired."""
    try:
        data = signing.loads(token, salt=salt, max_age=MAX_AGE)
        return tuple(int(data[key]) for key in keys)
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
