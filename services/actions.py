"""Every write to reports: the web form, the REST API, Open311, the admin and tasks call these."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from citizens import actions as citizen_actions
from citizens import roles
from citizens.models import User
from cocreate import geo, outbox, page_cache
from cocreate.redaction import redact
from cocreate.text_checks import clean_text, text_problem
from moderation import actions as moderation_actions
from moderation import rules
from moderation.models import ActionKind, ModerationState
from services import photos, responsible
from services.attributes import clean_attributes
from services.models import (
    ADDRESS_MAX,
    COMMENT_MAX,
    DESCRIPTION_MAX,
    OPEN_STATUSES,
    REJECTION_REASON_MAX,
    STATUS_NOTE_MAX,
    STATUS_NOTES_MAX,
    Follow,
    Open311Client,
    Report,
    ReportComment,
    ReportContact,
    ReportPhoto,
    ReportStatus,
    ReportUpdate,
    Service,
    UnconfirmedReport,
)

# A phone number as people write it: 7 to 15 digits (E.164), with an optional + and separators.
PHONE = re.compile(r"\+?(?:[ ().-]*[0-9]){7,15}[ ().-]*")
# Reports waiting for confirmation at one address: beyond this, the site would be mailing
# someone's inbox on a stranger's behalf.
UNCONFIRMED_PER_EMAIL = 5


@dataclass(frozen=True)
class Contact:
    """Contact details sent by an Open311 client; stored privately."""

    email: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""

    def __bool__(self) -> bool:
        return any((self.email, self.first_name, self.last_name, self.phone))


def check_service(service_code: str) -> Service:
    service = Service.objects.active().with_attributes().filter(service_code=service_code).first()
    if service is None:
        raise ValidationError({"service_code": _("Unknown or inactive service.")})
    return service


def check_location(lat: object, lon: object, address: str) -> tuple[float | None, float | None]:
    """A point inside the city, or no point when only an address is given."""
    if lat in (None, "") and lon in (None, "") and not address.strip():
        raise ValidationError({"location": _("Place a pin on the map, or type coordinates or an address.")})
    return geo.parse_point(lat, lon)


def _collect(errors: dict[str, list[ValidationError]], check, *args):
    """Run one check, adding its errors (with their codes) to ``errors``; returns the check's result or None."""
    try:
        return check(*args)
    except ValidationError as error:
        for field, items in error.error_dict.items():
            errors.setdefault(field, []).extend(items)
        return None


def _texts(value: object) -> list[str]:
    """The strings inside a value: itself, or those of a list or an object's values."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        return [text for item in value for text in _texts(item)]
    return [value] if isinstance(value, str) else []


# Fields whose text may span lines; the others are a single line.
MULTILINE = {"description", "attributes"}


def check_text(fields: Mapping[str, object]) -> None:
    """Free text within its limits and storable as text (``cocreate.text_checks``).

    A NUL character is told apart (code ``nul``): Open311 answers it for the whole request.
    """
    errors: dict[str, list[ValidationError | str]] = {}
    for name, value in fields.items():
        for text in _texts(value):
            if problem := text_problem(text, multiline=name in MULTILINE):
                errors[name] = [ValidationError(problem, code="nul" if "\x00" in text else "text")]
                break
    limits = {"description": DESCRIPTION_MAX, "address": ADDRESS_MAX}
    for name, limit in limits.items():
        if len(fields.get(name, "").strip()) > limit:
            errors.setdefault(name, []).append(_("Use at most %(limit)d characters.") % {"limit": limit})
    if errors:
        raise ValidationError(errors)


def check_contact(contact: Contact) -> None:
    """Contact details that fit what we store: a valid email, a phone number, names and phone
    within their lengths (codes ``invalid`` and ``max_length``, which Open311 words its own way)."""
    errors: dict[str, list[ValidationError]] = {}
    _collect(errors, check_text, {"contact": list(contact.__dict__.values())})
    if not errors:
        _collect(errors, ReportContact(**contact.__dict__).full_clean, ["report"])
    if contact.phone and not PHONE.fullmatch(contact.phone):
        message = _("Enter a phone number of digits, spaces and + ( ) . -, such as +62 812 3456 7890.")
        errors.setdefault("phone", []).insert(0, ValidationError(message, code="invalid"))
    if errors:
        raise ValidationError(errors)


@dataclass(frozen=True)
class CheckedReport:
    service: Service
    lat: float | None
    lon: float | None
    answers: dict[str, object]


def report_check(
    *,
    service_code: str,
    lat: object = None,
    lon: object = None,
    address: str = "",
    description: str = "",
    attributes: Mapping[str, object] | None = None,
    photo_uploads: list[UploadedFile] | tuple = (),
    contact: Contact | None = None,
    confirm_email: str | None = None,
) -> CheckedReport:
    """Every rule a new report must meet, checked in one pass: one ValidationError names every problem."""
    errors: dict[str, list[str]] = {}
    service = _collect(errors, check_service, service_code)
    lat_value, lon_value = _collect(errors, check_location, lat, lon, address or "") or (None, None)
    answers = (_collect(errors, clean_attributes, service, attributes or {}) or {}) if service else {}
    _collect(errors, check_text, {"description": description or "", "address": address or "", "attributes": answers})
    _collect(errors, photos.validate_photos, list(photo_uploads))
    if contact:
        _collect(errors, check_contact, contact)
    if confirm_email is not None:
        _collect(errors, check_confirm_email, confirm_email)
    if errors:
        raise ValidationError(errors)
    return CheckedReport(service=service, lat=lat_value, lon=lon_value, answers=answers)


def check_confirm_email(email: str) -> None:
    """The address a visitor's report is confirmed through."""
    if not email.strip():
        raise ValidationError({"email": _("Give your email address: we send you a link to confirm the report.")})
    try:
        UnconfirmedReport(email=email.strip()).clean_fields(exclude=["report", "name", "language", "created_at"])
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid email address.")}) from None
    if UnconfirmedReport.objects.filter(email__iexact=email.strip()).count() >= UNCONFIRMED_PER_EMAIL:
        raise ValidationError(
            {"email": _("Several reports already wait for confirmation at this address: confirm them first.")}
        )


