"""REST API routes for proposals (filled by proposals/api.py)."""

urlpatterns: list = []
