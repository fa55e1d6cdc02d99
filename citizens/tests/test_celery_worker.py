"""Account emails go through a real Celery worker consuming from Redis."""

import pytest
from django.core import mail
from django.core.mail import EmailMessage

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
@pytest.mark.django_db(transaction=True)
def test_a_queued_email_is_sent_by_the_worker_and_its_pending_job_deleted(celery_worker_on_redis):
    from citizens.mail import queue_email
    from cocreate.models import PendingJob

    queue_email(EmailMessage(subject="Hello", body="Body", to=["x@example.org"]))

    assert wait_for(lambda: not PendingJob.objects.exists()), "the worker did not run the job"
    assert mail.outbox[-1].subject == "Hello"
