"""How moderation is used: monthly counts of moderation actions for the public page.

Counts only, by kind of item, action and reason: no names, no accounts, no ids. The city's
own workflow (report status changes, answers to proposals) is in the audit log too, but it
is not moderation, so it is left out here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from moderation.kinds import KINDS
from moderation.models import ActionKind, FlagReason, ModerationAction, ModerationReason

MONTHS = 12
MODERATION_ACTIONS = tuple(kind for kind in ActionKind if kind not in (ActionKind.STATUS_CHANGE, ActionKind.ANSWER))


@dataclass(frozen=True)
class ActionCount:
    kind: str
    action: str
    reason: str
    count: int


@dataclass
class Month:
    month: date
    rows: list[ActionCount] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)


def first_day(now: datetime, months: int = MONTHS) -> datetime:
    """Midnight on the first day of the month ``months - 1`` months before ``now``'s, in the site's time zone."""
    local = timezone.localtime(now)
    index = local.year * 12 + local.month - 1 - (months - 1)
    return local.replace(year=index // 12, month=index % 12 + 1, day=1, hour=0, minute=0, second=0, microsecond=0)


def kind_label(code: str) -> str:
    if code in KINDS:
        return str(KINDS[code].label)
    if code == "user":  # suspensions are about an account, not an item
        return _("Account")
    return code


def reason_labels() -> dict[str, str]:
    """Every reason code the log may hold, with its label in the current language."""
    labels = {code: str(label) for code, label in FlagReason.choices}  # automatic hiding logs the flag's reason
    labels.update({reason.code: reason.label for reason in ModerationReason.objects.all()})
    return labels


def monthly_counts(now: datetime | None = None) -> list[Month]:
    """The last twelve months' moderation actions counted by kind of item, action and reason, newest month first."""
    since = first_day(now or timezone.now())
    rows = (
        ModerationAction.objects.filter(created_at__gte=since, action__in=MODERATION_ACTIONS)
        .annotate(month=TruncMonth("created_at"))
        .values("month", "kind", "action", "reason")
        .annotate(count=Count("pk"))
        .order_by()  # the model's ordering would split the groups
    )
    reasons = reason_labels()
    actions = {code: str(label) for code, label in ActionKind.choices}
    months: dict[date, Month] = {}
    for row in rows:
        month = timezone.localtime(row["month"]).date() if timezone.is_aware(row["month"]) else row["month"].date()
        entry = ActionCount(
            kind=kind_label(row["kind"]),
            action=actions.get(row["action"], row["action"]),
            reason=reasons.get(row["reason"], row["reason"]) if row["reason"] else "",
            count=row["count"],
        )
        months.setdefault(month, Month(month)).rows.append(entry)
    for month in months.values():
        month.rows.sort(key=lambda entry: (entry.kind, entry.action, entry.reason))
    return sorted(months.values(), key=lambda month: month.month, reverse=True)
