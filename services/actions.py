"""Every write to reports: the web form, the REST API, Open311, the admin and tasks call these."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citizens import roles
from citizens.models import User
from cocreate import geo
from cocreate.text_checks import text_problem
from moderation import actions as moderation_actions
from moderation import rules
from moderation.models import ActionKind, ModerationState
from services import photos
from services.attributes import clean_attributes
from services.models import (
    OPEN_STATUSES,
    Follow,
    Open311Client,
    Report,
    ReportComment,
    ReportContact,
    ReportPhoto,
    ReportStatus,
    ReportUpdate,
    Service,
)

DESCRIPTION_MAX = 4000
ADDRESS_MAX = Report._meta.get_field("address").max_length
COMMENT_MAX = 2000


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
    if lat in (None, "") and lon in (None, ""):
        if not address.strip():
            raise ValidationError({"location": _("Place a pin on the map, or type coordinates or an address.")})
        return None, None
    if lat in (None, "") or lon in (None, ""):
        raise ValidationError({"location": _("Give both latitude and longitude.")})
    lat_value, lon_value = geo.parse_coordinate(lat, "lat"), geo.parse_coordinate(lon, "lon")
    geo.validate_point(lat_value, lon_value)
    return lat_value, lon_value


def _collect(errors: dict[str, list[str]], check, *args):
    """Run one check, adding its messages to ``errors``; returns the check's result or None."""
    try:
        return check(*args)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
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
    """Free text within its limits and storable as text (``cocreate.text_checks``)."""
    errors: dict[str, list[str]] = {}
    for name, value in fields.items():
        problems = (text_problem(text, multiline=name in MULTILINE) for text in _texts(value))
        if problem := next((problem for problem in problems if problem), None):
            errors[name] = [problem]
    limits = {"description": DESCRIPTION_MAX, "address": ADDRESS_MAX}
    for name, limit in limits.items():
        if len(fields.get(name, "").strip()) > limit:
            errors.setdefault(name, []).append(_("Use at most %(limit)d characters.") % {"limit": limit})
    if errors:
        raise ValidationError(errors)


