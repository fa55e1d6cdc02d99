"""What citizens write in Markdown is shown as safe HTML: no script, no raw HTML, marked links."""

from html.parser import HTMLParser

import pytest

from cocreate.safe_markdown import render


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """The tags and attributes a browser would build from ``html`` (escaped text is only text)."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Collector().feed(html)
    return found


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "Before <script>alert(1)</script> after",
        "<div>\n<script>alert(1)</script>\n</div>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    ],
    ids=["block", "inline", "inside a raw block", "upper case with src"],
)
def test_it_never_outputs_a_script_element(source):
    html = render(source)

    assert "script" not in [tag for tag, _attrs in elements(html)]
    assert "&lt;script" in html.lower()


@pytest.mark.parametrize(
    "source",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](java&#115;cript:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[click](vbscript:msgbox(1))",
        "<javascript:alert(1)>",
    ],
    ids=["javascript", "mixed case", "entity", "data", "vbscript", "autolink"],
)
def test_it_strips_links_that_would_run_code(source):
    hrefs = [attrs.get("href") for _tag, attrs in elements(render(source)) if "href" in attrs]

    assert hrefs == []


@pytest.mark.parametrize(
    ("source", "escaped"),
    [
        ("<b>bold</b>", "&lt;b&gt;bold&lt;/b&gt;"),
        ('<img src="x" onerror="alert(1)">', "&lt;img"),
        ('<a href="https://example.org">link</a>', "&lt;a href="),
        ("<style>body { display: none }</style>", "&lt;style&gt;"),
        ("<iframe src=https://example.org></iframe>", "&lt;iframe"),
        ("<!-- hidden -->", "&lt;!-- hidden --&gt;"),
    ],
    ids=["bold", "image with handler", "anchor", "style", "iframe", "comment"],
)
def test_it_escapes_raw_html_instead_of_interpreting_it(source, escaped):
    html = render(source)

    assert escaped in html
    assert [tag for tag, _attrs in elements(html)] == ["p"]


@pytest.mark.parametrize(
    "source",
    ["[the plan](https://example.org/plan)", "<https://example.org/plan>", "[write to us](mailto:city@example.org)"],
    ids=["link", "autolink", "mailto"],
)
def test_links_are_marked_nofollow_ugc(source):
    html = render(source)

    assert html.count("<a ") == 1
    assert 'rel="nofollow ugc"' in html
    assert 'href="https://example.org/plan"' in html or 'href="mailto:city@example.org"' in html


def test_a_link_cannot_bring_its_own_rel_or_handlers():
    html = render('[x](https://example.org "title" onclick="alert(1)")')

    for _tag, attrs in elements(html):
        assert not [name for name in attrs if name.startswith("on")]
        assert attrs.get("rel", "nofollow ugc") == "nofollow ugc"


def test_emphasis_lists_quotes_and_code_are_kept():
    html = render("*Shade* and **water** for `Jalan Braga`.\n\n- trees\n- benches\n\n1. plant\n2. water\n\n> a quote")

    assert "<em>Shade</em>" in html
    assert "<strong>water</strong>" in html
    assert "<code>Jalan Braga</code>" in html
    assert "<ul>\n<li>trees</li>\n<li>benches</li>\n</ul>" in html
    assert "<ol>\n<li>plant</li>\n<li>water</li>\n</ol>" in html
    assert "<blockquote>" in html


def test_images_are_not_embedded():
    assert "<img" not in render("![tracker](https://example.org/pixel.png)")


def test_ampersands_and_empty_text_are_safe():
    assert render("Taman & jalan") == "<p>Taman &amp; jalan</p>"
    assert render("") == ""
    assert render(None) == ""
