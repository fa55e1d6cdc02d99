"""Writes for mobility operators: permits, staff, routing reports, answering them, deadlines.

Every change to a report goes through ``services.actions.report_change_status``, so each act is
a public update on the report's timeline that its followers are told of; this module keeps the
operator's side (the ``Assignment`` with its deadline, the ``Breach`` ledger) in step.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from citizens import actions as citizen_actions
from citizens import roles
from citizens.models import User
from cocreate import outbox
from cocreate.images import validate_image
from cocreate.text_checks import clean_text
from operators.models import (
    OUTCOME_NOTE_MAX,
    Assignment,
    Breach,
    Operator,
    OperatorMembership,
    Outcome,
    PermittedVehicleType,
    Reason,
    ResolutionPhoto,
)
from operators.routing import form_factors_for, nearest_vehicle
from services import actions as report_actions
from services import catalogue
from services.models import OPEN_STATUSES, Report, ReportStatus

# The answer to the report form's "Which operator's vehicle is it?" that names none.
OPERATOR_ATTRIBUTE = "operator"
VEHICLE_TYPE_ATTRIBUTE = "vehicle_type"

# Outcomes that close the report; "disputed" leaves it open for city staff to decide.
OUTCOME_STATUS = {
    Outcome.REMOVED: ReportStatus.RESOLVED,
    Outcome.REPARKED: ReportStatus.RESOLVED,
    Outcome.REPAIRED: ReportStatus.RESOLVED,
    Outcome.NOT_FOUND: ReportStatus.CLOSED,
}


def _system_note(text_factory) -> str:
    """Notes written by the site are stored in the site's default language."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text_factory())


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


# --- the permit ------------------------------------------------------------------------------


@transaction.atomic
def operator_save(
    *,
    slug: str,
    name: str,
    gbfs_url: str | None = None,
    fleet_caps: dict[str, int | None] | None = None,
    **fields: object,
) -> tuple[Operator, bool]:
    """Create or update an operator's permit by its short name; returns ``(operator, created)``.

    ``fields`` are other permit fields (``response_hours``, ``idle_limit_hours``, ...); None
    leaves a field as it is. ``fleet_caps`` maps GBFS form factors to caps (None: allowed
    without a cap).
    """
    operator = Operator.objects.select_for_update().filter(slug=slug).first()
    created = operator is None
    if created:
        operator = Operator(slug=slug)
    operator.name = name
    for field, value in fields.items():
        if value is not None:
            setattr(operator, field, value)
    if gbfs_url is not None and gbfs_url != operator.gbfs_url:
        operator.gbfs_url = gbfs_url
        # A new feed starts afresh: discovery, validators and the poll time.
        operator.feed_urls, operator.feed_validators, operator.next_poll_at = {}, {}, None
    operator.full_clean()
    operator.save()
    for form_factor, cap in (fleet_caps or {}).items():
        PermittedVehicleType.objects.update_or_create(
            operator=operator, form_factor=form_factor, defaults={"fleet_cap": cap}
        )
    operator_saved(operator=operator)
    return operator, created


def operator_saved(*, operator: Operator) -> None:
    """What follows any save of a permit (here or in the admin): a webhook secret, and the
    operator offered in the report form's "Which operator's vehicle is it?"."""
    if not operator.webhook_secret:
        operator.webhook_secret = secrets.token_hex(32)
        operator.save(update_fields=["webhook_secret"])
    catalogue.offer_choice(attribute_code=OPERATOR_ATTRIBUTE, key=operator.slug, name=operator.name)


@transaction.atomic
def operator_staff_grant(*, operator: Operator, user: User) -> OperatorMembership:
    """Make ``user`` staff of ``operator`` (an account works for one operator at a time)."""
    if roles.holds_staff_powers(user):
        raise ValidationError(_("City staff and moderators cannot also be operator staff."))
    membership, _created = OperatorMembership.objects.update_or_create(user=user, defaults={"operator": operator})
    citizen_actions.user_grant_role(user=user, role=roles.OPERATOR_STAFF)
    return membership


def operator_of(user) -> Operator | None:
    """The operator an active operator staff account works for."""
    if not roles.is_operator_staff(user):
        return None
    membership = OperatorMembership.objects.select_related("operator").filter(user=user).first()
    return membership.operator if membership else None


