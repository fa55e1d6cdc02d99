"""Snapshots of the open datasets and the files each one holds."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SnapshotQuerySet(models.QuerySet):
    def succeeded(self) -> SnapshotQuerySet:
        return self.filter(status=Snapshot.Status.SUCCEEDED)

    def latest_succeeded(self) -> Snapshot | None:
        """The snapshot behind the "latest" links: the newest complete one."""
        return self.succeeded().order_by("-finished_at", "-pk").prefetch_related("files").first()


class Snapshot(models.Model):
    """One build of every dataset. Its files become "latest" only when the whole build succeeded."""

    class Status(models.TextChoices):
        BUILDING = "building", _("Building")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.BUILDING)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    cutoff = models.DateTimeField(_("content up to"), help_text=_("Only content older than this is included."))
    # {"reports": {"done": 1200, "total": 5000}, ...}, updated while building.
    progress = models.JSONField(_("progress"), default=dict)
    # Moved forward with every progress step: a build that stops moving died (see builder).
    progressed_at = models.DateTimeField(_("last progress"), default=timezone.now)
    error = models.CharField(_("error"), max_length=500, blank=True)
    requested_by_role = models.CharField(max_length=20, blank=True)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ("-started_at", "-pk")
        verbose_name = _("dataset snapshot")
        verbose_name_plural = _("dataset snapshots")

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("opendata:snapshot", args=[self.pk])

    @property
    def storage_prefix(self) -> str:
        return f"opendata/snapshots/{self.pk}/"

    @property
    def rows_done(self) -> int:
        return sum(item.get("done", 0) for item in self.progress.values())

    @property
    def rows_total(self) -> int:
        return sum(item.get("total", 0) for item in self.progress.values())


class SnapshotFile(models.Model):
    """A complete file of a snapshot, with what a download needs to be checked."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="files")
    dataset = models.CharField(_("dataset"), max_length=40)
    format = models.CharField(_("format"), max_length=10)
    name = models.CharField(_("stored name"), max_length=255)
    media_type = models.CharField(_("media type"), max_length=60)
    rows = models.PositiveBigIntegerField(_("rows"))
    bytes = models.PositiveBigIntegerField(_("bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        ordering = ("dataset", "format")
        verbose_name = _("snapshot file")
        verbose_name_plural = _("snapshot files")
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "dataset", "format"], name="opendata_one_file_per_format")
        ]

    def __str__(self) -> str:
        return f"{self.dataset}.{self.format}"

    @property
    def filename(self) -> str:
        return f"{self.dataset}.{self.format}"
