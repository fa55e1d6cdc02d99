"""REST API routes for mobility operators: the public list and pages (views in operators/api.py),
and the operators' own tools (operators/api_operator.py), for an operator staff account's token."""

from django.urls import path

from operators import api, api_operator

urlpatterns = [
    path("operators/", api.OperatorList.as_view(), name="api_operator_list"),
    path("operators/<slug:slug>/", api.OperatorDetail.as_view(), name="api_operator_detail"),
    path("operator/reports/", api_operator.OperatorReportList.as_view(), name="api_operator_report_list"),
    path(
        "operator/reports/<int:report_id>/",
        api_operator.OperatorReportDetail.as_view(),
        name="api_operator_report_detail",
    ),
    path(
        "operator/reports/<int:report_id>/acknowledge/",
        api_operator.OperatorReportAcknowledge.as_view(),
        name="api_operator_report_acknowledge",
    ),
    path(
        "operator/reports/<int:report_id>/resolve/",
        api_operator.OperatorReportResolve.as_view(),
        name="api_operator_report_resolve",
    ),
]