def check_contact(contact: Contact) -> None:
    """Contact details that fit what we store: a valid email, names and phone within their lengths."""
    check_text({"contact": list(contact.__dict__.values())})
    ReportContact(**contact.__dict__).full_clean(exclude=["report"])


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
) -> Report:
    """Validate and save a report with its photos in one transaction; process photos after commit.

    ``reporter`` is None only for Open311 clients, which answer for their own users.
    """
    if reporter is not None:
        rules.check_can_contribute(reporter)
    errors: dict[str, list[str]] = {}
    service = _collect(errors, check_service, service_code)
    lat_value, lon_value = _collect(errors, check_location, lat, lon, address or "") or (None, None)
    answers = (_collect(errors, clean_attributes, service, attributes or {}) or {}) if service else {}
    _collect(errors, check_text, {"description": description or "", "address": address or "", "attributes": answers})
    _collect(errors, photos.validate_photos, list(photo_uploads))
    if contact:
        _collect(errors, check_contact, contact)
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    report = Report(
        service=service,
        lat=lat_value,
        lon=lon_value,
        address=(address or "").strip(),
        description=(description or "").strip(),
        attributes=answers,
        reporter=reporter,
        show_name=bool(show_name and reporter),
        source=source,
        open311_client=open311_client,
        created_at=now,
        updated_at=now,
        moderation_state=rules.initial_state(reporter, pre_moderated=service.pre_moderated),
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
    if report.moderation_state == ModerationState.PENDING:
        moderation_actions.queue_add(target=report)
    if reporter is not None:
        Follow.objects.get_or_create(report=report, user=reporter)
    if photo_uploads:
        from services.tasks import process_report_photos_task

        transaction.on_commit(lambda: process_report_photos_task.delay(report.pk))
    return report


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
    return bool(user and user.is_authenticated and (user.is_superuser or user.has_role(roles.CITY_STAFF)))


def role_of(user: User | None) -> str:
    if user is None:
        return "system"
    if user.has_role(roles.CITY_STAFF) or user.is_superuser:
        return "city"
    if user.has_role(roles.OPERATOR_STAFF):
        return "operator"
    return "citizen"


@transaction.atomic
def report_change_status(
    *,
    report: Report,
    to_status: str,
    by: User | None,
    note: str = "",
    duplicate_of: Report | None = None,
    rejection_reason: str = "",
) -> ReportUpdate:
    """Move a report to a new status, record the public update and tell the followers."""
    if by is not None and not can_change_status(by):
        raise PermissionDenied(_("Only city staff can change the status of a report."))
    if to_status not in ReportStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    report = Report.objects.select_for_update().get(pk=report.pk)
    if to_status == ReportStatus.DUPLICATE and (duplicate_of is None or duplicate_of.pk == report.pk):
        raise ValidationError({"duplicate_of": _("Name the original report this one duplicates.")})
    if to_status == ReportStatus.REJECTED:
        if not rejection_reason.strip():
            raise ValidationError({"rejection_reason": _("Give a reason for rejecting the report.")})
        if len(rejection_reason.strip()) > 500:
            raise ValidationError({"rejection_reason": _("Use at most %(limit)d characters.") % {"limit": 500}})
    # Leaving "duplicate" or "rejected" drops the original and the reason: they no longer apply.
    report.duplicate_of = duplicate_of if to_status == ReportStatus.DUPLICATE else None
    report.rejection_reason = rejection_reason.strip() if to_status == ReportStatus.REJECTED else ""
    if len(note) > 2000:
        raise ValidationError({"note": _("Use at most %(limit)d characters.") % {"limit": 2000}})
    now = timezone.now()
    update = ReportUpdate.objects.create(
        report=report,
        from_status=report.status,
        to_status=to_status,
        note=note.strip(),
        author=by,
        author_role=role_of(by),
        created_at=now,
    )
    report.status = to_status
    report.status_notes = (note.strip() or report.rejection_reason)[:1000]
    report.updated_at = now
    report.closed_at = None if to_status in OPEN_STATUSES else (report.closed_at or now)
    report.save(update_fields=["status", "status_notes", "updated_at", "closed_at", "duplicate_of", "rejection_reason"])
    moderation_actions.log_action(
        actor=by,
        action=ActionKind.STATUS_CHANGE,
        target=report,
        note=update.note,
        before={"status": update.from_status},
        after={"status": to_status},
    )
    from services.tasks import notify_report_update_task

    transaction.on_commit(lambda: notify_report_update_task.delay(update.pk))
    return update


@transaction.atomic
def report_comment_create(*, report: Report, author: User, body: str, show_name: bool = False) -> ReportComment:
    """Add a citizen's comment to a visible report."""
    rules.check_can_contribute(author)
    if not report.is_visible:
        raise ValidationError({"report": _("This report cannot be commented on.")})
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a comment.")})
    if problem := text_problem(body):
        raise ValidationError({"body": problem})
    if len(body) > COMMENT_MAX:
        raise ValidationError({"body": _("Use at most %(limit)d characters.") % {"limit": COMMENT_MAX}})
    comment = ReportComment(
        report=report, author=author, body=body, show_name=show_name, moderation_state=rules.initial_state(author)
    )
    comment.full_clean()
    comment.save()
    if comment.moderation_state == ModerationState.PENDING:
        moderation_actions.queue_add(target=comment)
    Report.objects.filter(pk=report.pk).update(updated_at=comment.created_at)
    return comment


def report_follow(*, report: Report, user: User) -> bool:
    """Follow a report; returns True when the follow is new."""
    rules.check_verified(user)
    try:
        with transaction.atomic():
            _follow, created = Follow.objects.get_or_create(report=report, user=user)
    except IntegrityError:  # a concurrent request created it
        return False
    return created


def report_unfollow(*, report: Report, user: User) -> bool:
    deleted, _details = Follow.objects.filter(report=report, user=user).delete()
    return bool(deleted)


def report_process_photos(*, report_id: int) -> int:
    """Process every photo of a report still waiting; returns how many became ready."""
    ready = 0
    for photo in ReportPhoto.objects.filter(report_id=report_id, state=ReportPhoto.State.PROCESSING):
        if photos.process_photo(photo).state == ReportPhoto.State.READY:
            ready += 1
    return ready
