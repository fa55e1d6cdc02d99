"""REST API routes for services and reports (filled by services/api.py)."""

urlpatterns: list = []
