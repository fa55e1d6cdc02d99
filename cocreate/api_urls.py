"""The REST API (/api/v1/) of every app, and its OpenAPI schema and docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from operators import api_operator

# The operators' own tools, named in the "api" namespace (the assignment webhook links to
# "api:operator-report-detail").
operator_patterns = [
    path("reports/", api_operator.OperatorReportList.as_view(), name="operator-report-list"),
    path("reports/<int:report_id>/", api_operator.OperatorReportDetail.as_view(), name="operator-report-detail"),
    path(
        "reports/<int:report_id>/acknowledge/",
        api_operator.OperatorReportAcknowledge.as_view(),
        name="operator-report-acknowledge",
    ),
    path(
        "reports/<int:report_id>/resolve/", api_operator.OperatorReportResolve.as_view(), name="operator-report-resolve"
    ),
]

urlpatterns = [
    path("v1/", include("services.api_urls")),
    path("v1/", include("proposals.api_urls")),
    path("v1/", include("moderation.api_urls")),
    path("v1/", include("opendata.api_urls")),
    path("v1/operator/", include((operator_patterns, "api"))),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # The split view loads Swagger UI's initialiser as a script file: the CSP allows no inline script.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api_schema", template_name="api/swagger_ui.html"),
        name="api_docs",
    ),
]
