"""Open311 GeoReport v2 routes (filled by services/open311.py)."""

urlpatterns: list = []
