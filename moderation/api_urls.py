"""REST API routes for flags (filled by moderation/api.py)."""

urlpatterns: list = []
