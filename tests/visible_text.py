"""The text a reader sees on a page, to compare a page in two languages.

Text inside ``<script>``, ``<style>``, ``<template>`` and ``<code>`` is left out, and so is any
element that says it is in another language (``lang``, as the language menu's options do) or
is not to be translated (``translate="no"``). The words people read in attributes
(``placeholder``, ``title``, ``alt``, ``aria-label``) count too.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

SKIPPED = {"script", "style", "template", "code", "kbd", "samp"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
READ_ATTRIBUTES = ("placeholder", "title", "alt", "aria-label")
SPACES = re.compile(r"\s+")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.skipping: list[str] = []  # the tags of the open elements being left out

    def _add(self, text: str | None) -> None:
        text = SPACES.sub(" ", text or "").strip()
        if text:
            self.texts.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if self.skipping:
            if tag == self.skipping[-1] and tag not in VOID:
                self.skipping.append(tag)
            return
        if tag in SKIPPED or attributes.get("translate") == "no" or (tag != "html" and "lang" in attributes):
            if tag not in VOID:
                self.skipping.append(tag)
            return
        for name in READ_ATTRIBUTES:
            self._add(attributes.get(name))
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self._add(attributes.get("value"))

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and tag == self.skipping[-1]:
            self.skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self._add(data)


def visible_texts(html: str) -> set[str]:
    """The page's text nodes and read attributes, each with its spaces collapsed."""
    collector = _Collector()
    collector.feed(html)
    return set(collector.texts)
