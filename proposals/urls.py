"""Proposal pages (filled by proposals/views.py)."""

app_name = "proposals"

urlpatterns: list = []
