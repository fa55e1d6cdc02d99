"""The operator workspace's pages (``/operator/``; views in ``operators/workspace_views.py``)."""

from django.urls import path

from operators import workspace_views as views

app_name = "operator_workspace"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("resolved/", views.resolved, name="resolved"),
    path("resolve/", views.bulk_resolve, name="bulk_resolve"),
    path("reports/<int:report_id>/", views.report_detail, name="report"),
    path("reports/<int:report_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("reports/<int:report_id>/resolve/", views.resolve, name="resolve"),
]
