"""Forms of the moderation admin: every decision needs a preset reason and takes a note."""

from __future__ import annotations

from django import forms
from django.contrib.admin import helpers
from django.db import models
from django.utils.translation import gettext_lazy as _

from moderation import actions
from moderation.models import (
    ActionKind,
    ModerationReason,
)

DECISIONS = (
    (ActionKind.APPROVE, _("Approve")),
    (ActionKind.HIDE, _("Hide")),
    (ActionKind.REJECT, _("Reject")),
    (ActionKind.RESTORE, _("Restore")),
    (ActionKind.DISMISS_FLAGS, _("Dismiss the flags")),
)


class ReasonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ModerationReason) -> str:
        return obj.label  # in the page's language (moderation/translation.py)


class ReasonForm(forms.Form):
    """The preset reason and the optional note every moderation decision carries."""

    reason = ReasonChoiceField(
        label=_("Reason"),
        queryset=ModerationReason.objects.filter(active=True),
        to_field_name="code",
        empty_label=_("Choose a reason"),
        # Checked in QueueItemAdmin.response_action, so that a missing reason is named as such.
        required=False,
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=actions.NOTE_MAX, required=False)

    def __init__(self, *args, require_reason: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = require_reason

    def reason_and_note(self) -> dict[str, str]:
        return {"reason_code": self.cleaned_data["reason"].code, "note": self.cleaned_data["note"]}


class QueueActionForm(helpers.ActionForm, ReasonForm):
    field_order = ("action", "select_across", "reason", "note")


class DecisionForm(ReasonForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS)
    field_order = ("decision", "reason", "note")

    def carry_out(self, moderator, target: models.Model) -> str:
        decision = self.cleaned_data["decision"]
        actions.moderate(moderator=moderator, target=target, action=decision, **self.reason_and_note())
        return _("Done: %(action)s.") % {"action": ActionKind(decision).label}


class EditForm(ReasonForm):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8, "cols": 80}), strip=False)
    field_order = ("text", "reason", "note")

    def carry_out(self, moderator, target: models.Model) -> str:
        actions.content_edit(
            moderator=moderator, target=target, text=self.cleaned_data["text"], **self.reason_and_note()
        )
        return _("The text was changed; the previous version is in the history below.")


class PhotoRemovalForm(ReasonForm):
    def __init__(self, *args, photo: models.Model, **kwargs):
        super().__init__(*args, prefix=f"photo-{photo.pk}", require_reason=True, **kwargs)
        self.photo = photo

    def carry_out(self, moderator, target: models.Model) -> str:
        actions.moderate(moderator=moderator, target=self.photo, action=ActionKind.HIDE, **self.reason_and_note())
        return _("The photo was removed.")
