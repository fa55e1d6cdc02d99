"""REST API routes for flags (views in moderation/api.py)."""

from django.urls import path

from moderation import api

urlpatterns = [
    path("flags/", api.FlagCreate.as_view(), name="api_flags"),
]