def may_act(user, report) -> bool:
    """Operator staff act on the reports assigned to their operator, and on no other."""
    operator = operator_of(user)
    return operator is not None and Assignment.objects.filter(report=report, operator=operator).exists()


# --- routing ---------------------------------------------------------------------------------


def _vehicle_types(report: Report) -> list[str]:
    return form_factors_for(str(report.attributes.get(VEHICLE_TYPE_ATTRIBUTE) or ""))


@transaction.atomic
def report_route(*, report_id: int) -> Assignment | None:
    """Send a visible, open report about a shared vehicle to the operator responsible.

    The operator the citizen chose, else the operator of the nearest vehicle of a matching type
    within ``OPERATOR_MATCH_RADIUS_M`` in the latest feeds; otherwise the report waits in the city's
    queue (an assignment without an operator). A report is routed once; the reason shows on its
    timeline. Reports not visible yet are left for the sweep.
    """
    report = (
        Report.objects.visible()
        .select_for_update()
        .select_related("service")
        .filter(pk=report_id, service__is_micromobility=True, status__in=OPEN_STATUSES)
        .first()
    )
    if report is None or Assignment.objects.filter(report=report).exists():
        return None
    now = timezone.now()
    chosen = Operator.objects.filter(slug=str(report.attributes.get(OPERATOR_ATTRIBUTE) or "")).first()
    if chosen is not None:
        return assign_report(report=report, operator=chosen, reason=Reason.CHOSEN, now=now)
    if report.has_point:
        match = nearest_vehicle(report.lat, report.lon, form_factors=_vehicle_types(report))
        if match is not None:
            return assign_report(
                report=report,
                operator=match.operator,
                reason=Reason.NEAREST_VEHICLE,
                now=now,
                distance_m=match.distance_m,
            )
    assignment = Assignment.objects.create(report=report, operator=None, reason=Reason.NO_MATCH, assigned_at=now)
    radius = settings.OPERATOR_MATCH_RADIUS_M
    report_actions.report_change_status(
        report=report,
        to_status=report.status,
        by=None,
        note=_system_note(
            lambda: (
                _(
                    "No operator was chosen and no shared vehicle was found within %(radius)d m: "
                    "city staff will send this report to the operator responsible."
                )
                % {"radius": radius}
            )
        ),
    )
    return assignment


def assign_report(
    *, report: Report, operator: Operator, reason: str, now=None, distance_m: float | None = None
) -> Assignment:
    """Send ``report`` to ``operator`` with its deadline and a public note saying why (``reason``);
    call it inside the transaction that made or locked the report."""
    now = now or timezone.now()
    due = operator.due_at(now)
    assignment, _created = Assignment.objects.update_or_create(
        report=report,
        defaults={
            "operator": operator,
            "reason": reason,
            "distance_m": None if distance_m is None else round(distance_m),
            "assigned_at": now,
            "due_at": due,
            "acknowledged_at": None,
            "resolved_at": None,
            "outcome": "",
            "outcome_note": "",
            "breached_at": None,
        },
    )
    values = {"operator": operator.name, "due": _when(due), "distance": assignment.distance_m}
    notes = {
        Reason.CHOSEN: lambda: _("Sent to %(operator)s, the operator the reporter named. Due by %(due)s.") % values,
        Reason.NEAREST_VEHICLE: lambda: (
            _("Sent to %(operator)s: its vehicle was %(distance)s m from the report. Due by %(due)s.") % values
        ),
        Reason.STAFF: lambda: _("City staff sent this report to %(operator)s. Due by %(due)s.") % values,
        Reason.IDLE_VEHICLE: lambda: _("Sent to %(operator)s, whose vehicle this is. Due by %(due)s.") % values,
    }
    report_actions.report_change_status(
        report=report, to_status=report.status, by=None, note=_system_note(notes[reason])
    )
    from operators.tasks import notify_operator_assignment_task

    outbox.enqueue(notify_operator_assignment_task, assignment_id=assignment.pk)
    return assignment


@transaction.atomic
def report_assign(*, report: Report, operator: Operator, by: User) -> Assignment:
    """City staff send a report (from their queue, or away from another operator) to an operator."""
    if not roles.is_city_staff(by):
        raise PermissionDenied(_("Only city staff can assign reports to operators."))
    report = Report.objects.select_for_update().select_related("service").get(pk=report.pk)
    if not report.service.is_micromobility:
        raise ValidationError({"report": _("Only reports about shared vehicles go to operators.")})
    return assign_report(report=report, operator=operator, reason=Reason.STAFF)


