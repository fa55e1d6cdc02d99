"""Forms of the report pages. Validation rules live in services.actions; these only collect input."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from cocreate.forms import coordinate_field
from services.attributes import STRING_MAX
from services.models import (
    ADDRESS_MAX,
    COMMENT_MAX,
    DESCRIPTION_MAX,
    REJECTION_REASON_MAX,
    STATUS_NOTE_MAX,
    ReportStatus,
    Service,
    ServiceAttribute,
)
from services.photos import MAX_PHOTOS

ATTRIBUTE_PREFIX = "attribute_"


def _interpolate(text, **values) -> str:
    return str(text) % values


# Interpolated when rendered, so the text is in the page's language, not the one active at import.
lazy_format = lazy(_interpolate, str)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultiplePhotoField, self).clean(item, initial) for item in files]


def attribute_field(attribute: ServiceAttribute) -> forms.Field:
    label = attribute.description
    # Required answers are checked by the action, with every other rule, in one pass.
    common = {"label": label, "required": False}
    Datatype = ServiceAttribute.Datatype
    if attribute.datatype == Datatype.SINGLEVALUELIST:
        choices = [("", _("Choose…"))] + [(value.key, value.name) for value in attribute.values.all()]
        return forms.ChoiceField(choices=choices, **common)
    if attribute.datatype == Datatype.MULTIVALUELIST:
        choices = [(value.key, value.name) for value in attribute.values.all()]
        return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
    if attribute.datatype == Datatype.NUMBER:
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    if attribute.datatype == Datatype.DATETIME:
        return forms.CharField(
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
            help_text=attribute.datatype_description,
            **common,
        )
    if attribute.datatype == Datatype.TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    return forms.CharField(max_length=STRING_MAX, **common)


class ReportForm(forms.Form):
    """The report form of one service: the place, its questions, photos, the description, and for a
    visitor without an account the email address the report is confirmed through."""

    lat = coordinate_field(_("Latitude"))
    lon = coordinate_field(_("Longitude"))
    address = forms.CharField(
        label=_("Address or landmark"),
        max_length=ADDRESS_MAX,
        required=False,
        help_text=_("If you cannot use the map, describe where it is: street, number, nearby landmark."),
    )
    description = forms.CharField(
        label=_("What is the problem?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": DESCRIPTION_MAX}),
        help_text=_("Up to 4,000 characters. Do not include phone numbers or other personal details."),
    )
    photos = MultiplePhotoField(
        label=_("Take a photo"),
        required=False,
        # ``capture`` opens the camera at once; the gallery input beside it picks saved photos.
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment", "class": "photo-input"}),
        help_text=lazy_format(
            _("Up to %(count)d photos (JPEG, PNG or WebP, 10 MB each). Location data is removed from them."),
            count=MAX_PHOTOS,
        ),
    )
    show_name = forms.BooleanField(
        label=_("Show my display name on this report"),
        required=False,
        help_text=_("Off by default: the report is published without your name."),
    )
    email = forms.CharField(
        label=_("Your email address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send you a link: your report is published once you tap it. It is never shown publicly."),
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("Never shown publicly."),
    )

    def __init__(self, *args, service: Service, visitor: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        self.visitor = visitor
        for name in ("email", "name") if not visitor else ("show_name",):
            del self.fields[name]
        for attribute in service.attributes.all():
            if attribute.variable:
                self.fields[ATTRIBUTE_PREFIX + attribute.code] = attribute_field(attribute)

    def attribute_fields(self):
        return [self[name] for name in self.fields if name.startswith(ATTRIBUTE_PREFIX)]

    def answers(self) -> dict[str, object]:
        return {
            name.removeprefix(ATTRIBUTE_PREFIX): value
            for name, value in self.cleaned_data.items()
            if name.startswith(ATTRIBUTE_PREFIX)
        }

    def add_action_errors(self, error: ValidationError) -> None:
        """Show the errors of ``report_create`` beside the fields they concern."""
        codes = {name.removeprefix(ATTRIBUTE_PREFIX) for name in self.fields if name.startswith(ATTRIBUTE_PREFIX)}
        # A field the form's own check refused already says what is wrong with it.
        refused = set(self.errors)
        for key, messages in error.message_dict.items():
            for message in messages:
                field, text = None, message
                if key == "attributes":
                    code, _sep, rest = message.partition(": ")
                    if code in codes:
                        field, text = ATTRIBUTE_PREFIX + code, rest
                elif key in ("lat", "lon", "location"):
                    field = "lat"
                elif key in self.fields:
                    field = key
                if field is None or field not in refused:
                    self.add_error(field, text)

    @property
    def location_errors(self) -> list[str]:
        return [*self.errors.get("lat", []), *self.errors.get("lon", [])]


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    show_name = forms.BooleanField(label=_("Show my display name"), required=False)


class ReopenForm(forms.Form):
    note = forms.CharField(label=_("What did you see? (optional)"), required=False, max_length=STATUS_NOTE_MAX)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=ReportStatus.choices)
    note = forms.CharField(
        label=_("Public note"), required=False, max_length=STATUS_NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    duplicate_of = forms.IntegerField(label=_("Original report number (for duplicates)"), required=False, min_value=1)
    rejection_reason = forms.CharField(
        label=_("Reason (for rejections)"), required=False, max_length=REJECTION_REASON_MAX
    )


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Service) -> str:
        """The service's name in the page's language."""
        return obj.name


class MapFilterForm(forms.Form):
    """The filters of the map: a service and a status."""

    service = ServiceChoiceField(
        label=_("Service"),
        queryset=Service.objects.active(),
        required=False,
        to_field_name="service_code",
        empty_label=_("All services"),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *ReportStatus.choices], required=False
    )


class ReportFilterForm(MapFilterForm):
    """The filters of the list: the map's, and dates and a point."""

    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    near = forms.CharField(
        label=_("Near (latitude, longitude)"),
        required=False,
        help_text=_("Reports within 1 km of this point."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "-6.9147, 107.6098"}),
    )

    def clean_near(self):
        value = self.cleaned_data["near"].strip()
        if not value:
            return None
        parts = [part.strip() for part in value.split(",")]
        try:
            lat, lon = (float(part) for part in parts)
        except ValueError:
            raise ValidationError(_("Type a latitude and a longitude separated by a comma.")) from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValidationError(_("Type a latitude and a longitude separated by a comma."))
        return lat, lon
