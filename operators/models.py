"""Mobility operators under permit, their fleets as read from GBFS, and the reports they answer for.

Privacy: a ``Vehicle`` row holds only a vehicle's latest position (no trajectory is kept), and its
GBFS id never leaves the site: datasets, pages and the public API show counts and rounded
positions only.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cocreate import geo
from cocreate.images import ProcessedImage
from moderation.models import ModerationState
from services.models import Report, ReportPhoto, ReportUpdate

NAME_MAX = 120
CONTACT_MAX = 200
OUTCOME_NOTE_MAX = 1000
LEDGER_NOTE_MAX = 1000
FEED_ERROR_MAX = 300


class FormFactor(models.TextChoices):
    """GBFS ``form_factor`` values (the kinds of vehicle a permit can allow)."""

    BICYCLE = "bicycle", _("Bicycle")
    CARGO_BICYCLE = "cargo_bicycle", _("Cargo bicycle")
    SCOOTER_STANDING = "scooter_standing", _("Standing e-scooter")
    SCOOTER_SEATED = "scooter_seated", _("Seated e-scooter")
    MOPED = "moped", _("Moped")
    CAR = "car", _("Car")
    OTHER = "other", _("Other")


class FeedState(models.TextChoices):
    NEVER = "never", _("Not polled yet")
    OK = "ok", _("Working")
    FAILING = "failing", _("Failing")
    NONE = "none", _("No feed")


class OperatorQuerySet(models.QuerySet):
    def with_feed(self) -> OperatorQuerySet:
        """Operators with a GBFS feed to poll."""
        return self.exclude(gbfs_url="")

    def due_for_poll(self, now=None) -> OperatorQuerySet:
        """Operators with a feed whose next poll time has come."""
        now = now or timezone.now()
        return self.with_feed().filter(models.Q(next_poll_at__isnull=True) | models.Q(next_poll_at__lte=now))

    def tracked(self, now=None) -> OperatorQuerySet:
        """Operators listed to the public: those whose permit has not ended, and those whose permit
        has ended while they still have vehicles in their feed or reports to answer."""
        today = timezone.localdate(now)
        return self.filter(
            models.Q(permit_valid_until__isnull=True)
            | models.Q(permit_valid_until__gte=today)
            | models.Exists(Vehicle.objects.filter(operator=models.OuterRef("pk")))
            | models.Exists(Assignment.objects.open().filter(operator=models.OuterRef("pk")))
        )


class Operator(models.Model):
    """A mobility operator holding (or having held) a permit, with the conditions the city set."""

    name = models.CharField(_("name"), max_length=NAME_MAX)
    slug = models.SlugField(_("short name"), max_length=50, unique=True)
    permit_number = models.CharField(_("permit number"), max_length=60, blank=True)
    permit_valid_from = models.DateField(_("permit valid from"), null=True, blank=True)
    permit_valid_until = models.DateField(
        _("permit ends"),
        null=True,
        blank=True,
        help_text=_(
            "After this day the operator's vehicles still in its feed and its open reports are tracked until none are left."
        ),
    )
    public_contact = models.CharField(_("public contact"), max_length=CONTACT_MAX, blank=True)
    gbfs_url = models.URLField(_("GBFS auto-discovery URL"), blank=True, help_text=_("The address of gbfs.json."))
    response_hours = models.PositiveSmallIntegerField(
        _("response deadline (hours)"), default=24, validators=[MinValueValidator(1)]
    )
    night_response_hours = models.PositiveSmallIntegerField(
        _("night response deadline (hours)"),
        default=36,
        validators=[MinValueValidator(1)],
        help_text=_("Applies to reports assigned at night (see OPERATOR_NIGHT_START and OPERATOR_NIGHT_END)."),
    )
    idle_limit_hours = models.PositiveSmallIntegerField(
        _("idle limit (hours)"),
        default=24,
        validators=[MinValueValidator(1)],
        help_text=_("A vehicle left unused at one place longer than this becomes a report."),
    )
    fine_per_breach = models.DecimalField(
        _("fine per breach"), max_digits=12, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    webhook_url = models.URLField(_("webhook URL"), blank=True, help_text=_("Told of each new assignment (signed)."))
    webhook_secret = models.CharField(_("webhook secret"), max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    # Feed state, written by the poller only.
    feed_state = models.CharField(_("feed state"), max_length=10, choices=FeedState.choices, default=FeedState.NEVER)
    feed_error = models.CharField(_("last feed error"), max_length=FEED_ERROR_MAX, blank=True)
    # The failure's code (operators.gbfs): what the public is told, in the reader's language.
    feed_error_code = models.CharField(max_length=20, blank=True, editable=False)
    feed_version = models.CharField(_("GBFS version"), max_length=10, blank=True)
    feed_urls = models.JSONField(default=dict, blank=True, editable=False)
    feed_validators = models.JSONField(default=dict, blank=True, editable=False)
    last_poll_at = models.DateTimeField(_("last poll"), null=True, blank=True)
    last_good_poll_at = models.DateTimeField(_("last good poll"), null=True, blank=True)
    next_poll_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = OperatorQuerySet.as_manager()

    class Meta:
        ordering = ("name",)
        verbose_name = _("mobility operator")
        verbose_name_plural = _("mobility operators")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("operators:detail", args=[self.slug])

    def permit_ended(self, today=None) -> bool:
        return self.permit_valid_until is not None and self.permit_valid_until < (today or timezone.localdate())

    def permit_active(self, today=None) -> bool:
        today = today or timezone.localdate()
        started = self.permit_valid_from is None or self.permit_valid_from <= today
        return started and (self.permit_valid_until is None or today <= self.permit_valid_until)

    @property
    def fleet_cap(self) -> int | None:
        """The cap on the whole fleet: the sum of the per-type caps, or None when a type has none."""
        caps = [permitted.fleet_cap for permitted in self.vehicle_types.all()]
        if not caps or any(cap is None for cap in caps):
            return None
        return sum(caps)

    def deadline_hours(self, at) -> int:
        """Hours to answer an assignment made at ``at`` (night hours at night, in the city's time)."""
        hour = timezone.localtime(at).hour
        start, end = settings.OPERATOR_NIGHT_START, settings.OPERATOR_NIGHT_END
        at_night = (start <= hour or hour < end) if start > end else (start <= hour < end)
        return self.night_response_hours if at_night else self.response_hours

    def due_at(self, at):
        return at + timedelta(hours=self.deadline_hours(at))


class PermittedVehicleType(models.Model):
    """A kind of vehicle the permit allows, with its fleet cap."""

    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, related_name="vehicle_types")
    form_factor = models.CharField(_("vehicle type"), max_length=20, choices=FormFactor.choices)
    fleet_cap = models.PositiveIntegerField(_("fleet cap"), null=True, blank=True, help_text=_("Empty: no cap."))

    class Meta:
        ordering = ("operator", "form_factor")
        verbose_name = _("permitted vehicle type")
        verbose_name_plural = _("permitted vehicle types")
        constraints = [
            models.UniqueConstraint(fields=["operator", "form_factor"], name="operators_vehicle_type_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.operator_id}: {self.form_factor}"


class OperatorMembership(models.Model):
    """An account working for one operator (it also holds the "Operator staff" role)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="operator_membership")
    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("operator staff membership")
        verbose_name_plural = _("operator staff memberships")

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.operator_id}"


class FeedPoll(models.Model):
    """One poll of an operator's feed: kept 30 days for the feed's health figures."""

    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, related_name="polls")
    polled_at = models.DateTimeField(default=timezone.now, db_index=True)
    ok = models.BooleanField()
    not_modified = models.BooleanField(default=False)
    error = models.CharField(max_length=FEED_ERROR_MAX, blank=True)
    vehicles = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("-polled_at",)
        verbose_name = _("feed poll")
        verbose_name_plural = _("feed polls")
        indexes = [models.Index(fields=["operator", "polled_at"], name="operators_poll_op_at")]

    def __str__(self) -> str:
        return f"{self.operator_id} {self.polled_at:%Y-%m-%d %H:%M} {'ok' if self.ok else self.error}"


class Hours(models.Func):
    """A whole number of hours as a duration, on PostgreSQL and SQLite alike (Django multiplies a
    duration by a number only on PostgreSQL)."""

    output_field = models.DurationField()
    template = "make_interval(hours => %(expressions)s)"

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite keeps durations as whole microseconds.
        return self.as_sql(compiler, connection, template="(%(expressions)s * 3600000000)", **extra)


class VehicleQuerySet(models.QuerySet):
    def in_box(self, lat: float, lon: float, meters: float) -> VehicleQuerySet:
        """Vehicles inside the square of ``meters`` around a point (a cheap index range, refined by callers)."""
        dlat, dlon = geo.degrees_around(lat, meters)
        return self.filter(lat__range=(lat - dlat, lat + dlat), lon__range=(lon - dlon, lon + dlon))

    def idle(self, now=None) -> VehicleQuerySet:
        """Vehicles unused at one place (or disabled) for longer than their operator's idle limit."""
        now = now or timezone.now()
        return self.alias(limit=Hours("operator__idle_limit_hours")).filter(
            models.Q(first_seen_at__lt=now - models.F("limit")) | models.Q(disabled_since__lt=now - models.F("limit"))
        )


class Vehicle(models.Model):
    """A vehicle in an operator's latest feed: where it is now, and since when it has stood there."""

    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, related_name="vehicles")
    vehicle_id = models.CharField(max_length=200)
    form_factor = models.CharField(max_length=20, choices=FormFactor.choices, default=FormFactor.OTHER)
    lat = models.FloatField()
    lon = models.FloatField()
    is_disabled = models.BooleanField(default=False)
    is_reserved = models.BooleanField(default=False)
    first_seen_at = models.DateTimeField(help_text=_("When this vehicle was first seen at this place."))
    last_seen_at = models.DateTimeField()
    disabled_since = models.DateTimeField(null=True, blank=True)
    idle_report = models.ForeignKey(Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = VehicleQuerySet.as_manager()

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        constraints = [models.UniqueConstraint(fields=["operator", "vehicle_id"], name="operators_vehicle_unique")]
        indexes = [models.Index(fields=["lat", "lon"], name="operators_vehicle_latlon")]

    def __str__(self) -> str:
        return f"{self.operator_id}:{self.vehicle_id}"


class FleetDay(models.Model):
    """An operator's fleet on one day (in the city's time), against its cap."""

    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, related_name="fleet_days")
    day = models.DateField()
    polls = models.PositiveIntegerField(default=0)
    vehicles_peak = models.PositiveIntegerField(default=0)
    vehicles_last = models.PositiveIntegerField(default=0)
    idle_peak = models.PositiveIntegerField(default=0)
    disabled_peak = models.PositiveIntegerField(default=0)
    fleet_cap = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ("operator", "day")
        verbose_name = _("fleet day")
        verbose_name_plural = _("fleet days")
        constraints = [models.UniqueConstraint(fields=["operator", "day"], name="operators_fleet_day_unique")]

    def __str__(self) -> str:
        return f"{self.operator_id} {self.day}"

    @property
    def over_cap(self) -> bool:
        return self.fleet_cap is not None and self.vehicles_peak > self.fleet_cap


class Outcome(models.TextChoices):
    REMOVED = "removed", _("Removed")
    REPARKED = "reparked", _("Re-parked")
    REPAIRED = "repaired", _("Repaired")
    NOT_FOUND = "not_found", _("Not found")
    DISPUTED = "disputed", _("Disputed")


class Reason(models.TextChoices):
    NO_MATCH = "no_match", _("In the city's queue")
    CHOSEN = "chosen", _("Chosen by the reporter")
    NEAREST_VEHICLE = "nearest_vehicle", _("Nearest vehicle")
    STAFF = "staff", _("Assigned by city staff")
    IDLE_VEHICLE = "idle_vehicle", _("Idle vehicle")


class AssignmentQuerySet(models.QuerySet):
    def for_operator(self, operator) -> AssignmentQuerySet:
        """Assignments of one operator."""
        return self.filter(operator=operator)

    def counted(self, until=None) -> AssignmentQuerySet:
        """Assignments counted in an operator's public figures: of published reports, made by ``until``."""
        return self.filter(
            operator__isnull=False, assigned_at__lte=until or timezone.now(), report__in=Report.objects.visible()
        )

    def open(self) -> AssignmentQuerySet:
        """Assignments not resolved yet."""
        return self.filter(resolved_at__isnull=True)

    def city_queue(self) -> AssignmentQuerySet:
        """Reports no operator was found for, and disputed answers: city staff decide."""
        return self.filter(models.Q(operator__isnull=True) | models.Q(outcome=Outcome.DISPUTED)).filter(
            report__status__in=("open", "acknowledged", "in_progress")
        )

    def overdue(self, now=None) -> AssignmentQuerySet:
        """Open assignments past their deadline that are not recorded as breached yet."""
        now = now or timezone.now()
        return self.open().filter(operator__isnull=False, due_at__lt=now, breached_at__isnull=True)

    def by_deadline(self) -> AssignmentQuerySet:
        """Soonest deadline first."""
        return self.order_by("due_at", "pk")

    def resolved_since(self, since) -> AssignmentQuerySet:
        """Assignments answered at or after ``since``, the latest first."""
        return self.filter(resolved_at__gte=since).order_by("-resolved_at", "-pk")

    def on_published_reports(self) -> AssignmentQuerySet:
        """Assignments whose report the public may see: an operator reads what the public reads."""
        return self.filter(report__moderation_state=ModerationState.PUBLISHED)

    def for_workspace(self) -> AssignmentQuerySet:
        """Load what the operator's queue and API show (report, service, public photos) in a fixed
        number of queries."""
        photos = ReportPhoto.objects.visible().ready().order_by("position", "pk")
        return self.select_related("report__service", "operator").prefetch_related(
            models.Prefetch("report__photos", queryset=photos, to_attr="public_photos")
        )


class Assignment(models.Model):
    """A report an operator must answer for, with its public deadline."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="operator_assignment")
    # No operator: the report waits in the city's queue for staff to assign it.
    operator = models.ForeignKey(Operator, on_delete=models.PROTECT, null=True, blank=True, related_name="assignments")
    reason = models.CharField(_("why"), max_length=20, choices=Reason.choices)
    distance_m = models.PositiveIntegerField(_("distance to the vehicle (m)"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned"), default=timezone.now)
    due_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("note"), max_length=OUTCOME_NOTE_MAX, blank=True)
    breached_at = models.DateTimeField(_("breached"), null=True, blank=True)
    reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ("due_at", "pk")
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        indexes = [models.Index(fields=["operator", "resolved_at", "due_at"], name="operators_asg_queue")]

    def __str__(self) -> str:
        return f"{self.report_id} → {self.operator_id}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    def is_overdue(self, now=None) -> bool:
        return self.is_open and self.due_at is not None and self.due_at < (now or timezone.now())


class Breach(models.Model):
    """A deadline an operator missed: the ledger city staff export and annotate."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="breaches")
    operator = models.ForeignKey(Operator, on_delete=models.PROTECT, related_name="breaches")
    due_at = models.DateTimeField(_("was due"))
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, db_index=True)
    fine_due = models.DecimalField(_("fine due"), max_digits=12, decimal_places=2, default=Decimal("0"))
    impounded = models.BooleanField(_("impounded by the city"), default=False)
    fee_charged = models.DecimalField(_("fee charged"), max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("note"), max_length=LEDGER_NOTE_MAX, blank=True)

    class Meta:
        ordering = ("-recorded_at", "pk")
        verbose_name = _("breach")
        verbose_name_plural = _("breaches")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "due_at"], name="operators_breach_once_per_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.operator_id} #{self.assignment_id} {self.due_at:%Y-%m-%d %H:%M}"


