"""Moderation pages: flagging an item, and how moderation is used."""

from django.urls import path

from moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.public_stats, name="stats"),
    path("flag/<slug:kind>/<int:object_id>/", views.flag, name="flag"),
]
