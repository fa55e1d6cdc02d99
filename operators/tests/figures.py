"""factory_boy factories for what an operator's public figures count: assignments of reports,
fleet days, feed polls and breaches, each with the moments a test gives it."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from operators.models import Assignment, Breach, FeedPoll, FleetDay, Reason
from operators.tests.factories import OperatorFactory
from services.tests.factories import ReportFactory


class AssignmentFactory(factory.django.DjangoModelFactory):
    """A published report sent to an operator, due ``response_hours`` after it was assigned."""

    class Meta:
        model = Assignment

    report = factory.SubFactory(ReportFactory)
    operator = factory.SubFactory(OperatorFactory)
    reason = Reason.CHOSEN
    assigned_at = factory.LazyFunction(timezone.now)
    due_at = factory.LazyAttribute(lambda item: item.assigned_at + timedelta(hours=item.operator.response_hours))


def resolved(operator, assigned_at, hours: float, **fields) -> Assignment:
    """An assignment resolved ``hours`` after it was made."""
    return AssignmentFactory(
        operator=operator, assigned_at=assigned_at, resolved_at=assigned_at + timedelta(hours=hours), **fields
    )


class FleetDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FleetDay

    operator = factory.SubFactory(OperatorFactory)
    day = factory.LazyFunction(timezone.localdate)
    polls = 96
    vehicles_peak = 100
    vehicles_last = 90
    idle_peak = 5
    disabled_peak = 2
    fleet_cap = 120


class FeedPollFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedPoll

    operator = factory.SubFactory(OperatorFactory)
    polled_at = factory.LazyFunction(timezone.now)
    ok = True


class BreachFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Breach

    assignment = factory.SubFactory(AssignmentFactory, operator=factory.SelfAttribute("..operator"))
    operator = factory.SubFactory(OperatorFactory)
    due_at = factory.LazyAttribute(lambda item: item.recorded_at - timedelta(hours=1))
    recorded_at = factory.LazyFunction(timezone.now)
    fine_due = factory.LazyAttribute(lambda item: item.operator.fine_per_breach)
