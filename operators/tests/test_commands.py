"""Operators are scriptable: create_operator creates or updates, grant_operator_staff ties an account."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from citizens import roles
from operators.models import Operator, OperatorMembership
from services.catalogue import catalogue_load
from services.models import AttributeValue

pytestmark = pytest.mark.django_db


def test_create_operator_creates_then_updates_and_offers_it_in_the_report_form(capsys):
    catalogue_load()
    call_command(
        "create_operator", "kring", "--name", "Kring Bike", "--gbfs-url", "https://kring.example/gbfs.json",
        "--response-hours", "12", "--idle-hours", "48", "--fleet-cap", "bicycle=500",
    )  # fmt: skip
    assert "Created operator kring" in capsys.readouterr().out
    call_command("create_operator", "kring", "--name", "Kring Bike Jakarta", "--fleet-cap", "300")
    assert "Updated operator kring" in capsys.readouterr().out
    operator = Operator.objects.get(slug="kring")
    assert (operator.name, operator.response_hours, operator.idle_limit_hours) == ("Kring Bike Jakarta", 12, 48)
    assert operator.fleet_cap == 300 and operator.webhook_secret
    assert AttributeValue.objects.filter(attribute__code="operator", key="kring", name="Kring Bike Jakarta").exists()


def test_create_operator_refuses_bad_values_clearly():
    with pytest.raises(CommandError, match="gbfs_url"):
        call_command("create_operator", "kring", "--name", "Kring", "--gbfs-url", "not a url")


def test_grant_operator_staff_gives_the_role_and_the_membership(citizen, capsys):
    call_command("create_operator", "kring", "--name", "Kring")
    call_command("grant_operator_staff", "kring", citizen.email)
    assert OperatorMembership.objects.get(user=citizen).operator.slug == "kring"
    assert roles.is_operator_staff(citizen)
    with pytest.raises(CommandError, match="No operator"):
        call_command("grant_operator_staff", "nope", citizen.email)


def test_city_staff_cannot_also_be_operator_staff(staff):
    call_command("create_operator", "kring", "--name", "Kring")
    with pytest.raises(CommandError, match="cannot also be operator staff"):
        call_command("grant_operator_staff", "kring", staff.email)
