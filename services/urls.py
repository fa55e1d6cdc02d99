"""Report pages."""

from django.urls import path

from services import reporting, views

app_name = "services"

urlpatterns = [
    path("report/", reporting.service_choose, name="service_choose"),
    path("report/services-near/", reporting.services_near, name="services_near"),
    path("report/places/", reporting.places, name="places"),
    path("report/sent/", reporting.report_sent, name="report_sent"),
    path("report/confirm/<str:token>/", reporting.report_confirm, name="report_confirm"),
    path("report/kept-photo/<str:token>/", reporting.pending_photo, name="pending_photo"),
    path("report/<slug:service_code>/", reporting.report_create, name="report_create"),
    path("report/<slug:service_code>/nearby/", views.nearby_reports, name="nearby_reports"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/map/", views.report_map, name="report_map"),
    path("reports/<int:report_id>/", views.report_detail, name="report_detail"),
    path("reports/<int:report_id>/follow/", views.report_follow, name="report_follow"),
    path("reports/<int:report_id>/comment/", views.report_comment, name="report_comment"),
    path("reports/<int:report_id>/status/", views.report_status, name="report_status"),
    path("reports/<int:report_id>/reopen/", views.report_reopen, name="report_reopen"),
    path("unfollow/<str:token>/", views.unfollow_by_token, name="unfollow_by_token"),
]
