from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from citizens.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from citizens.models import User
from opendata.models import Snapshot
from proposals.models import Proposal
from services.models import Report

pytestmark = pytest.mark.django_db


def test_it_creates_the_demo_accounts_once(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=None)
    call_command("seed_demo", stdout=None)
    assert User.objects.count() == len(DEMO_ACCOUNTS)
    staff = User.objects.get(email="staff@example.org")
    assert staff.is_staff and staff.has_role("City staff") and staff.has_verified_email()
    assert staff.check_password(DEMO_PASSWORD)
    assert User.objects.get(email="operator@example.org").has_role("Operator staff")


def test_it_says_what_each_app_seeded(settings):
    settings.DEBUG = True
    output = StringIO()
    call_command("seed_demo", stdout=output)
    snapshot = Snapshot.objects.get()
    assert output.getvalue().splitlines() == [
        *(f"  {email} / {DEMO_PASSWORD}" for email, *_ in DEMO_ACCOUNTS),
        "  2 demo operators with their fleets",
        f"  {Report.objects.exclude(source=Report.Source.SYSTEM).count()} demo reports created",
        "  6 reports answered by the demo operator",
        f"  {Proposal.objects.count()} demo proposals created",
        f"  open data snapshot {snapshot.pk} built",
        "Demo data ready.",
    ]
    assert Report.objects.count() and Proposal.objects.count()
    assert snapshot.status == Snapshot.Status.SUCCEEDED


def test_the_demo_operators_have_fleets_idle_vehicles_routed_reports_and_a_breach(settings):
    from operators.models import Assignment, Breach, Operator, Reason
    from operators.performance import scorecards

    settings.DEBUG = True
    call_command("seed_demo", stdout=None)
    call_command("seed_demo", stdout=None)
    operators = {operator.slug: operator for operator in Operator.objects.all()}
    assert set(operators) == {"bikeshare-a", "scoot-b"}
    assert {operators[slug].feed_version for slug in operators} == {"2.3", "3.0"}
    assert all(operator.vehicles.exists() and operator.vehicles.idle().exists() for operator in operators.values())
    reasons = set(Assignment.objects.values_list("reason", flat=True))
    assert {Reason.IDLE_VEHICLE, Reason.CHOSEN} <= reasons
    assert Breach.objects.count() == 1
    assert User.objects.get(email="operator@example.org").operator_membership.operator.slug == "bikeshare-a"
    cards = {card.operator.slug: card for card in scorecards()}
    assert cards["bikeshare-a"].reports_received and cards["bikeshare-a"].answered
    assert any(day.over_cap for day in cards["bikeshare-a"].fleet_days)


def test_it_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert User.objects.count() == 0
