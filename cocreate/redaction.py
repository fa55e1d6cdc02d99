"""Finding and removing personal information in free text.

One place decides what looks like personal information: log lines, the open
datasets, the moderation queue and every public surface (pages, REST API, Open311,
the map layer, nearby reports) use these patterns. What citizens wrote is stored as
written; what others read is ``redact``-ed (see ``shown_text``), so the author and staff
still see the original. Where the public form is read in bulk (the open datasets, the
pages' HTML) it is stored beside the text when the text is written (``published_versions``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from citizens import roles
from cocreate import safe_markdown

REDACTED = "[redacted]"

# Top-level and common second-level domains: "name at domain dot com" is an address,
# "meet at the park dot five" is not.
TLDS = r"(?:com|net|org|info|biz|io|id|my|sg|co|go|ac|or|sch|web|edu|gov|mil)"
BRACKETED_AT = r"\s*(?:[\[({<]\s*(?:at|@)\s*[\])}>]|@)\s*"
BRACKETED_DOT = r"(?:\s*[\[({<]\s*(?:dot|\.)\s*[\])}>]\s*|\s+dot\s+|\.)"

PATTERNS: dict[str, re.Pattern[str]] = {
    # Each address pattern starts only where a word starts: scanning from inside one is quadratic.
    "email": re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE),
    # name [at] domain [dot] com, name(at)domain(dot)co(dot)id, name@domain dot com
    "obfuscated_email": re.compile(
        rf"(?<![\w.+-])[\w.+-]+{BRACKETED_AT}[\w-]+(?:{BRACKETED_DOT}[\w-]+)+", re.IGNORECASE | re.UNICODE
    ),
    # name at domain dot com: spelled-out words, ending in a known domain to spare ordinary sentences.
    "worded_email": re.compile(
        rf"(?<![\w.+-])[\w.+-]+\s+at\s+[\w-]+(?:\s+dot\s+[\w-]+)*?\s+dot\s+{TLDS}\b", re.IGNORECASE
    ),
    # A URL carrying a query string can hold tokens or personal data.
    "url_query": re.compile(r"\bhttps?://[^\s?#]+\?[^\s]*", re.IGNORECASE),
    # Malaysian MyKad: YYMMDD-PB-###G (the 12 digits alone are an id_number).
    "mykad": re.compile(r"(?<![\w.-])\d{6}-\d{2}-\d{4}(?![\w-])"),
    # Indonesian NIK (16 digits) and similar long identity numbers, whole or in groups of four.
    "id_number": re.compile(r"(?<![\d.])(?:\d{12,20}|\d{4}([ -])\d{4}\1\d{4}\1\d{4})(?![\d.])"),
    # Phone numbers: +62 812-3456-7890, 0812 3456 7890, 0812 34 56 78 90, 0812.3456.7890, (022) 123 4567.
    # The groups after the first separator share one separator, which keeps dates with times out.
    "phone": re.compile(
        r"(?<![\w+.,/-])(?:\+\d{1,3}[ .-]?|\(0\d{1,4}\)[ .-]?)?\d{1,13}(?:[ .-]\d{2,8}){0,5}(?![\w]|[.,-]\d)"
    ),
}

PHONE_DIGITS = (9, 15)


def _is_phone(text: str) -> bool:
    """A candidate is a phone number when it dials like one: 9 to 15 digits, from +, 0 or 62."""
    digits = re.sub(r"\D", "", text)
    if not PHONE_DIGITS[0] <= len(digits) <= PHONE_DIGITS[1]:
        return False
    if not (text.startswith(("+", "0", "(")) or digits.startswith("62")):
        return False
    body = re.sub(r"^(?:\+\d{1,3}[ .-]?|\(0\d{1,4}\)[ .-]?)", "", text)
    separators = set(re.findall(r"[ .-]", body))
    return len(separators) <= 1


CHECKS: dict[str, Callable[[str], bool]] = {"phone": _is_phone}

# Every pattern needs a digit, an @, a URL or the word "at": text without any is left alone at once.
CANDIDATE = re.compile(r"[\d@]|https?://|\bat\b|[\[({<]\s*at\s*[\])}>]", re.IGNORECASE)


def find_personal_data(text: str) -> list[tuple[str, int, int]]:
    """Return (kind, start, end) for every stretch of ``text`` that looks personal."""
    spans: list[tuple[str, int, int]] = []
    if not text or not CANDIDATE.search(text):
        return spans
    for kind, pattern in PATTERNS.items():
        check = CHECKS.get(kind)
        for match in pattern.finditer(text):
            if check is not None and not check(match.group()):
                continue
            if not any(start < match.end() and match.start() < end for _, start, end in spans):
                spans.append((kind, match.start(), match.end()))
    return sorted(spans, key=lambda span: span[1])


def redact(text: str) -> str:
    """Return ``text`` with every personal-looking stretch replaced by a marker."""
    if not text:
        return text
    pieces: list[str] = []
    position = 0
    for _, start, end in find_personal_data(text):
        if start < position:
            continue
        pieces.append(text[position:start])
        pieces.append(REDACTED)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def redact_value(value: object) -> object:
    """``redact`` every string inside a value: a text, a list, or an object's values (attribute answers)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: redact_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redact_value(item) for item in value]
    return value


def sees_original(viewer: object, item: object) -> bool:
    """The author of ``item`` and stepped-up staff read what was written; everyone else reads it redacted."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    return roles.reads_as_staff(viewer) or viewer.pk == getattr(item, "author_id", None)


def shown_text(item: object, field: str, viewer: object = None) -> object:
    """``item``'s ``field`` as ``viewer`` may read it: the original, or the public (redacted) text.

    A ``*_html`` field is stored as published, rendered from the redacted Markdown; its
    author and staff get the original rendered again.
    """
    if field.endswith("_html"):
        if sees_original(viewer, item):
            return safe_markdown.render(getattr(item, field.removesuffix("_html")))
        return getattr(item, field)
    value = getattr(item, field)
    return value if sees_original(viewer, item) else redact_value(value)


def shown_field(item: object, field: str, viewer: object = None) -> object:
    """As ``shown_text``, unless the item's own ``<field>_for(viewer)`` method decides for that field."""
    chooser = getattr(item, f"{field}_for", None)
    return chooser(viewer) if chooser else shown_text(item, field, viewer)


def published_html(markdown: str) -> str:
    """The HTML every reader gets for a Markdown text: rendered from the redacted source."""
    return safe_markdown.render(redact(markdown))


def published_versions(item: object, field: str, text: str) -> dict[str, str]:
    """What the public reads of ``text`` written to ``item``'s ``field``, for the fields a model keeps of it.

    A model keeps ``<field>_html`` (the page's HTML, ``published_html``) and ``redacted_<field>``
    (the open datasets' text, ``redact``) beside a text whose public form is stored: whoever
    writes the text writes these with it, in the same update.
    """
    names = {model_field.name for model_field in item._meta.concrete_fields}
    versions = {}
    if f"{field}_html" in names:
        versions[f"{field}_html"] = published_html(text)
    if f"redacted_{field}" in names:
        versions[f"redacted_{field}"] = redact(text)
    return versions


class RedactedFieldsMixin:
    """For a DRF serializer: the ``redacted_fields`` of its output as the requester may read them."""

    redacted_fields: tuple[str, ...] = ()

    def to_representation(self, item: object) -> dict:
        data = super().to_representation(item)  # type: ignore[misc]
        request = self.context.get("request")  # type: ignore[attr-defined]
        viewer = getattr(request, "user", None)
        for field in self.redacted_fields:
            if field in data:
                data[field] = shown_field(item, field, viewer)
        return data
