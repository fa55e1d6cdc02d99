"""How the operator pages show a figure: a share as a percentage, hours as a duration, a rate
with one decimal, and "none yet" where there is nothing to count."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from cocreate.charts import duration, number, percent

register = template.Library()


@register.filter
def share(value: float | None) -> str:
    return _("none yet") if value is None else percent(value)


@register.filter
def hours(value: float | None) -> str:
    return _("none yet") if value is None else duration(value)


@register.filter
def rate(value: float | None) -> str:
    return _("none yet") if value is None else number(value, 1)
