"""Site-wide pages: home, privacy notice, the web app manifest and the CSRF failure page."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from cocreate.page_cache import public_page

# The site's colours (static/css/site.css: --brand and --paper).
THEME_COLOR = "#0b5d3b"
BACKGROUND_COLOR = "#ffffff"


@public_page()
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@public_page()
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy.html")


@require_GET
@cache_control(public=True, max_age=86400)
def web_manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: what a phone needs to put the site on its home screen."""
    icons = [
        {"src": static(f"icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any"}
        for size in (192, 512)
    ] + [
        {
            "src": static(f"icons/icon-maskable-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "maskable",
        }
        for size in (192, 512)
    ]
    manifest = {
        "name": settings.SITE_NAME,
        "short_name": settings.SITE_NAME,
        "description": _("Report problems in your city, propose improvements and follow the answers."),
        "lang": get_language(),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": icons,
    }
    return JsonResponse(manifest, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A friendly page for a form sent without a valid security token; the reason stays private."""
    return render(request, "errors/csrf_failure.html", status=403)
