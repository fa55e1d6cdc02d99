"""Site-wide pages: home, privacy notice and the CSRF failure page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A friendly page for a form sent without a valid security token; the reason stays private."""
    return render(request, "errors/csrf_failure.html", status=403)
