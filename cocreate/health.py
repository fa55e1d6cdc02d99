"""The health endpoint used by load balancers and uptime checks."""

from __future__ import annotations

import logging

import redis
from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cocreate.checks import static_manifest_problem

logger = logging.getLogger(__name__)


def database_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any driver error means "not reachable"
        logger.warning("Health check: database unreachable")
        return False


def redis_reachable(url: str) -> bool:
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except redis.RedisError:
        logger.warning("Health check: Redis unreachable")
        return False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Say whether the database (and Redis, when configured) answer and pages can name their static files.

    Without the database, or without collected static files, no page works: 503, and a load
    balancer takes this process out. Without Redis the site still serves (cache misses, jobs wait
    in the database): 200 with status "degraded", so a Redis outage does not take every web
    process out at once.
    """
    checks = {"database": "ok" if database_reachable() else "unreachable"}
    if not settings.DEBUG and isinstance(staticfiles_storage, ManifestFilesMixin):
        checks["static"] = "not collected" if static_manifest_problem() else "ok"
    if settings.REDIS_URL:
        checks["redis"] = "ok" if redis_reachable(settings.REDIS_URL) else "unreachable"
    if checks["database"] != "ok" or checks.get("static", "ok") != "ok":
        status = "unavailable"
    else:
        status = "ok" if all(value == "ok" for value in checks.values()) else "degraded"
    return JsonResponse({"status": status, "checks": checks}, status=503 if status == "unavailable" else 200)
