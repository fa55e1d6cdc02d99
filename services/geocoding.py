"""The address search of the report form: addresses already named in published reports, and, when
``GEOCODER_URL`` names a Nominatim-compatible service, its answers within the city's bounds.

The server asks the geocoder, not the citizen's browser, so the geocoder never learns who is
searching; answers are cached for a day, and a slow or failing geocoder only means fewer answers.
"""

from __future__ import annotations

import hashlib
import json
import logging
from urllib.error import URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from services.models import Report

logger = logging.getLogger(__name__)
TIMEOUT_S = 3
CACHE_S = 24 * 60 * 60


def _geocoder(text: str, limit: int) -> list[dict[str, object]]:
    min_lon, min_lat, max_lon, max_lat = settings.CITY_BOUNDS
    query = {
        "q": text,
        "format": "jsonv2",
        "limit": limit,
        "viewbox": f"{min_lon},{max_lat},{max_lon},{min_lat}",
        "bounded": 1,
        "accept-language": translation.get_language() or settings.LANGUAGE_CODE,
    }
    key = "geocoder:" + hashlib.sha256(json.dumps(query, sort_keys=True).encode()).hexdigest()
    found = cache.get(key)
    if found is not None:
        return found
    # The scheme is checked to be http or https in settings.
    request = Request(  # noqa: S310
        f"{settings.GEOCODER_URL}?{urlencode(query)}",
        headers={"User-Agent": f"{settings.SITE_NAME} {settings.SITE_URL}"},
    )
    try:
        with urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310
            rows = json.loads(response.read(1_000_000))
        found = [
            {"address": str(row["display_name"]), "lat": float(row["lat"]), "lon": float(row["lon"])}
            for row in rows
            if isinstance(row, dict) and {"display_name", "lat", "lon"} <= row.keys()
        ]
    except (URLError, OSError, ValueError, TypeError) as error:
        logger.warning("The geocoder did not answer: %s", type(error).__name__)
        return []
    cache.set(key, found, CACHE_S)
    return found


def places_matching(text: str, limit: int) -> list[dict[str, object]]:
    """Places whose name contains ``text``: the geocoder's first, then addresses of reports."""
    found = _geocoder(text, limit) if settings.GEOCODER_URL else []
    known = Report.objects.visible().addresses_matching(text, limit)
    return (found + known)[:limit]
