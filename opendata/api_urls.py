"""REST API routes for open data (views in opendata/api.py)."""

from django.urls import path

from opendata import api

urlpatterns = [
    path("datasets/", api.DatasetList.as_view(), name="api_dataset_list"),
]
