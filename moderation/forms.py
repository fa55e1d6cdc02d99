"""The citizen's flag form; the rules (reason, note, who may flag) live in ``moderation.actions``."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from moderation.models import NOTE_MAX, FlagReason


class FlagForm(forms.Form):
    reason = forms.ChoiceField(label=_("What is wrong with it?"), choices=FlagReason.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note for the moderators"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you choose “Other”. Moderators read it; it is never published."),
    )

    def add_action_errors(self, error: ValidationError) -> None:
        """Show the errors of ``flag_create`` beside the fields they concern."""
        for key, messages in error.message_dict.items():
            for message in messages:
                self.add_error(key if key in self.fields else None, message)
