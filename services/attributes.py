"""Checking the answers to a service's questions (Open311 attributes)."""

from __future__ import annotations

import math
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from services.models import Service, ServiceAttribute

STRING_MAX = 255
TEXT_MAX = 4000


def clean_attributes(service: Service, raw: Mapping[str, object]) -> dict[str, object]:
    """Return the answers keyed by attribute code, or raise with one message per bad attribute.

    Unknown codes are ignored; list answers are stored as their keys.
    """
    if not isinstance(raw, Mapping):
        raise ValidationError({"attributes": _("Answers must be an object keyed by attribute code.")})
    cleaned: dict[str, object] = {}
    errors: dict[str, str] = {}
    for attribute in service.attributes.all():
        if not attribute.variable:
            continue
        value = raw.get(attribute.code)
        if isinstance(value, str):
            value = value.strip()  # a required answer of only spaces is no answer
        if value in (None, "", []):
            if attribute.required:
                errors[attribute.code] = _("This answer is required.")
            continue
        try:
            cleaned[attribute.code] = clean_value(attribute, value)
        except ValueError as error:
            errors[attribute.code] = str(error)
    if errors:
        raise ValidationError({"attributes": [f"{code}: {message}" for code, message in errors.items()]})
    return cleaned


def clean_value(attribute: ServiceAttribute, value: object) -> object:
    datatype = attribute.datatype
    Datatype = ServiceAttribute.Datatype
    if datatype in (Datatype.STRING, Datatype.TEXT):
        if isinstance(value, dict | list | tuple):
            raise ValueError(_("Send text here, not a list or an object."))
        text = str(value).strip()
        limit = STRING_MAX if datatype == Datatype.STRING else TEXT_MAX
        if len(text) > limit:
            raise ValueError(_("Use at most %(limit)d characters.") % {"limit": limit})
        return text
    if datatype == Datatype.NUMBER:
        try:
            number = float(str(value))
        except ValueError:
            raise ValueError(_("Enter a number.")) from None
        if not math.isfinite(number):
            raise ValueError(_("Enter a finite number."))
        return int(number) if number.is_integer() else number
    if datatype == Datatype.DATETIME:
        try:
            moment = parse_datetime(str(value))
        except ValueError:  # well formed but impossible, such as month 13
            moment = None
        if moment is None:
            raise ValueError(_("Enter a date and time such as 2026-11-02T08:30:00+07:00."))
        return moment.isoformat()
    keys = {choice.key for choice in attribute.values.all()}
    if datatype == Datatype.SINGLEVALUELIST:
        if isinstance(value, list | tuple):
            if len(value) != 1:
                raise ValueError(_("Choose one value."))
            value = value[0]
        if str(value) not in keys:
            raise ValueError(_("Choose one of the listed values."))
        return str(value)
    chosen = [str(item) for item in (value if isinstance(value, list | tuple) else [value])]
    if any(item not in keys for item in chosen):
        raise ValueError(_("Choose only listed values."))
    return list(dict.fromkeys(chosen))


def describe_answers(service: Service, answers: Mapping[str, object]) -> list[tuple[str, str]]:
    """(question, answer) pairs in the page's language, for the report page."""
    described = []
    for attribute in service.attributes.all():
        if attribute.code not in answers:
            continue
        value = answers[attribute.code]
        if attribute.is_list:
            names = {choice.key: choice.name for choice in attribute.values.all()}
            keys = value if isinstance(value, list) else [value]
            value = ", ".join(names.get(key, key) for key in keys)
        described.append((attribute.description, str(value)))
    return described
