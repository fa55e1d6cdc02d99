"""Moderation pages: flagging and the public statistics (filled by moderation/views.py)."""

app_name = "moderation"

urlpatterns: list = []
