"""REST API routes for mobility operators (views in operators/api.py)."""

from django.urls import path

from operators import api

urlpatterns = [
    path("operators/", api.OperatorList.as_view(), name="api_operator_list"),
    path("operators/<slug:slug>/", api.OperatorDetail.as_view(), name="api_operator_detail"),
]
