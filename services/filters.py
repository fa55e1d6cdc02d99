"""One filter of reports, and the parsing every surface shares.

The REST list and map layer (``service_code``, ``status``, ``since``, ``until``, ``bbox``), the
list and map pages (a filter form) and Open311's ``requests`` (``service_request_id``,
``service_code``, ``status`` as open/closed, ``start_date``, ``end_date``) keep the parameter
names their clients know; each reads them into one ``ReportFilter``, which narrows a queryset
the same way for all three. Each surface words its own errors: the parsers here raise
``ValueError`` and the surface answers in its format.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from cocreate import geo
from services.models import ReportQuerySet


@dataclass(frozen=True)
class ReportFilter:
    """What a list of reports is narrowed to; an empty field narrows nothing.

    ``bbox`` compares the published point (the queryset needs ``with_public_point``); ``near``
    is (lat, lon, metres) around the exact point; ``open311_statuses`` are ``open``/``closed``.
    """

    ids: tuple[int, ...] | None = None
    service_codes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    open311_statuses: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    bbox: tuple[float, float, float, float] | None = None
    near: tuple[float, float, float] | None = None

    def apply(self, reports: ReportQuerySet) -> ReportQuerySet:
        """``reports`` narrowed by every field that is set."""
        if self.ids is not None:
            reports = reports.filter(pk__in=self.ids)
        if self.service_codes:
            reports = reports.filter(service__service_code__in=self.service_codes)
        if self.statuses:
            reports = reports.filter(status__in=self.statuses)
        if self.open311_statuses:
            reports = reports.with_open311_status(list(self.open311_statuses))
        if self.since is not None:
            reports = reports.filter(created_at__gte=self.since)
        if self.until is not None:
            reports = reports.filter(created_at__lte=self.until)
        if self.bbox is not None:
            reports = reports.in_public_bbox(*self.bbox)
        if self.near is not None:
            reports = reports.near(*self.near)
        return reports


def split_values(text: str) -> list[str]:
    """The comma-separated values of a parameter, stripped, without blanks or repeats."""
    return list(dict.fromkeys(item.strip() for item in (text or "").split(",") if item.strip()))


def parse_moment(text: str, *, end_of_day: bool = False) -> datetime | None:
    """An ISO 8601 date or date-time in UTC, None when blank; ``ValueError`` when it is not one.

    A bare date is the start of that day, or its end with ``end_of_day``; a moment without an
    offset is read in the city's time zone.
    """
    text = (text or "").strip()
    if not text:
        return None
    try:
        day = parse_date(text)  # first: parse_datetime() would read a bare date as midnight
        moment = datetime.combine(day, time.max if end_of_day else time.min) if day else parse_datetime(text)
        if moment is None:
            raise ValueError(text)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        # The database compares in UTC: an offset that pushes the moment past year 9999 is no date we hold.
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError(text) from None


def local_day(day, *, end_of_day: bool = False) -> datetime:
    """The start (or end) of a calendar day in the city's time zone, as the pages' date fields mean it."""
    return datetime.combine(day, time.max if end_of_day else time.min, tzinfo=timezone.get_current_timezone())


def parse_bbox(text: str) -> tuple[float, float, float, float] | None:
    """``min_lon,min_lat,max_lon,max_lat``, None when blank (``cocreate.geo.parse_bbox`` checks it)."""
    return geo.parse_bbox(text) if text else None
