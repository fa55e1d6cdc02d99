"""The city's service catalogue (Open311 services) and the problems citizens report."""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Count, F, FloatField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, NullIf, Round
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname, get_language

from cocreate import geo
from cocreate.following import AbstractFollow
from cocreate.images import ProcessedImage, upload_storage
from cocreate.redaction import redact, shown_text
from moderation.models import Moderated, ModeratedQuerySet, ModerationState

# Text limits, read by the models, the actions, the forms, the serializers and the admin.
DESCRIPTION_MAX = 4000
ADDRESS_MAX = 255
COMMENT_MAX = 2000
STATUS_NOTE_MAX = 2000
REJECTION_REASON_MAX = 500
# The latest note shown on a report (and in Open311's status_notes), cut from the update's note.
STATUS_NOTES_MAX = 1000


def in_language(field: str, language: str | None = None) -> str:
    """The column of a translated field (services/translation.py) holding ``language``, the
    page's by default: ``in_language("name")`` is ``"name_ind"`` on an Indonesian page."""
    return build_localized_fieldname(field, language or get_language())


def translated(lookup: str) -> Coalesce | F:
    """An expression reading a translated field in the page's language, or in English when
    that translation is missing, as the model's attribute does: for ``values()`` rows, e.g.
    ``Report.objects.annotate(service_name=translated("service__name"))``."""
    *path, field = lookup.split("__")
    columns = [
        "__".join([*path, in_language(field, language)])
        for language in dict.fromkeys([get_language(), settings.MODELTRANSLATION_DEFAULT_LANGUAGE])
    ]
    if len(columns) == 1:
        return F(columns[0])
    return Coalesce(
        *[NullIf(F(column), Value("")) for column in columns[:-1]], F(columns[-1]), output_field=models.TextField()
    )


class ServiceQuerySet(models.QuerySet):
    def active(self) -> ServiceQuerySet:
        """Services citizens can report under now."""
        return self.filter(active=True)

    def with_attributes(self) -> ServiceQuerySet:
        """Prefetch attributes and their allowed values, in order."""
        return self.prefetch_related(
            Prefetch(
                "attributes",
                queryset=ServiceAttribute.objects.order_by("order", "pk").prefetch_related("values"),
            )
        )

    def grouped(self) -> ServiceQuerySet:
        """Services that belong to a group (their English group is the group's key)."""
        return self.exclude(group_en__isnull=True).exclude(group_en="")

    def groups(self) -> list[str]:
        """The distinct groups' keys (their English names), sorted: the topics proposals can be about."""
        return sorted(set(self.grouped().values_list("group_en", flat=True)))

    def group_labels(self) -> dict[str, str]:
        """Each group's key with its name in the page's language: the first translation a service
        of the group gives, or the English name."""
        rows = self.grouped().annotate(label=F(in_language("group"))).order_by("order", "pk")
        names: dict[str, str] = {}
        for key, name in rows.values_list("group_en", "label"):
            if not names.get(key):
                names[key] = name or ""
        return {key: name or key for key, name in names.items()}

    def search(self, text: str) -> ServiceQuerySet:
        """Services whose name, group or description (in the page's language or in English) or
        keywords mention ``text``."""
        languages = dict.fromkeys([get_language(), settings.MODELTRANSLATION_DEFAULT_LANGUAGE])
        query = Q()
        for word in text.split():
            matches = Q(keywords__icontains=word)
            for language in languages:
                for field in ("name", "group", "description"):
                    matches |= Q(**{f"{in_language(field, language)}__icontains": word})
            query &= matches
        return self.filter(query)


