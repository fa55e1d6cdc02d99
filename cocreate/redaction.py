"""Finding and removing personal information in free text.

One place decides what looks like personal information: log lines, the open
datasets and the moderation queue all use these patterns.
"""

from __future__ import annotations

import re

REDACTED = "[redacted]"

PATTERNS: dict[str, re.Pattern[str]] = {
    "email": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE),
    # A URL carrying a query string can hold tokens or personal data.
    "url_query": re.compile(r"\bhttps?://[^\s?#]+\?[^\s]*", re.IGNORECASE),
    # Indonesian NIK (16 digits) and similar long identity numbers.
    "id_number": re.compile(r"(?<![\d.])\d{12,20}(?![\d.])"),
    # Phone numbers: +62 812-3456-7890, 0812 3456 7890, (022) 123 4567 ...
    "phone": re.compile(r"(?<![\w+])(?:\+?\d{1,3}[\s.-]?)?(?:\(?\d{2,4}\)?[\s.-]?)\d{3,4}[\s.-]?\d{3,5}(?!\w)"),
}


# Every pattern needs a digit, an @ or a URL: text without any is left alone at once.
CANDIDATE = re.compile(r"[\d@]|https?://", re.IGNORECASE)


def find_personal_data(text: str) -> list[tuple[str, int, int]]:
    """Return (kind, start, end) for every stretch of ``text`` that looks personal."""
    spans: list[tuple[str, int, int]] = []
    if not text or not CANDIDATE.search(text):
        return spans
    for kind, pattern in PATTERNS.items():
        for match in pattern.finditer(text):
            if not any(start <= match.start() < end for _, start, end in spans):
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
