"""A citizen's flags and suspensions: their part of “download my data”, registered with
``citizens.personal_data`` when the app starts.

Which moderator acted is not the person's data and stays out. Deleting an account needs no
shredder here: flags and suspensions go with the account row, and the audit log keeps every
entry (those the person made lose their actor).
"""

from __future__ import annotations

from typing import Any

from citizens.models import User
from citizens.personal_data import register_export
from moderation.models import Flag, Suspension


def export_flags(user: User) -> list[dict[str, Any]]:
    flags = Flag.objects.filter(flagger=user).select_related("content_type").order_by("created_at", "pk")
    return [
        {
            "item": flag.content_type.model,
            "item_id": flag.object_id,
            "reason": flag.reason,
            "note": flag.note,
            "created_at": flag.created_at,
            "resolved_at": flag.resolved_at,
        }
        for flag in flags
    ]


def export_suspensions(user: User) -> list[dict[str, Any]]:
    suspensions = Suspension.objects.filter(user=user).select_related("reason").order_by("starts_at", "pk")
    return [
        {
            "reason": suspension.reason.label,
            "reason_code": suspension.reason.code,
            "note": suspension.note,
            "starts_at": suspension.starts_at,
            "ends_at": suspension.ends_at,
            "lifted_at": suspension.lifted_at,
        }
        for suspension in suspensions
    ]


def register() -> None:
    register_export("flags", export_flags, position=40)
    register_export("suspensions", export_suspensions, position=41)
