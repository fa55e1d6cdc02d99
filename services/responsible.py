"""Who answers for a report besides the city: the seam through which another content app (the
mobility operators) takes part in a report's life without ``services`` knowing it.

An app registers one ``Responsible`` at start-up (``AppConfig.ready()``). ``services`` then

- asks it to annotate report querysets with ``responsible_slug`` and ``responsible_name``, so
  the REST API names the operator and Open311 gives it as ``agency_responsible``;
- asks it whether an account may change a report's status acting for that party;
- tells it when a report may need routing (made, confirmed) and of every status change, inside
  the write's transaction, so a reopening counts against the party that resolved it;
- asks it for what the report's page shows about the party (its name, link and deadline), and
  for the photos the party sent with its updates, shown next to them on the timeline.

With nothing registered a report has no responsible party and only city staff act on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet, Value
from django.db.models.fields import CharField


@dataclass(frozen=True)
class Responsible:
    annotate: Callable[[QuerySet], QuerySet]
    may_act: Callable[[Any, Any], bool]
    report_made: Callable[[Any], None]
    status_changed: Callable[[Any], None]
    summary: Callable[[Any], dict | None]
    timeline_photos: Callable[[Any], dict[int, list]] = field(default=lambda report: {})


_registered: list[Responsible] = []


def register(responsible: Responsible) -> None:
    if responsible not in _registered:
        _registered.append(responsible)


def annotate(queryset: QuerySet) -> QuerySet:
    """``responsible_slug`` and ``responsible_name`` on each report (null when none answers for it)."""
    if not _registered:
        return queryset.annotate(
            responsible_slug=Value(None, output_field=CharField()),
            responsible_name=Value(None, output_field=CharField()),
        )
    for responsible in _registered:
        queryset = responsible.annotate(queryset)
    return queryset


def may_act(user, report) -> bool:
    """Whether ``user`` acts for the party responsible for ``report``."""
    return any(responsible.may_act(user, report) for responsible in _registered)


def report_made(report) -> None:
    """A report was made or confirmed: the party may want to take it (called inside the transaction)."""
    for responsible in _registered:
        responsible.report_made(report)


def status_changed(update) -> None:
    """A report's status changed (called inside the transaction, after the update is recorded)."""
    for responsible in _registered:
        responsible.status_changed(update)


def summary(report) -> dict | None:
    """What the report's page says of the party answering for it, or None."""
    for responsible in _registered:
        found = responsible.summary(report)
        if found:
            return found
    return None


def timeline_photos(report) -> dict[int, list]:
    """Photos the party sent with its public updates of ``report``, by update id (public ones only)."""
    found: dict[int, list] = {}
    for responsible in _registered:
        for update_id, photos in responsible.timeline_photos(report).items():
            found.setdefault(update_id, []).extend(photos)
    return found
