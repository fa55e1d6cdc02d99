"""Open311 GeoReport v2 routes, under /open311/v2/ (views in services/open311.py).

Any extension reaches the views, so an unknown format gets the spec's error list, not an HTML page.
"""

from django.urls import re_path

from services import open311

app_name = "open311"

FORMAT = r"\.(?P<fmt>[A-Za-z0-9]+)$"

urlpatterns = [
    re_path(r"^discovery" + FORMAT, open311.discovery, name="discovery"),
    re_path(r"^services" + FORMAT, open311.service_list, name="service_list"),
    re_path(r"^services/(?P<service_code>[^/]+)" + FORMAT, open311.service_definition, name="service_definition"),
    re_path(r"^requests" + FORMAT, open311.service_requests, name="service_requests"),
    re_path(r"^requests/(?P<service_request_id>[^/]+)" + FORMAT, open311.request_detail, name="request_detail"),
    re_path(r"^tokens/(?P<token>[^/]+)" + FORMAT, open311.token_detail, name="token_detail"),
]
