"""The forms of the operator workspace: acknowledge a report, answer one, answer several.

They check shapes only; the rules (a disputed answer needs its reason, the photo must be a real
image, the report must be the operator's and still open) live in ``operators.actions``.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from operators.models import OUTCOME_NOTE_MAX, Outcome

# One queue page's worth: more would hold every report's lock in one long transaction.
BULK_MAX = 100


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the public (optional)"),
        required=False,
        max_length=OUTCOME_NOTE_MAX,
        help_text=_("Shown on the report's public page, for example when a crew will come."),
    )


def outcome_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("What did you do?"),
        choices=[("", _("Choose an outcome")), *Outcome.choices],
        error_messages={"required": _("Choose an outcome.")},
    )


def note_field() -> forms.CharField:
    return forms.CharField(
        label=_("Public note"),
        required=False,
        max_length=OUTCOME_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the report's public page. Required when you dispute the report: say why."),
    )


class ResolveForm(forms.Form):
    outcome = outcome_field()
    note = note_field()
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        help_text=_("Shown on the report's page once processed; its location data is removed."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"}),
    )


class ReportIdsField(forms.Field):
    """The report numbers ticked on the queue (whose they are is the action's to decide)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Tick the reports you answered."),
        "invalid": _("Choose reports from the list."),
        "too_many": _("Answer at most %(limit)d reports at once."),
    }

    def to_python(self, value: object) -> list[int]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        try:
            ids = list(dict.fromkeys(int(item) for item in values))
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if any(pk < 1 for pk in ids):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if len(ids) > BULK_MAX:
            raise forms.ValidationError(self.error_messages["too_many"], code="too_many", params={"limit": BULK_MAX})
        return ids

    def validate(self, value: list[int]) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class BulkResolveForm(forms.Form):
    report = ReportIdsField(label=_("Reports"))
    outcome = outcome_field()
    note = note_field()