@transaction.atomic
def report_create(
    *,
    service_code: str,
    lat: object = None,
    lon: object = None,
    address: str = "",
    description: str = "",
    attributes: Mapping[str, object] | None = None,
    photo_uploads: list[UploadedFile] | tuple = (),
    reporter: User | None = None,
    show_name: bool = False,
    source: str = Report.Source.WEB,
    open311_client: Open311Client | None = None,
    contact: Contact | None = None,
    confirm_email: str | None = None,
    confirm_name: str = "",
) -> Report:
    """Validate and save a report with its photos in one transaction; process photos after commit.

    ``reporter`` is None for Open311 clients, which answer for their own users, and for a visitor
    without an account, who gives ``confirm_email``: their report stays unpublished until the
    emailed link is followed (``report_confirm``).
    """
    if reporter is not None:
        rules.check_can_contribute(reporter)
    checked = report_check(
        service_code=service_code,
        lat=lat,
        lon=lon,
        address=address,
        description=description,
        attributes=attributes,
        photo_uploads=photo_uploads,
        contact=contact,
        confirm_email=confirm_email,
    )
    service = checked.service
    unconfirmed = confirm_email is not None and reporter is None
    now = timezone.now()
    description = (description or "").strip()
    report = Report(
        service=service,
        lat=checked.lat,
        lon=checked.lon,
        address=(address or "").strip(),
        description=description,
        redacted_description=redact(description),
        attributes=checked.answers,
        reporter=reporter,
        show_name=bool(show_name and reporter),
        source=source,
        open311_client=open311_client,
        created_at=now,
        updated_at=now,
        moderation_state=ModerationState.PENDING
        if unconfirmed
        else rules.initial_state(
            reporter,
            pre_moderated=service.pre_moderated,
            trusted_source=source == Report.Source.SYSTEM or bool(open311_client and open311_client.trusted),
        ),
    )
    report.set_deadline()
    report.full_clean()
    report.save()
    for position, upload in enumerate(photo_uploads):
        photo = ReportPhoto(report=report, position=position)
        photo.upload.save(upload.name or "photo", upload, save=False)
        photo.save()
    if contact:
        ReportContact.objects.create(report=report, **contact.__dict__)
    if unconfirmed:
        _ask_for_confirmation(report, email=confirm_email.strip(), name=confirm_name.strip()[:60])
    elif report.moderation_state == ModerationState.PENDING:
        moderation_actions.queue_add(target=report)
    if reporter is not None:
        Follow.objects.get_or_create(report=report, user=reporter)
    if photo_uploads:
        from services.tasks import process_report_photos_task

        outbox.enqueue(process_report_photos_task, report_id=report.pk)
    responsible.report_made(report)
    report_pages_changed(report_id=report.pk)
    return report


def report_pages_changed(*, report_id: int) -> None:
    """The report list and the report's page show a write: their cached copies go stale on commit."""
    page_cache.bump("reports", f"report:{report_id}")


def _ask_for_confirmation(report: Report, *, email: str, name: str) -> None:
    from services.notifications import send_report_confirmation

    pending = UnconfirmedReport.objects.create(
        report=report, email=email, name=name, language=translation.get_language() or settings.LANGUAGE_CODE
    )
    send_report_confirmation(pending)


