"""The site's URLs plus the ceiling: the cheapest Django view, a small JSON object."""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from cocreate.urls import urlpatterns as site_urlpatterns


def ceiling(request: HttpRequest) -> JsonResponse:
    """What the full middleware stack costs with no database work and almost no rendering."""
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/ceiling", ceiling, name="bench_ceiling"), *site_urlpatterns]
