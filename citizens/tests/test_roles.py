"""One definition of each role: who holds it, and the name the timeline and the audit log record."""

import pytest
from django.contrib.auth.models import Group

from citizens import roles
from citizens.tests.factories import UserFactory
from moderation.models import ActionKind, ModerationAction
from proposals.actions import can_answer
from services.actions import can_change_status, report_change_status
from services.models import ReportStatus
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def in_group(user, role):
    user.groups.add(Group.objects.get(name=role))
    return user


def test_a_superuser_holds_every_staff_role_but_not_operator_staff():
    root = UserFactory(is_staff=True, is_superuser=True)

    assert (roles.is_city_staff(root), roles.is_moderator(root), roles.is_operator_staff(root)) == (True, True, False)


def test_a_deactivated_account_holds_no_role(staff, moderator):
    for user in (staff, moderator, UserFactory(is_staff=True, is_superuser=True)):
        user.is_active = False
        user.save()

    assert not roles.is_city_staff(staff) and not roles.is_moderator(moderator)
    assert not can_change_status(staff) and not can_answer(staff)


def test_status_changes_and_answers_follow_the_same_city_staff_rule(staff, moderator, citizen):
    assert [can_change_status(user) for user in (staff, moderator, citizen)] == [True, False, False]
    assert [can_answer(user) for user in (staff, moderator, citizen)] == [True, False, False]


def test_a_superusers_status_change_names_the_same_role_on_the_timeline_and_in_the_audit_log():
    root = UserFactory(is_staff=True, is_superuser=True)

    update = report_change_status(report=ReportFactory(), to_status=ReportStatus.IN_PROGRESS, by=root)

    entry = ModerationAction.objects.get(action=ActionKind.STATUS_CHANGE)
    assert (update.by_role, entry.actor_role) == ("city", "city")


def test_a_moderator_who_is_also_city_staff_changes_a_status_as_city_staff(moderator):
    in_group(moderator, roles.CITY_STAFF)

    update = report_change_status(report=ReportFactory(), to_status=ReportStatus.IN_PROGRESS, by=moderator)

    entry = ModerationAction.objects.get(action=ActionKind.STATUS_CHANGE)
    assert (update.by_role, entry.actor_role) == ("city", "city")


def test_role_of_names_the_first_role_held_when_no_power_is_named(moderator, staff, operator_staff, citizen):
    names = [roles.role_of(user) for user in (None, moderator, staff, operator_staff, citizen)]

    assert names == ["system", "moderator", "city", "operator", "citizen"]


def test_staff_powers_come_with_staff_status_or_a_staff_role(citizen, operator_staff):
    assert not roles.holds_staff_powers(citizen) and not roles.holds_staff_powers(operator_staff)
    assert roles.holds_staff_powers(in_group(citizen, roles.MODERATORS))
    assert roles.holds_staff_powers(UserFactory(is_staff=True))
