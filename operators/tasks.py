"""Background jobs for operators: routing, the assignment webhook, answer photos, deadlines."""

from __future__ import annotations

import logging

from celery import shared_task

from cocreate import outbox
from operators import actions, notifications

logger = logging.getLogger(__name__)


@outbox.job
def route_report_task(*, report_id: int) -> bool:
    """Send a new report about a shared vehicle to the operator responsible."""
    return actions.report_route(report_id=report_id) is not None


@outbox.job
def notify_operator_assignment_task(*, assignment_id: int) -> bool:
    """Tell an operator's systems of a new assignment (signed webhook); retried while it fails."""
    return notifications.send_assignment_webhook(assignment_id)


@outbox.job
def process_resolution_photo_task(*, photo_id: int) -> bool:
    """Strip metadata from, orient and resize the photo an operator sent with an answer."""
    return actions.resolution_photo_process(photo_id=photo_id)


@shared_task
def mark_breaches_task() -> int:
    """Record missed deadlines and route reports published late (Celery beat)."""
    routed = sum(1 for pk in actions.routes_pending() if actions.report_route(report_id=pk))
    return actions.breaches_mark() + routed


@shared_task
def poll_feeds_task() -> int:
    """Poll every GBFS feed whose time has come, then report idle vehicles (Celery beat, every
    minute); returns how many feeds were polled. A feed that breaks the poller is logged and
    the others are polled all the same."""
    from operators.fleet import operators_claim_due, poll_operator
    from operators.idle import idle_vehicles_report

    polled = 0
    for operator in operators_claim_due():
        try:
            poll_operator(operator=operator)
            polled += 1
        except Exception as error:
            # The error's class only: a database error's text can quote a vehicle id. Running
            # ``manage.py poll_gbfs SLUG`` shows the whole traceback to whoever looks into it.
            logger.error("Polling the GBFS feed of operator %s failed: %s", operator.slug, type(error).__name__)
    try:
        idle_vehicles_report()
    except Exception as error:
        logger.error("Reporting idle vehicles failed: %s", type(error).__name__)
    return polled
