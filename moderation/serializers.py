"""What the REST API reads and writes for flags. Shapes and types only: the rules live in
``moderation.actions.flag_create``."""

from __future__ import annotations

from rest_framework import serializers

from moderation.kinds import flaggable
from moderation.models import NOTE_MAX, FlagReason


class FlagCreateSerializer(serializers.Serializer):
    # Its choices are the kinds the content apps registered at start-up (see ``__init__``).
    target = serializers.ChoiceField(choices=(), help_text="The kind of item.")
    id = serializers.IntegerField(min_value=1, help_text="The item's id.")
    reason = serializers.ChoiceField(choices=FlagReason.choices)
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=NOTE_MAX, help_text="Required with the reason `other`."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = flaggable()


class FlagSerializer(serializers.Serializer):
    """A flag as its author sees it; ``created`` is false when they had already flagged the item."""

    id = serializers.IntegerField()
    target = serializers.CharField()
    reason = serializers.CharField()
    created = serializers.BooleanField()