class ResolutionPhotoQuerySet(models.QuerySet):
    def ready(self) -> ResolutionPhotoQuerySet:
        """Photos processed and ready to show."""
        return self.filter(state=ProcessedImage.State.READY)

    def public(self) -> ResolutionPhotoQuerySet:
        """Processed photos of published reports: what the report's timeline shows."""
        return self.ready().filter(report__moderation_state=ModerationState.PUBLISHED)


class ResolutionPhoto(ProcessedImage):
    """A photo an operator sent with its answer (the bike removed, re-parked), shown on the report's
    timeline next to that answer once processed. Only the re-encoded copy without metadata is kept."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="resolution_photos")
    update = models.ForeignKey(ReportUpdate, on_delete=models.CASCADE, related_name="resolution_photos")
    operator = models.ForeignKey(Operator, on_delete=models.PROTECT, related_name="resolution_photos")
    image = models.ImageField(
        _("image"), upload_to="resolutions/%Y/%m/", blank=True, width_field="width", height_field="height"
    )
    thumbnail = models.ImageField(_("thumbnail"), upload_to="resolutions/%Y/%m/thumbs/", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ResolutionPhotoQuerySet.as_manager()

    class Meta:
        ordering = ("created_at", "pk")
        verbose_name = _("resolution photo")
        verbose_name_plural = _("resolution photos")

    def __str__(self) -> str:
        return f"{self.report_id}/{self.update_id}"

    @property
    def is_public(self) -> bool:
        return self.is_ready and self.report.is_visible
