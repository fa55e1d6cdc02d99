"""The "My reports" section of the account page."""

from __future__ import annotations

from django import template

from services.models import Report

register = template.Library()


@register.inclusion_tag("services/_account_reports.html")
def account_reports(user) -> dict[str, object]:
    """The person's reports, the most recently updated first, with their service, in one query."""
    return {"my_reports": Report.objects.reported_by(user).select_related("service")}
