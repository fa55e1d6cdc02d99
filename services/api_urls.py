"""REST API routes for services and reports (views in services/api.py)."""

from django.urls import path

from services import api

urlpatterns = [
    path("services/", api.ServiceList.as_view(), name="api_service_list"),
    path("services/<slug:service_code>/", api.ServiceDetail.as_view(), name="api_service_detail"),
    path("reports/", api.ReportListCreate.as_view(), name="api_report_list"),
    path("reports.geojson", api.ReportGeoJSON.as_view(), name="api_report_geojson"),
    path("reports/tiles/<int:z>/<int:x>/<int:y>.json", api.ReportTile.as_view(), name="api_report_tile"),
    path("me/reports/", api.MyReportList.as_view(), name="api_my_reports"),
    path("reports/<int:report_id>/", api.ReportDetail.as_view(), name="api_report_detail"),
    path("reports/<int:report_id>/comments/", api.ReportComments.as_view(), name="api_report_comments"),
    path("reports/<int:report_id>/follow/", api.ReportFollow.as_view(), name="api_report_follow"),
    path("reports/<int:report_id>/status/", api.ReportStatusChange.as_view(), name="api_report_status"),
]
