"""Report pages."""

from django.urls import path

from services import views

app_name = "services"

urlpatterns = [
    path("report/", views.service_choose, name="service_choose"),
    path("report/<slug:service_code>/", views.report_create, name="report_create"),
    path("report/<slug:service_code>/nearby/", views.nearby_reports, name="nearby_reports"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/map/", views.report_map, name="report_map"),
    path("reports/<int:report_id>/", views.report_detail, name="report_detail"),
    path("reports/<int:report_id>/follow/", views.report_follow, name="report_follow"),
    path("reports/<int:report_id>/comment/", views.report_comment, name="report_comment"),
    path("reports/<int:report_id>/status/", views.report_status, name="report_status"),
    path("unfollow/<str:token>/", views.unfollow_by_token, name="unfollow_by_token"),
]
