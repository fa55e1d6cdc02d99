"""What operators and the city are told: a signed webhook to the operator's systems for each new
assignment, and an email to city staff for each missed deadline.

The webhook body is JSON; the request carries ``X-CoCreate-Timestamp`` (Unix seconds) and
``X-CoCreate-Signature: sha256=<hex>``, the HMAC-SHA256 of ``<timestamp>.<body>`` under the
operator's webhook secret, so the operator can check it came from the city and is fresh
(docs/operators.md shows how). It carries no personal data: no reporter, no description.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.request

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from citizens import roles
from citizens.mail import queue_email
from citizens.models import User
from operators.models import Assignment, Breach

logger = logging.getLogger(__name__)

WEBHOOK_TIMEOUT = 10


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header's value for ``body`` sent at ``timestamp``."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def assignment_payload(assignment: Assignment) -> dict:
    report = assignment.report
    point = report.public_point
    return {
        "event": "assignment.created",
        "report": {
            "id": report.pk,
            "service_code": report.service.service_code,
            "status": report.status,
            "lat": point[0] if point else None,
            "lon": point[1] if point else None,
            "url": settings.SITE_URL + report.get_absolute_url(),
            "api_url": settings.SITE_URL + reverse("api_operator_report_detail", args=[report.pk]),
        },
        "operator": assignment.operator.slug,
        "reason": assignment.reason,
        "assigned_at": assignment.assigned_at.isoformat(),
        "due_at": assignment.due_at.isoformat() if assignment.due_at else None,
    }


def send_assignment_webhook(assignment_id: int) -> bool:
    """POST the signed assignment to the operator's webhook; raises on failure so the job is retried."""
    assignment = Assignment.objects.select_related("operator", "report__service").filter(pk=assignment_id).first()
    if assignment is None or assignment.operator is None or not assignment.operator.webhook_url:
        return False
    operator = assignment.operator
    body = json.dumps(assignment_payload(assignment), separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    # The city sets the URL (http or https only: the model's URLField).
    request = urllib.request.Request(  # noqa: S310
        operator.webhook_url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": f"{settings.SITE_NAME} webhook",
            "X-CoCreate-Timestamp": timestamp,
            "X-CoCreate-Signature": sign(operator.webhook_secret, timestamp, body),
        },
    )
    with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:  # noqa: S310
        logger.info("webhook delivered", extra={"operator": operator.slug, "status": response.status})
    return True


def escalate_breach(breach: Breach) -> int:
    """Email every city staff member about a missed deadline, each in their language."""
    report = breach.assignment.report
    context = {
        "breach": breach,
        "operator": breach.operator,
        "report": report,
        "report_url": settings.SITE_URL + report.get_absolute_url(),
        "ledger_url": settings.SITE_URL + reverse("admin:operators_breach_changelist"),
        "currency": settings.OPERATOR_FINE_CURRENCY,
        "site_name": settings.SITE_NAME,
    }
    sent = 0
    for user in User.objects.in_role(roles.CITY_STAFF).filter(is_active=True):
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = render_to_string("operators/email/breach_subject.txt", context).strip()
            body = render_to_string("operators/email/breach_body.txt", context)
        queue_email(EmailMultiAlternatives(subject=subject, body=body, to=[user.email]))
        sent += 1
    return sent
