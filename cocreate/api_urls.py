"""The REST API (/api/v1/) of every app, and its OpenAPI schema and docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("v1/", include("services.api_urls")),
    path("v1/", include("proposals.api_urls")),
    path("v1/", include("moderation.api_urls")),
    path("v1/", include("opendata.api_urls")),
    path("v1/", include("operators.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # The split view loads Swagger UI's initialiser as a script file: the CSP allows no inline script.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api_schema", template_name="api/swagger_ui.html"),
        name="api_docs",
    ),
]
