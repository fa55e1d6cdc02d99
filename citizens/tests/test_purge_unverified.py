from datetime import timedelta

import pytest
from django.utils import timezone

from citizens.models import User
from citizens.tasks import purge_unverified_accounts_task
from citizens.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_unconfirmed_sign_ups_are_deleted_after_the_retention_period(settings):
    settings.UNVERIFIED_ACCOUNT_RETENTION_DAYS = 7
    old = timezone.now() - timedelta(days=8)
    stale = UserFactory(verified=False, date_joined=old)
    recent = UserFactory(verified=False)
    confirmed = UserFactory(date_joined=old)
    staff = UserFactory(verified=False, date_joined=old, is_staff=True)

    purge_unverified_accounts_task.delay()

    remaining = set(User.objects.values_list("pk", flat=True))
    assert stale.pk not in remaining
    assert {recent.pk, confirmed.pk, staff.pk} <= remaining


def test_the_purge_is_scheduled_by_celery_beat(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "citizens.tasks.purge_unverified_accounts_task" in tasks
