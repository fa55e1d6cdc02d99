"""The SQL form of "may this account contribute" (``rules.contributor_condition``, folded into the
support's count) says yes exactly when ``rules.check_can_contribute`` lets the account through."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from citizens.tests.factories import UserFactory
from moderation import rules
from moderation.models import ModerationReason, Suspension

pytestmark = pytest.mark.django_db


def allowed_by_sql(user) -> bool:
    condition = rules.contributor_condition(connection)
    params = rules.contributor_params(connection, user.pk, timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT CASE WHEN {condition} THEN 1 ELSE 0 END", params)
        return cursor.fetchone()[0] == 1


def allowed_by_check(user) -> bool:
    try:
        rules.check_can_contribute(user)
    except PermissionDenied:
        return False
    return True


def suspend(user, **times) -> None:
    Suspension.objects.create(user=user, reason=ModerationReason.objects.get(code="spam"), **times)


def unconfirmed_secondary(user) -> None:
    EmailAddress.objects.filter(user=user).update(primary=False)
    EmailAddress.objects.create(user=user, email=f"other-{user.pk}@example.org", primary=True, verified=False)


CASES = {
    "verified": lambda user: None,
    "unverified primary address": lambda user: EmailAddress.objects.filter(user=user).update(verified=False),
    "verified address that is not the primary one": unconfirmed_secondary,
    "no address at all": lambda user: EmailAddress.objects.filter(user=user).delete(),
    "suspended for good": lambda user: suspend(user),
    "suspended until next week": lambda user: suspend(user, ends_at=timezone.now() + timedelta(days=7)),
    "suspension that ended": lambda user: suspend(
        user, starts_at=timezone.now() - timedelta(days=8), ends_at=timezone.now() - timedelta(days=1)
    ),
    "suspension that was lifted": lambda user: suspend(user, lifted_at=timezone.now() - timedelta(minutes=1)),
    "suspension starting tomorrow": lambda user: suspend(user, starts_at=timezone.now() + timedelta(days=1)),
}


@pytest.mark.parametrize("case", CASES)
def test_the_sql_condition_agrees_with_check_can_contribute(case):
    user = UserFactory()
    bystander = UserFactory()  # another account's state must not leak into the answer
    suspend(bystander)
    CASES[case](user)

    assert allowed_by_sql(user) == allowed_by_check(user)


def test_the_sql_condition_lets_a_verified_citizen_through_and_stops_a_suspended_one():
    citizen, suspended = UserFactory.create_batch(2)
    suspend(suspended)
    assert allowed_by_sql(citizen) and not allowed_by_sql(suspended)