class Service(models.Model):
    """A kind of problem the city takes reports about (an Open311 service)."""

    class Type(models.TextChoices):
        REALTIME = "realtime", _("Realtime")
        BATCH = "batch", _("Batch")
        BLACKBOX = "blackbox", _("Blackbox")

    class Precision(models.TextChoices):
        EXACT = "exact", _("Exact")
        COARSE = "coarse", _("Coarse (sensitive service)")

    service_code = models.SlugField(_("service code"), max_length=64, unique=True)
    # name, description and group have a column per language (services/translation.py).
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    group = models.CharField(
        _("group"),
        max_length=80,
        blank=True,
        help_text=_("Services of one group should give the same name in each language."),
    )
    keywords = models.CharField(_("keywords"), max_length=255, blank=True, help_text=_("Comma-separated."))
    type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.REALTIME)
    active = models.BooleanField(_("active"), default=True)
    pre_moderated = models.BooleanField(
        _("pre-moderated"), default=False, help_text=_("Reports wait for a moderator before they are published.")
    )
    location_precision = models.CharField(
        _("published location precision"), max_length=8, choices=Precision.choices, default=Precision.EXACT
    )
    response_days = models.PositiveSmallIntegerField(
        _("response target (days)"), default=7, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    is_micromobility = models.BooleanField(
        _("about shared micromobility vehicles"), default=False, help_text=_("Reports are routed to the operator.")
    )
    agency_responsible = models.CharField(_("agency responsible"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ("order", "name")
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("services:report_create", args=[self.service_code])

    @property
    def group_key(self) -> str:
        """The group's key: its English name, whatever the page's language ("" without a group).
        Proposals store it as their topic; the REST API and Open311 give it as ``group``."""
        return self.group_en or ""

    @property
    def has_metadata(self) -> bool:
        """Open311: whether the service defines attributes."""
        return self.attributes.exists()

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.split(",") if word.strip()]


class ServiceAttribute(models.Model):
    """A question asked when reporting under a service (an Open311 attribute)."""

    class Datatype(models.TextChoices):
        STRING = "string", _("Short text")
        NUMBER = "number", _("Number")
        DATETIME = "datetime", _("Date and time")
        TEXT = "text", _("Long text")
        SINGLEVALUELIST = "singlevaluelist", _("One choice from a list")
        MULTIVALUELIST = "multivaluelist", _("Several choices from a list")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="attributes")
    code = models.SlugField(_("code"), max_length=64)
    datatype = models.CharField(_("datatype"), max_length=16, choices=Datatype.choices, default=Datatype.STRING)
    required = models.BooleanField(_("required"), default=False)
    variable = models.BooleanField(_("variable"), default=True, help_text=_("Off for an informational note."))
    description = models.CharField(_("question"), max_length=255)  # one column per language
    datatype_description = models.CharField(_("datatype description"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ("order", "pk")
        verbose_name = _("attribute")
        verbose_name_plural = _("attributes")
        constraints = [models.UniqueConstraint(fields=["service", "code"], name="services_attribute_code_unique")]

    def __str__(self) -> str:
        return f"{self.service.service_code}: {self.code}"

    @property
    def is_list(self) -> bool:
        return self.datatype in (self.Datatype.SINGLEVALUELIST, self.Datatype.MULTIVALUELIST)


class AttributeValue(models.Model):
    """An allowed answer of a list attribute."""

    attribute = models.ForeignKey(ServiceAttribute, on_delete=models.CASCADE, related_name="values")
    key = models.SlugField(_("key"), max_length=64)
    name = models.CharField(_("name"), max_length=120)  # one column per language
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ("order", "pk")
        verbose_name = _("allowed value")
        verbose_name_plural = _("allowed values")
        constraints = [models.UniqueConstraint(fields=["attribute", "key"], name="services_value_key_unique")]

    def __str__(self) -> str:
        return self.name


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    DUPLICATE = "duplicate", _("Duplicate")
    REJECTED = "rejected", _("Rejected")


OPEN_STATUSES = (ReportStatus.OPEN, ReportStatus.ACKNOWLEDGED, ReportStatus.IN_PROGRESS)
# Sensitive services publish their points rounded to 3 decimals (about 110 m).
COARSE_DECIMALS = 3


def _published(field: str) -> Case:
    coarse = Q(service__location_precision=Service.Precision.COARSE)
    return Case(When(coarse, then=Round(field, COARSE_DECIMALS)), default=F(field), output_field=FloatField())


def open311_status(status: str) -> str:
    """Open311 knows only ``open`` and ``closed``."""
    return "open" if status in OPEN_STATUSES else "closed"


class ReportQuerySet(ModeratedQuerySet):
    def open(self) -> ReportQuerySet:
        """Reports still waiting for the problem to be fixed."""
        return self.filter(status__in=OPEN_STATUSES)

    def closed(self) -> ReportQuerySet:
        return self.exclude(status__in=OPEN_STATUSES)

    def with_open311_status(self, statuses: list[str]) -> ReportQuerySet:
        """Filter by Open311 status words (``open``, ``closed``)."""
        query = Q()
        if "open" in statuses:
            query |= Q(status__in=OPEN_STATUSES)
        if "closed" in statuses:
            query |= ~Q(status__in=OPEN_STATUSES)
        return self.filter(query)

    def in_bbox(self, min_lon: float, min_lat: float, max_lon: float, max_lat: float) -> ReportQuerySet:
        """Reports whose point lies inside the box."""
        return self.filter(lon__gte=min_lon, lon__lte=max_lon, lat__gte=min_lat, lat__lte=max_lat)

    def near(self, lat: float, lon: float, meters: float) -> ReportQuerySet:
        """Reports within the square of half-side ``meters`` around a point (refine with ``distance_m``)."""
        dlat, dlon = geo.degrees_around(lat, meters)
        return self.in_bbox(lon - dlon, lat - dlat, lon + dlon, lat + dlat)

    def readable_by(self, user) -> ReportQuerySet:
        """Published reports, and the user's own in any moderation state (marked as such on pages)."""
        if user is not None and user.is_authenticated:
            return self.filter(Q(moderation_state=ModerationState.PUBLISHED) | Q(reporter_id=user.pk))
        return self.visible()

    def reported_by(self, user) -> ReportQuerySet:
        """The user's own reports in any moderation state, the most recently updated first."""
        return self.filter(reporter_id=user.pk).order_by("-updated_at", "-pk")

    def with_public_point(self) -> ReportQuerySet:
        """Annotate ``public_lat``/``public_lon``: the point as published, rounded for sensitive services."""
        return self.annotate(public_lat=_published("lat"), public_lon=_published("lon"))

    def in_public_bbox(self, min_lon: float, min_lat: float, max_lon: float, max_lat: float) -> ReportQuerySet:
        """Reports whose *published* point lies in the box (on ``with_public_point``), so a tiny box cannot
        find a coarsened point; the exact, indexed filter with a margin narrows the rows first."""
        margin = 10**-COARSE_DECIMALS
        return self.in_bbox(min_lon - margin, min_lat - margin, max_lon + margin, max_lat + margin).filter(
            public_lon__range=(min_lon, max_lon), public_lat__range=(min_lat, max_lat)
        )

    def with_comment_counts(self) -> ReportQuerySet:
        """Annotate ``comments_count``: visible comments, in the same query."""
        comments = (
            ReportComment.objects.visible()
            .filter(report=OuterRef("pk"))
            .order_by()
            .values("report")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(comments_count=Coalesce(Subquery(comments), Value(0)))

    def service_codes_near(self, lat: float, lon: float, meters: float) -> list[str]:
        """Codes of the services reported within ``meters`` of a point, the most reported first."""
        rows = (
            self.near(lat, lon, meters)
            .order_by()
            .values("service__service_code")
            .annotate(count=Count("pk"))
            .order_by("-count", "service__service_code")
        )
        return [row["service__service_code"] for row in rows[:20]]

    def service_codes_recent(self, user) -> list[str]:
        """Codes of the services ``user`` reported under lately, the latest first."""
        codes = self.filter(reporter=user).order_by("-created_at").values_list("service__service_code", flat=True)
        return list(dict.fromkeys(codes[:50]))[:5]

    def addresses_matching(self, text: str, limit: int) -> list[dict[str, object]]:
        """Typed addresses containing ``text`` with their points, from reports whose point is exact."""
        rows = (
            self.filter(address__icontains=text, lat__isnull=False)
            .exclude(service__location_precision=Service.Precision.COARSE)
            .order_by("-created_at")
            .values_list("address", "lat", "lon")[: limit * 5]
        )
        found: dict[str, dict[str, object]] = {}
        for address, lat, lon in rows:
            found.setdefault(address.casefold(), {"address": address, "lat": lat, "lon": lon})
        return list(found.values())[:limit]

    def for_listing(self) -> ReportQuerySet:
        """Load what lists show in a fixed number of queries."""
        return self.select_related("service", "reporter").prefetch_related(
            Prefetch("photos", queryset=ReportPhoto.objects.visible().ready().order_by("position", "pk"))
        )


class Report(Moderated):
    """A problem a citizen reported: an Open311 service request."""

    class Source(models.TextChoices):
        WEB = "web", _("Website")
        API = "api", _("REST API")
        OPEN311 = "open311", _("Open311")
        SYSTEM = "system", _("Detected by the city's systems")

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="reports", verbose_name=_("service"))
    status = models.CharField(_("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    status_notes = models.CharField(_("latest public note"), max_length=STATUS_NOTES_MAX, blank=True)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX, blank=True)
    # The description as the open datasets publish it, personal data redacted: written with the
    # description (report_create, a moderator's edit), so a million rows are exported without
    # running the redaction again.
    redacted_description = models.TextField(editable=False, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=ADDRESS_MAX, blank=True)
    attributes = models.JSONField(_("answers"), default=dict, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    show_name = models.BooleanField(_("show my name publicly"), default=False)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    rejection_reason = models.CharField(_("reason for rejection"), max_length=REJECTION_REASON_MAX, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.WEB)
    open311_client = models.ForeignKey(
        "services.Open311Client", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    expected_at = models.DateTimeField(_("expected by"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [
            models.Index(fields=["moderation_state", "-created_at"], name="report_visible_created"),
            models.Index(fields=["service", "status", "-created_at"], name="report_service_status"),
            models.Index(fields=["status", "-created_at"], name="report_status_created"),
            models.Index(fields=["lon", "lat"], name="report_lon_lat"),
            # The map's tiles (services.map_tiles) read only published points and these columns: on
            # PostgreSQL an index-only scan, which skips the table's pages scattered across the disk.
            models.Index(
                fields=["lon", "lat"],
                include=["service", "status", "created_at", "id"],
                condition=Q(moderation_state=ModerationState.PUBLISHED),
                name="report_published_point",
            ),
            models.Index(fields=["updated_at"], name="report_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(lat__isnull=True) & Q(lon__isnull=True))
                | (Q(lat__gte=-90) & Q(lat__lte=90) & Q(lon__gte=-180) & Q(lon__lte=180)),
                name="report_point_in_range",
            ),
            models.CheckConstraint(condition=Q(lat__isnull=False) | ~Q(address=""), name="report_has_a_location"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.service.name}"

    def get_absolute_url(self) -> str:
        return reverse("services:report_detail", args=[self.pk])

    @property
    def open311_status(self) -> str:
        return open311_status(self.status)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def is_coarse(self) -> bool:
        return self.service.location_precision == Service.Precision.COARSE

    @property
    def public_point(self) -> tuple[float, float] | None:
        """The point as published: rounded for sensitive services."""
        if not self.has_point:
            return None
        if self.is_coarse:
            return round(self.lat, COARSE_DECIMALS), round(self.lon, COARSE_DECIMALS)
        return self.lat, self.lon

    @property
    def author_id(self) -> int | None:
        """Who wrote the report's text (``cocreate.redaction.sees_original``)."""
        return self.reporter_id

    @property
    def public_description(self) -> str:
        """The description as published: personal data redacted."""
        return redact(self.description)

    @property
    def public_address(self) -> str:
        """A typed address would locate a sensitive report as exactly as a pin does; it is published redacted."""
        return "" if self.is_coarse else redact(self.address)

    def address_for(self, viewer: object) -> str:
        """The address as ``viewer`` may read it: the reporter and staff see what was typed."""
        return "" if self.is_coarse else shown_text(self, "address", viewer)

    @property
    def public_reporter_name(self) -> str:
        """The reporter's display name, only when they chose to show it."""
        if self.show_name and self.reporter is not None and self.reporter.display_name:
            return self.reporter.display_name
        return ""

    def set_deadline(self) -> None:
        self.expected_at = self.created_at + timedelta(days=self.service.response_days)


class ReportContact(models.Model):
    """Contact details sent with an Open311 request: kept private, never returned."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="contact")
    email = models.EmailField(_("email"), blank=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("private contact")
        verbose_name_plural = _("private contacts")

    def __str__(self) -> str:
        return str(_("Private contact"))


class UnconfirmedReport(models.Model):
    """A visitor's report kept unpublished until they confirm their email address with the emailed link.

    The address lives only here (and in the account confirming creates or finds); the row is deleted
    on confirmation, and the report with it after ``UNCONFIRMED_REPORT_RETENTION_DAYS`` otherwise.
    """

    report = models.OneToOneField(Report, on_delete=models.CASCADE, primary_key=True, related_name="unconfirmed")
    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=60, blank=True)
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("report awaiting email confirmation")
        verbose_name_plural = _("reports awaiting email confirmation")

    def __str__(self) -> str:
        return str(self.report_id)


class PendingPhoto(models.Model):
    """A photo sent with a report form that was refused, re-encoded without metadata, kept for the next try."""

    key = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    image = models.FileField(upload_to="pending/", storage=upload_storage)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("photo of an unsent report")
        verbose_name_plural = _("photos of unsent reports")

    def __str__(self) -> str:
        return str(self.key)


class ReportPhotoQuerySet(ModeratedQuerySet):
    def ready(self):
        """Photos that have been processed and can be shown."""
        return self.filter(state=ReportPhoto.State.READY)


class ReportPhoto(ProcessedImage, Moderated):
    """A photo of a report. Only the re-encoded copy without metadata is kept."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("image"), upload_to="reports/%Y/%m/", blank=True, width_field="width", height_field="height"
    )
    thumbnail = models.ImageField(_("thumbnail"), upload_to="reports/%Y/%m/thumbs/", blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ReportPhotoQuerySet.as_manager()

    class Meta:
        ordering = ("position", "pk")
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return f"{self.report_id}/{self.position}"


class ReportUpdate(models.Model):
    """A public entry in a report's timeline: a change of status, with an optional note."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="updates")
    from_status = models.CharField(_("from status"), max_length=16, choices=ReportStatus.choices)
    to_status = models.CharField(_("to status"), max_length=16, choices=ReportStatus.choices)
    note = models.TextField(_("public note"), max_length=STATUS_NOTE_MAX, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by_role = models.CharField(_("by"), max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ("created_at", "pk")
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status} → {self.to_status}"


class ReportComment(Moderated):
    """A citizen's comment on a report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comments")
    # Never a silent cascade: deleting an account removes its comments itself (services.personal_data).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="report_comments"
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX)
    show_name = models.BooleanField(_("show my name publicly"), default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ModeratedQuerySet.as_manager()

    class Meta:
        ordering = ("created_at", "pk")
        verbose_name = _("report comment")
        verbose_name_plural = _("report comments")

    def __str__(self) -> str:
        return f"{self.report_id}: {self.body[:40]}"

    @property
    def public_author_name(self) -> str:
        return self.author.display_name if self.show_name and self.author and self.author.display_name else ""


class Follow(AbstractFollow):
    """A person who gets an email for each public update of a report."""

    target_field = "report"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [models.UniqueConstraint(fields=["report", "user"], name="services_follow_unique")]


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class Open311Client(models.Model):
    """An application allowed to submit reports through Open311 with an API key."""

    name = models.CharField(_("name"), max_length=120)
    key_prefix = models.CharField(_("key prefix"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    active = models.BooleanField(_("active"), default=True)
    trusted = models.BooleanField(
        _("trusted"),
        default=False,
        help_text=_(
            "Reports of a trusted client publish at once (unless the service is pre-moderated); "
            "an untrusted client's reports wait for a moderator as a new account's first reports do."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"


__all__ = [
    "OPEN_STATUSES",
    "AttributeValue",
    "Follow",
    "ModerationState",
    "Open311Client",
    "PendingPhoto",
    "Report",
    "ReportComment",
    "ReportContact",
    "ReportPhoto",
    "ReportStatus",
    "ReportUpdate",
    "Service",
    "ServiceAttribute",
    "UnconfirmedReport",
    "open311_status",
]
