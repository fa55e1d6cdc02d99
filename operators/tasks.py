"""Background jobs for operators: routing, the assignment webhook, answer photos, deadlines."""

from __future__ import annotations

from celery import shared_task

from cocreate import outbox
from operators import actions, notifications


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