def routes_pending(*, days: int = 30, now=None) -> list[int]:
    """Ids of recent visible open reports about shared vehicles never routed (published late by a
    moderator, or confirmed by email): the sweep routes them."""
    now = now or timezone.now()
    return list(
        Report.objects.visible()
        .filter(
            service__is_micromobility=True,
            status__in=OPEN_STATUSES,
            created_at__gte=now - timedelta(days=days),
            operator_assignment__isnull=True,
        )
        .values_list("pk", flat=True)[:500]
    )


# --- answering -------------------------------------------------------------------------------


def _assignment_for(*, user: User, report_id: int) -> Assignment:
    operator = operator_of(user)
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("report__service", "operator")
        # Through the report's key: a number beyond the database's integers then finds nothing.
        .filter(report__pk=report_id, operator=operator)
        .first()
        if operator
        else None
    )
    if assignment is None:
        # Another operator's report does not exist, as far as this account can tell.
        raise Assignment.DoesNotExist
    return assignment


@transaction.atomic
def assignment_acknowledge(*, user: User, report_id: int, note: str = "") -> Assignment:
    """The operator has seen the report and is on it: a public update."""
    assignment = _assignment_for(user=user, report_id=report_id)
    if not assignment.is_open:
        raise ValidationError({"report": _("This report is already resolved.")})
    if assignment.acknowledged_at is not None:
        return assignment
    note = _checked_note(note)
    report = assignment.report
    to_status = ReportStatus.ACKNOWLEDGED if report.status == ReportStatus.OPEN else report.status
    report_actions.report_change_status(
        report=report,
        to_status=to_status,
        by=user,
        note=note or _("The operator is on it."),
        acting_as=roles.OPERATOR_STAFF,
    )
    assignment.acknowledged_at = timezone.now()
    assignment.save(update_fields=["acknowledged_at"])
    return assignment


def _checked_note(note: str, *, required: bool = False) -> str:
    try:
        return clean_text(
            note or "", limit=OUTCOME_NOTE_MAX, required=required, missing=_("Say why the report is disputed.")
        )
    except ValidationError as error:
        raise ValidationError({"note": error.messages}) from None


def outcome_note(outcome: str) -> str:
    return {
        Outcome.REMOVED: _("The operator removed the vehicle."),
        Outcome.REPARKED: _("The operator re-parked the vehicle."),
        Outcome.REPAIRED: _("The operator repaired the vehicle."),
        Outcome.NOT_FOUND: _("The operator did not find the vehicle."),
        Outcome.DISPUTED: _("The operator disputes this report."),
    }[outcome]


@transaction.atomic
def assignment_resolve(
    *, user: User, report_id: int, outcome: str, note: str = "", photo: UploadedFile | None = None
) -> Assignment:
    """The operator's answer: removed, re-parked, repaired, not found, or disputed with a reason.

    Every answer is a public update. A disputed report stays open for city staff to decide. A
    photo sent with the answer is stripped and resized by a job, then shown next to the update.
    """
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose one of: %(choices)s.") % {"choices": ", ".join(Outcome.values)}})
    note = _checked_note(note, required=outcome == Outcome.DISPUTED)
    if photo is not None:
        try:
            validate_image(photo)
        except ValidationError as error:
            raise ValidationError({"photo": error.messages}) from None
    assignment = _assignment_for(user=user, report_id=report_id)
    if not assignment.is_open:
        raise ValidationError({"report": _("This report is already resolved.")})
    report = assignment.report
    text = outcome_note(outcome) + (f" {note}" if note else "")
    update = report_actions.report_change_status(
        report=report,
        to_status=OUTCOME_STATUS.get(outcome, report.status),
        by=user,
        note=text,
        acting_as=roles.OPERATOR_STAFF,
    )
    now = timezone.now()
    assignment.outcome, assignment.outcome_note, assignment.resolved_at = outcome, note, now
    assignment.acknowledged_at = assignment.acknowledged_at or now
    assignment.save(update_fields=["outcome", "outcome_note", "resolved_at", "acknowledged_at"])
    if photo is not None:
        resolution_photo = ResolutionPhoto.objects.create(
            report=report, update=update, operator=assignment.operator, upload=photo
        )
        from operators.tasks import process_resolution_photo_task

        outbox.enqueue(process_resolution_photo_task, photo_id=resolution_photo.pk)
    return assignment


