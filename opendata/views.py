"""Open data pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def index(request: HttpRequest) -> HttpResponse:
    """The open data catalogue page."""
    return render(request, "opendata/index.html")
