"""Strict readers for environment variables.

Settings come from the environment; a value that cannot be parsed stops start-up
with a message naming the variable, instead of running with a surprising default.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    value = (os.environ if environ is None else environ).get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: str = "", environ: Mapping[str, str] | None = None) -> str:
    """Return the variable as text, or the default when unset or blank."""
    value = _raw(name, environ)
    return default if value is None else value


def env_bool(name: str, default: bool, environ: Mapping[str, str] | None = None) -> bool:
    """Return a boolean; accepts 1/0, true/false, yes/no, on/off (any case)."""
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false, yes/no, on/off or 1/0; got {value!r}.")


def env_int(
    name: str,
    default: int,
    environ: Mapping[str, str] | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    """Return an integer, optionally no smaller than ``minimum`` and no larger than ``maximum``."""
    value = _raw(name, environ)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {number}.")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}; got {number}.")
    return number


def env_list(name: str, default: list[str], environ: Mapping[str, str] | None = None) -> list[str]:
    """Return a comma-separated list with blanks dropped."""
    value = _raw(name, environ)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_uuid_map(name: str, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Comma-separated ``name=UUID`` pairs (such as operators' MDS provider ids by short name)."""
    value = _raw(name, environ)
    if value is None:
        return {}
    pairs = {}
    for part in value.split(","):
        key, equals, raw = (piece.strip() for piece in part.partition("="))
        try:
            if not (key and equals):
                raise ValueError
            pairs[key] = str(uuid.UUID(raw))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must be comma-separated name=UUID pairs, such as "
                f"kring=5f7114d1-4091-46ee-b492-e55875f7de00; got {part.strip()!r}."
            ) from None
    return pairs


def env_bounds(
    name: str,
    default: tuple[float, float, float, float],
    environ: Mapping[str, str] | None = None,
) -> tuple[float, float, float, float]:
    """Return a bounding box ``min_lon,min_lat,max_lon,max_lat`` in WGS84 degrees."""
    value = _raw(name, environ)
    if value is None:
        return default
    parts = value.split(",")
    message = f"{name} must be four numbers min_lon,min_lat,max_lon,max_lat; got {value!r}."
    if len(parts) != 4:
        raise ImproperlyConfigured(message)
    try:
        min_lon, min_lat, max_lon, max_lat = (float(part) for part in parts)
    except ValueError:
        raise ImproperlyConfigured(message) from None
    for number in (min_lon, min_lat, max_lon, max_lat):
        if number != number or number in (float("inf"), float("-inf")):
            raise ImproperlyConfigured(message)
    if not (-180 <= min_lon < max_lon <= 180 and -90 <= min_lat < max_lat <= 90):
        raise ImproperlyConfigured(
            f"{name} must have min < max, longitudes within -180..180 and latitudes within -90..90; got {value!r}."
        )
    return (min_lon, min_lat, max_lon, max_lat)


def env_url(name: str, default: str, schemes: tuple[str, ...], environ: Mapping[str, str] | None = None) -> str:
    """Return a URL whose scheme is one of ``schemes``."""
    value = env_str(name, default, environ)
    if not value:
        return value
    scheme = value.split(":", 1)[0].lower() if ":" in value else ""
    if scheme not in schemes:
        raise ImproperlyConfigured(
            f"{name} must be a URL starting with one of {', '.join(schemes)}; got a {scheme or 'bare'} value."
        )
    return value


RATE_PERIODS = ("s", "sec", "second", "m", "min", "minute", "h", "hour", "d", "day")


def env_rate(name: str, default: str, environ: Mapping[str, str] | None = None) -> str:
    """A request rate as Django REST framework reads it: ``<count>/<second|minute|hour|day>``."""
    value = env_str(name, default, environ)
    count, _, period = value.partition("/")
    if not count.isdigit() or int(count) < 1 or period.lower() not in RATE_PERIODS:
        raise ImproperlyConfigured(f"{name} must look like 30/minute (second, minute, hour or day); got {value!r}.")
    return value


ACCOUNT_RATE = re.compile(r"^[1-9][0-9]*/[0-9]*[smhd]/(ip|key|user)$")


def env_account_rates(name: str, default: str, environ: Mapping[str, str] | None = None) -> str:
    """allauth's rate limits: comma-separated ``<count>/<period>/<ip|key|user>``, e.g. ``10/m/ip,3/h/key``."""
    value = env_str(name, default, environ)
    if not all(ACCOUNT_RATE.match(part.strip()) for part in value.split(",")):
        raise ImproperlyConfigured(
            f"{name} must look like 10/m/ip,3/h/key (count/period/ip, key or user; period s, m, h or d, "
            f"optionally with a number: 5m); got {value!r}."
        )
    return value