@transaction.atomic
def report_confirm(*, report_id: int) -> Report:
    """Publish a visitor's report once they followed the emailed link; a second tap changes nothing.

    The report joins the account with that address, or a new account made for it (verified, with
    no password until its owner sets one), so the visitor is told of updates like any citizen.
    From then on the normal rules apply: pre-moderated services and first contributions wait.
    """
    report = Report.objects.select_for_update().select_related("service").get(pk=report_id)
    pending = UnconfirmedReport.objects.filter(report=report).first()
    if pending is None:
        return report
    user = citizen_actions.user_for_confirmed_email(
        email=pending.email, display_name=pending.name, language=pending.language
    )
    rules.check_can_contribute(user)
    state = rules.initial_state(user, pre_moderated=report.service.pre_moderated)
    report.reporter = user
    report.moderation_state = state
    report.save(update_fields=["reporter", "moderation_state"])
    pending.delete()
    if state == ModerationState.PENDING:
        moderation_actions.queue_add(target=report)
    Follow.objects.get_or_create(report=report, user=user)
    responsible.report_made(report)
    report_pages_changed(report_id=report.pk)
    return report


@transaction.atomic
def reports_purge_unconfirmed(*, now=None) -> int:
    """Delete visitors' reports whose email address was not confirmed in time, with their photos."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.UNCONFIRMED_REPORT_RETENTION_DAYS)
    stale = list(UnconfirmedReport.objects.filter(created_at__lt=cutoff).values_list("report_id", flat=True))
    for photo in ReportPhoto.objects.filter(report_id__in=stale):
        photo.delete_files()
    Report.objects.filter(pk__in=stale).delete()
    return len(stale)


def similar_open_reports(*, service: Service, lat: float, lon: float, now=None) -> list[Report]:
    """Visible open reports of the same service nearby and recent, nearest first."""
    now = now or timezone.now()
    radius = settings.DUPLICATE_RADIUS_M
    candidates = (
        Report.objects.visible()
        .open()
        .filter(service=service, created_at__gte=now - timedelta(days=settings.DUPLICATE_WINDOW_DAYS))
        .near(lat, lon, radius)
        .for_listing()[:50]
    )
    scored = [(geo.distance_m(lat, lon, report.lat, report.lon), report) for report in candidates]
    nearby = sorted((item for item in scored if item[0] <= radius), key=lambda item: item[0])
    for distance, report in nearby:
        report.distance_m = round(distance)
    return [report for _, report in nearby]


def can_change_status(user: User | None) -> bool:
    """City staff move reports through their states (moderators do not)."""
    return roles.is_city_staff(user)


def check_status_change(
    *,
    report: Report,
    to_status: str,
    by: User | None,
    note: str = "",
    duplicate_of: Report | None = None,
    rejection_reason: str = "",
    acting_as: str = roles.CITY_STAFF,
) -> None:
    """Every rule of ``report_change_status``, checked without writing (the admin's form asks first).

    ``acting_as`` is city staff; operator staff for the party answering for the report
    (``services.responsible``), who may act on that report only; or a citizen reopening it."""
    if by is not None and acting_as == roles.CITIZEN:
        check_reopen(report=report, by=by)
        if to_status != ReportStatus.OPEN:
            raise PermissionDenied(_("Only city staff can change the status of a report."))
    elif by is not None:
        allowed = (
            roles.is_operator_staff(by) and responsible.may_act(by, report)
            if acting_as == roles.OPERATOR_STAFF
            else can_change_status(by)
        )
        if not allowed:
            raise PermissionDenied(_("Only city staff can change the status of a report."))
    if to_status not in ReportStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if to_status == ReportStatus.DUPLICATE and (duplicate_of is None or duplicate_of.pk == report.pk):
        raise ValidationError({"duplicate_of": _("Name the original report this one duplicates.")})
    if to_status == ReportStatus.REJECTED:
        if not rejection_reason.strip():
            raise ValidationError({"rejection_reason": _("Give a reason for rejecting the report.")})
        if len(rejection_reason.strip()) > REJECTION_REASON_MAX:
            raise ValidationError(
                {"rejection_reason": _("Use at most %(limit)d characters.") % {"limit": REJECTION_REASON_MAX}}
            )
    if len(note) > STATUS_NOTE_MAX:
        raise ValidationError({"note": _("Use at most %(limit)d characters.") % {"limit": STATUS_NOTE_MAX}})


@transaction.atomic
def report_change_status(
    *,
    report: Report,
    to_status: str,
    by: User | None,
    note: str = "",
    duplicate_of: Report | None = None,
    rejection_reason: str = "",
    acting_as: str = roles.CITY_STAFF,
) -> ReportUpdate:
    """Move a report to a new status (or note a fact without moving it: ``to_status`` the same),
    record the public update and tell the followers."""
    check_status_change(
        report=report,
        to_status=to_status,
        by=by,
        note=note,
        duplicate_of=duplicate_of,
        rejection_reason=rejection_reason,
        acting_as=acting_as,
    )
    report = Report.objects.select_for_update().get(pk=report.pk)
    # Leaving "duplicate" or "rejected" drops the original and the reason: they no longer apply.
    report.duplicate_of = duplicate_of if to_status == ReportStatus.DUPLICATE else None
    report.rejection_reason = rejection_reason.strip() if to_status == ReportStatus.REJECTED else ""
    now = timezone.now()
    update = ReportUpdate.objects.create(
        report=report,
        from_status=report.status,
        to_status=to_status,
        note=note.strip(),
        author=by,
        by_role=roles.role_of(by, acting_as=acting_as),
        created_at=now,
    )
    report.status = to_status
    report.status_notes = (note.strip() or report.rejection_reason)[:STATUS_NOTES_MAX]
    report.updated_at = now
    report.closed_at = None if to_status in OPEN_STATUSES else (report.closed_at or now)
    report.save(update_fields=["status", "status_notes", "updated_at", "closed_at", "duplicate_of", "rejection_reason"])
    moderation_actions.log_action(
        actor=by,
        action=ActionKind.STATUS_CHANGE,
        acting_as=acting_as,
        target=report,
        note=update.note,
        before={"status": update.from_status},
        after={"status": to_status},
    )
    responsible.status_changed(update)
    from services.tasks import notify_report_update_task

    outbox.enqueue(notify_report_update_task, update_id=update.pk)
    report_pages_changed(report_id=report.pk)
    return update


def check_reopen(*, report: Report, by: User, now=None) -> None:
    """A citizen may reopen a resolved report about a shared vehicle within ``REOPEN_DAYS`` of its
    resolution, when the vehicle is still there."""
    now = now or timezone.now()
    # The report's own state first: it costs no query, so a page may ask for every report it shows.
    if not (report.is_visible and report.service.is_micromobility and report.status == ReportStatus.RESOLVED):
        raise ValidationError({"report": _("Only a resolved report about a shared vehicle can be reopened.")})
    if report.closed_at is None or report.closed_at < now - timedelta(days=settings.REOPEN_DAYS):
        days = settings.REOPEN_DAYS
        raise ValidationError(
            {
                "report": ngettext(
                    "A report can be reopened within %(days)d day of its resolution.",
                    "A report can be reopened within %(days)d days of its resolution.",
                    days,
                )
                % {"days": days}
            }
        )
    rules.check_can_contribute(by)


@transaction.atomic
def report_reopen(*, report: Report, by: User, note: str = "") -> ReportUpdate:
    """Reopen a resolved report because the vehicle is still there (it counts against the operator)."""
    report = Report.objects.select_for_update().select_related("service").get(pk=report.pk)
    try:
        note = clean_text(note, limit=STATUS_NOTE_MAX)
    except ValidationError as error:
        raise ValidationError({"note": error.messages}) from None
    update = report_change_status(
        report=report,
        to_status=ReportStatus.OPEN,
        by=by,
        note=note or str(_("The vehicle is still there.")),
        acting_as=roles.CITIZEN,
    )
    Follow.objects.get_or_create(report=report, user=by)
    return update


@transaction.atomic
def report_comment_create(*, report: Report, author: User, body: str, show_name: bool = False) -> ReportComment:
    """Add a citizen's comment to a visible report."""
    rules.check_can_contribute(author)
    if not report.is_visible:
        raise ValidationError({"report": _("This report cannot be commented on.")})
    try:
        body = clean_text(body, limit=COMMENT_MAX, required=True, missing=_("Write a comment."))
    except ValidationError as error:
        raise ValidationError({"body": error.messages}) from None
    comment = ReportComment(
        report=report, author=author, body=body, show_name=show_name, moderation_state=rules.initial_state(author)
    )
    comment.full_clean()
    comment.save()
    if comment.moderation_state == ModerationState.PENDING:
        moderation_actions.queue_add(target=comment)
    Report.objects.filter(pk=report.pk).update(updated_at=comment.created_at)
    report_pages_changed(report_id=report.pk)
    return comment


def report_follow(*, report: Report, user: User) -> bool:
    """Follow a report; returns True when the follow is new."""
    rules.check_verified(user)
    return Follow.add(target=report, user=user)


def report_unfollow(*, report: Report, user: User) -> bool:
    """Stop following a report (the page's button, the API, the link in every email)."""
    return Follow.remove(target=report, user=user)


def report_process_photos(*, report_id: int) -> int:
    """Process every photo of a report still waiting; returns how many became ready."""
    ready = 0
    for photo in ReportPhoto.objects.filter(report_id=report_id, state=ReportPhoto.State.PROCESSING):
        if photos.process_photo(photo).state == ReportPhoto.State.READY:
            ready += 1
    report_pages_changed(report_id=report_id)
    return ready
