"""Fixtures shared by the operators tests: the local GBFS server, two operators with one staff
account each, a reporter who shows their name, and reports routed to an operator."""

from __future__ import annotations

import pytest

from citizens.tests.factories import UserFactory
from operators import actions
from operators.tests.factories import operator_with_staff
from operators.tests.gbfs_server import gbfs_server  # noqa: F401 (a fixture)
from services import actions as report_actions
from services.tests.factories import CITY_LAT, CITY_LON

REPORTER_NAME = "Rahayu Reporter"
REPORTER_EMAIL = "rahayu.reporter@example.org"


@pytest.fixture
def media(settings, tmp_path):
    """Uploads go to a temporary folder; absolute links start https://city.example."""
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = "https://city.example"


@pytest.fixture
def kring(db):
    """Operator Kring and the account of its staff: ``(operator, user)``."""
    return operator_with_staff("kring")


@pytest.fixture
def zoom(db):
    """Another operator, Zoom, and its staff."""
    return operator_with_staff("zoom")


@pytest.fixture
def reporter(db):
    """A citizen who chose to show their name: operators must still never see it."""
    return UserFactory(display_name=REPORTER_NAME, email=REPORTER_EMAIL)


def routed_report(reporter, operator, *, description: str = "A bike lying across the footpath", lat=CITY_LAT, **fields):
    """A published report about a shared vehicle, routed to ``operator`` (named by the reporter)."""
    report = report_actions.report_create(
        service_code="abandoned-vehicle",
        lat=lat,
        lon=CITY_LON,
        description=description,
        attributes={"blocking_footpath": "yes", "operator": operator.slug},
        reporter=reporter,
        show_name=True,
        **fields,
    )
    actions.report_route(report_id=report.pk)
    report.refresh_from_db()
    return report
