"""Forms of the proposal pages. Validation rules live in proposals.actions; these collect input,
and carry the same limits so that browsers and screen readers know them too.

Help texts spell the limits out rather than interpolating them: ``gettext_lazy(...) % values``
would be translated once, at import, in the default language."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cocreate.forms import coordinate_field
from proposals.models import (
    ANSWER_STATUSES,
    BODY_MAX,
    COMMENT_MAX,
    OTHER_TOPIC,
    SORTS,
    SUMMARY_MAX,
    TITLE_MAX,
    ProposalStatus,
)
from services.models import Service

SORT_LABELS = {
    "supported": _("Most supported"),
    "newest": _("Newest"),
    "closing": _("Closing soon"),
    "answered": _("Recently answered"),
}


def topic_labels() -> dict[str, str]:
    """Each topic's name in the page's language: the catalogue's service groups, and "Other"."""
    return {**Service.objects.active().group_labels(), OTHER_TOPIC: _("Other")}


def topic_field_choices(labels: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """The topics as (value, label): the catalogue's service groups, sorted, then "Other"."""
    labels = labels if labels is not None else topic_labels()
    return [(topic, labels[topic]) for topic in [*sorted(set(labels) - {OTHER_TOPIC}), OTHER_TOPIC]]


class ProposalForm(forms.Form):
    """What a citizen proposes; the same form, without the image, edits it."""

    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
        help_text=_("A short sentence saying what should change (up to 120 characters)."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown in the list of proposals (up to 300 characters)."),
    )
    body = forms.CharField(
        label=_("Your proposal in detail"),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Optional, up to 10,000 characters. You can use Markdown: *italic*, **bold**, "
            "lists starting with “-”, and links written as [text](https://example.org)."
        ),
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=())
    lat = coordinate_field(_("Latitude"))
    lon = coordinate_field(_("Longitude"))
    image = forms.FileField(
        label=_("Image"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
        help_text=_("Optional: one photo or drawing (JPEG, PNG or WebP, 10 MB). Location data is removed from it."),
    )
    show_name = forms.BooleanField(
        label=_("Show my display name on this proposal"),
        required=False,
        help_text=_("Off by default: the proposal is published without your name."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = topic_field_choices()
        self.fields["topic"].initial = OTHER_TOPIC

    def add_action_errors(self, error: ValidationError) -> None:
        """Show the errors of ``proposal_create`` or ``proposal_update`` beside the fields they concern."""
        for key, messages in error.message_dict.items():
            field = "lat" if key == "location" else key
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class ProposalEditForm(ProposalForm):
    """The author's changes while nobody has supported or commented yet (the image stays)."""

    image = None


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    show_name = forms.BooleanField(label=_("Show my display name"), required=False)
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class CommentEditForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 4}))


class AnswerForm(forms.Form):
    """The city's official answer."""

    status = forms.ChoiceField(
        label=_("New status"), choices=[(status.value, status.label) for status in ANSWER_STATUSES]
    )
    answer = forms.CharField(
        label=_("Official answer"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Published on the proposal page and emailed to the author, supporters and followers."),
    )


class ProposalFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search proposals"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "enterkeyhint": "search"}),
    )
    topic = forms.ChoiceField(label=_("Topic"), required=False, choices=())
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *ProposalStatus.choices]
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=[(key, SORT_LABELS[key]) for key in SORTS])

    def __init__(self, *args, topic_labels: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("All topics")), *topic_field_choices(topic_labels)]
