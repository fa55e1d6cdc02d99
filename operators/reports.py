"""The operators' part in a report's life, registered with ``services.responsible`` at start-up:
the operator's name on the REST API and Open311, who may act on a report, routing when a report
is made, keeping the assignment in step with the report's status, and what the report's page
shows (the operator, its deadline, the photos it sent with its answers)."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.urls import NoReverseMatch, reverse

from cocreate import outbox
from services.responsible import Responsible


def annotate(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(
        responsible_slug=F("operator_assignment__operator__slug"),
        responsible_name=F("operator_assignment__operator__name"),
    )


def report_made(report) -> None:
    if report.service.is_micromobility:
        from operators.tasks import route_report_task

        outbox.enqueue(route_report_task, report_id=report.pk)


def status_changed(update) -> None:
    from operators.actions import report_status_changed

    report_status_changed(update)


def may_act(user, report) -> bool:
    from operators.actions import may_act

    return may_act(user, report)


def operator_url(operator) -> str:
    """The operator's public page (``/operators/<slug>/``), even on a site without its route yet."""
    try:
        return reverse("operators:detail", args=[operator.slug])
    except NoReverseMatch:
        return f"/operators/{operator.slug}/"


def summary(report) -> dict | None:
    """The operator answering for a report, its deadline and how the report reached it."""
    from operators.models import Assignment

    assignment = Assignment.objects.select_related("operator").filter(report=report).first()
    if assignment is None:
        return None
    operator = assignment.operator
    return {
        "operator": operator,
        "operator_url": operator_url(operator) if operator else "",
        "assignment": assignment,
        "due_at": assignment.due_at,
        "is_open": assignment.is_open,
        "overdue": assignment.is_overdue(),
    }


def timeline_photos(report) -> dict[int, list]:
    """The public photos operators sent with their answers, by the update they belong to."""
    from operators.models import ResolutionPhoto

    found: dict[int, list] = {}
    for photo in ResolutionPhoto.objects.public().filter(report=report):
        found.setdefault(photo.update_id, []).append(photo)
    return found


RESPONSIBLE = Responsible(
    annotate=annotate,
    may_act=may_act,
    report_made=report_made,
    status_changed=status_changed,
    summary=summary,
    timeline_photos=timeline_photos,
)
