"""The moderation dataset: how often moderators and staff acted, counted by month.

A plain dataset (``definitions``): the counts, and the ``<5`` that hides small ones, come from
the database.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Case, CharField, Count, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils.translation import gettext_lazy as _

from moderation.models import ModerationAction
from opendata.datasets.definitions import Column, Dataset
from opendata.sql import UtcMonth

SMALL_COUNT = 5


def moderation_actions(cutoff: datetime) -> QuerySet:
    """The audit log's entries up to the cutoff that are about an item (the others have no kind)."""
    return ModerationAction.objects.filter(created_at__lte=cutoff).exclude(kind="")


def moderation_monthly_shape(entries: QuerySet, cutoff: datetime) -> QuerySet:
    return (
        entries.annotate(month=UtcMonth("created_at"))
        .values("month", "kind", "action", "reason")
        .annotate(n=Count("pk"))
        .annotate(
            reason_code=Coalesce(NullIf("reason", Value("")), Value("none")),
            shown_count=Case(
                When(n__gte=SMALL_COUNT, then=Cast("n", CharField())),
                default=Value(f"<{SMALL_COUNT}"),
                output_field=CharField(),
            ),
        )
        .order_by("month", "kind", "action", "reason")
    )


MODERATION_MONTHLY = Dataset(
    name="moderation_monthly",
    title=_("Moderation actions per month"),
    description=_(
        "How often moderators and staff acted, by month, kind of item, action and reason. "
        "Counts below 5 are published as <5."
    ),
    keywords=("moderation", "transparency"),
    columns=(
        Column("month", "yearmonth", _("Month (UTC)."), "month", required=True),
        Column("kind", "string", _("Kind of item."), "kind"),
        Column("action", "string", _("Action."), "action"),
        Column("reason", "string", _("Reason code."), "reason_code"),
        Column("count", "string", _("Number of actions, or <5."), "shown_count"),
    ),
    published=moderation_actions,
    shape=moderation_monthly_shape,
    primary_key=("month", "kind", "action", "reason"),
    temporal_field="month",
)
