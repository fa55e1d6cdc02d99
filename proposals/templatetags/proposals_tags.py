"""Template helpers of the proposal pages, and the proposals section of the account page."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from proposals.models import OTHER_TOPIC, Proposal

register = template.Library()


@register.filter
def topic_label(topic: str, labels: dict[str, str] | None = None) -> str:
    """The topic as shown: a service group's name (from ``labels``, in the page's language), or "Other"."""
    if topic == OTHER_TOPIC:
        return _("Other")
    return (labels or {}).get(topic, topic)


@register.inclusion_tag("proposals/_account_section.html")
def account_proposals(user) -> dict[str, object]:
    """The person's proposals and the proposals they support, in two queries."""
    return {
        "own_proposals": Proposal.objects.filter(author=user).order_by("-created_at", "-pk"),
        "supported_proposals": Proposal.objects.readable_by(user)
        .filter(supports__user=user)
        .order_by("-supports__created_at", "-pk"),
    }
