"""An operator whose permit has ended stays listed to the public until it has no vehicle left in
its feed and no report left to answer."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from operators.models import Operator
from operators.tests.factories import OperatorFactory, VehicleFactory
from operators.tests.figures import AssignmentFactory

pytestmark = pytest.mark.django_db


def listed() -> set[str]:
    return set(Operator.objects.tracked().values_list("slug", flat=True))


def test_operators_with_a_permit_not_ended_are_listed():
    today = timezone.localdate()
    OperatorFactory(slug="open-ended")
    OperatorFactory(slug="until-today", permit_valid_until=today)
    OperatorFactory(slug="not-started", permit_valid_from=today + timedelta(days=10))

    assert listed() == {"open-ended", "until-today", "not-started"}


def test_an_ended_permit_is_listed_while_vehicles_or_open_reports_remain():
    ended = date(2020, 1, 31)
    with_vehicle = OperatorFactory(slug="with-vehicle", permit_valid_until=ended)
    VehicleFactory(operator=with_vehicle)
    with_report = OperatorFactory(slug="with-report", permit_valid_until=ended)
    assignment = AssignmentFactory(operator=with_report)
    done = OperatorFactory(slug="done", permit_valid_until=ended)
    AssignmentFactory(operator=done, resolved_at=timezone.now())

    assert listed() == {"with-vehicle", "with-report"}

    assignment.resolved_at = timezone.now()
    assignment.save()
    with_vehicle.vehicles.all().delete()
    assert listed() == set()
