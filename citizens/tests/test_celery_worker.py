"""Account emails go through a real Celery worker consuming from Redis."""

import pytest
from django.core import mail

from citizens.models import User
from conftest import wait_for


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_verification_email_is_delivered_by_the_worker(client, celery_worker_on_redis):
    response = client.post(
        "/accounts/signup/",
        {"email": "worker@example.org", "password1": "a-very-long-password-7", "password2": "a-very-long-password-7"},
    )
    assert response.status_code == 302
    assert User.objects.filter(email="worker@example.org").exists()
    assert wait_for(lambda: len(mail.outbox) == 1), "the worker did not deliver the email"
    assert mail.outbox[0].to == ["worker@example.org"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


@pytest.mark.celery_worker
def test_a_task_result_comes_back_through_redis(celery_worker_on_redis):
    from citizens.tasks import send_email_task

    result = send_email_task.delay(subject="Hello", body="Body", from_email=None, to=["x@example.org"])
    assert result.get(timeout=20) == 1
    assert mail.outbox[-1].subject == "Hello"
