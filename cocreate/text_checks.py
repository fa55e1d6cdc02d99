"""One check for the free text citizens and clients send: what every write refuses before saving.

Control characters (NUL, escape codes, bell...) have no place in a title or an address and
PostgreSQL refuses NUL outright; a multi-line text keeps its line breaks and tabs. Django
decodes bytes that are not UTF-8 into U+FFFD, and a JSON body can carry lone surrogates
that no database can encode: both are refused rather than stored as mojibake.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# C0 and C1 control characters and DEL; \t, \n and \r are allowed in multi-line text only.
CONTROL_IN_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
NOT_UTF8 = re.compile(r"[\ufffd\ud800-\udfff]")


def text_problem(value: object, *, multiline: bool = True) -> str | None:
    """The message explaining why ``value`` cannot be stored as text, or None when it can."""
    if not isinstance(value, str):
        return _("Send text here, not a list or an object.")
    if NOT_UTF8.search(value):
        return _("This text holds bytes that are not valid UTF-8; send it encoded as UTF-8.")
    if (CONTROL_IN_TEXT if multiline else CONTROL_IN_LINE).search(value):
        if multiline:
            return _("Remove the control characters: only line breaks and tabs are allowed.")
        return _("Remove the control characters: this field is a single line of text.")
    return None


def clean_text(
    value: object, *, limit: int | None = None, required: bool = False, multiline: bool = True, missing: str = ""
) -> str:
    """``value`` without surrounding spaces, or a ValidationError with the one thing wrong with it:
    not storable as text, missing (``missing`` says so when given), or longer than ``limit``."""
    text = value.strip() if isinstance(value, str) else value or ""
    if problem := text_problem(text, multiline=multiline):
        raise ValidationError(problem)
    if required and not text:
        raise ValidationError(missing or _("This field is required."))
    if limit is not None and len(text) > limit:
        raise ValidationError(_("Use at most %(limit)d characters.") % {"limit": limit})
    return text
