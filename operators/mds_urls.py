"""The MDS 2.0 Policy and Geography endpoints, under /mds/ (views in operators/mds.py)."""

from django.urls import path

from operators import mds

app_name = "mds"

urlpatterns = [
    path("policies", mds.policies, name="policies"),
    path("policies/<str:policy_id>", mds.policy, name="policy"),
    path("geographies", mds.geographies, name="geographies"),
    path("geographies/<str:geography_id>", mds.geography, name="geography"),
]