def resolution_photo_process(*, photo_id: int) -> bool:
    """Strip, orient and resize an answer's photo; True when it is ready (a done photo stays as it is)."""
    photo = ResolutionPhoto.objects.filter(pk=photo_id).first()
    if photo is None:
        return False
    ready = photo.process(f"{photo.report_id}-r{photo.pk}")
    report_actions.report_pages_changed(report_id=photo.report_id)
    return ready


def assignments_resolve(*, user: User, report_ids: list[int], outcome: str, note: str = "") -> list[Assignment]:
    """Resolve several reports with one outcome in one transaction: a report that cannot be
    resolved leaves every one of them as it was."""
    with transaction.atomic():
        done = [assignment_resolve(user=user, report_id=pk, outcome=outcome, note=note) for pk in report_ids]
    return done


# --- kept in step with the report ------------------------------------------------------------


def report_status_changed(update) -> None:
    """A citizen's reopening counts against the operator and starts a new deadline; a report the
    city closes needs no more answer from the operator."""
    assignment = Assignment.objects.select_for_update().filter(report_id=update.report_id).first()
    if assignment is None or assignment.operator_id is None:
        return
    if update.by_role == roles.CITIZEN and update.to_status == ReportStatus.OPEN and not assignment.is_open:
        now = timezone.now()
        assignment.reopened += 1
        assignment.resolved_at = None
        assignment.acknowledged_at = None
        assignment.outcome = ""
        assignment.due_at = assignment.operator.due_at(now)
        assignment.breached_at = None
        assignment.save(
            update_fields=["reopened", "resolved_at", "acknowledged_at", "outcome", "due_at", "breached_at"]
        )
    elif (
        update.by_role != roles.ROLE_NAMES[roles.OPERATOR_STAFF]
        and update.to_status not in OPEN_STATUSES
        and assignment.is_open
    ):
        assignment.resolved_at = update.created_at
        assignment.save(update_fields=["resolved_at"])


# --- deadlines -------------------------------------------------------------------------------


@transaction.atomic
def assignment_mark_breach(*, assignment_id: int, now=None) -> Breach | None:
    """Record a missed deadline with the fine due, say so on the report and tell city staff."""
    now = now or timezone.now()
    assignment = (
        Assignment.objects.overdue(now)
        .select_for_update()
        .select_related("operator", "report")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        return None
    operator = assignment.operator
    breach, created = Breach.objects.get_or_create(
        assignment=assignment,
        due_at=assignment.due_at,
        defaults={"operator": operator, "fine_due": operator.fine_per_breach or Decimal("0"), "recorded_at": now},
    )
    assignment.breached_at = now
    assignment.save(update_fields=["breached_at"])
    if created:
        report_actions.report_change_status(
            report=assignment.report,
            to_status=assignment.report.status,
            by=None,
            note=_system_note(
                lambda: (
                    _("%(operator)s missed the deadline (%(due)s). The city has been told.")
                    % {"operator": operator.name, "due": _when(assignment.due_at)}
                )
            ),
        )
        from operators.notifications import escalate_breach

        escalate_breach(breach)
    return breach


def breaches_mark(*, now=None) -> int:
    """Record every missed deadline (Celery beat); returns how many were recorded."""
    now = now or timezone.now()
    ids = list(Assignment.objects.overdue(now).values_list("pk", flat=True))
    return sum(1 for pk in ids if assignment_mark_breach(assignment_id=pk, now=now) is not None)


@transaction.atomic
def breach_annotate(
    *, breach: Breach, by: User, impounded: bool, fee_charged: Decimal | None, note: str = ""
) -> Breach:
    """City staff record what followed a breach: the vehicle impounded, a fee charged, a note."""
    if not roles.is_city_staff(by):
        raise PermissionDenied(_("Only city staff can annotate the ledger."))
    breach.impounded = impounded
    breach.fee_charged = fee_charged
    breach.note = (note or "").strip()
    breach.full_clean()
    breach.save(update_fields=["impounded", "fee_charged", "note"])
    from moderation import actions as moderation_actions
    from moderation.models import ActionKind

    moderation_actions.log_action(
        actor=by,
        action=ActionKind.LEDGER_NOTE,
        acting_as=roles.CITY_STAFF,
        target=breach,
        note=breach.note,
        after={"impounded": impounded, "fee_charged": None if fee_charged is None else str(fee_charged)},
    )
    return breach
