"""``{% shown item "field" %}``: a text as the page's reader may read it (``cocreate.redaction.shown_field``)."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

from cocreate.redaction import redact, shown_field

register = template.Library()


@register.simple_tag(takes_context=True)
def shown(context: template.Context, item: object, field: str) -> str:
    """The original for the item's author and staff, the redacted public text for everyone else.

    A ``*_html`` field is HTML rendered by ``cocreate.safe_markdown`` and is marked safe.
    """
    text = shown_field(item, field, context.get("user"))
    return mark_safe(text) if field.endswith("_html") else text  # noqa: S308 - sanitised by safe_markdown


@register.filter
def redacted(text: str) -> str:
    """The public text, whoever reads it (emails to followers, for instance)."""
    return redact(text)
