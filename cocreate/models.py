"""Tables of the project package itself: the outbox of pending background jobs."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class PendingJob(models.Model):
    """Work a committed request still owes (process a photo, send an email), kept until done.

    Written in the same transaction as the change that needs it, so the work survives a broker
    that is down; ``cocreate.outbox`` sends it, runs it and deletes it once done.
    """

    name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    # When the sweep sends it (again) if it is still here: soon after a failed send, later after a sent one.
    retry_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("retry_at", "pk")
        verbose_name = "pending job"
        verbose_name_plural = "pending jobs"

    def __str__(self) -> str:
        return f"{self.name} #{self.pk}"
