"""What citizens write comes back as written in ``body`` and as safe HTML in ``body_html``."""

from html.parser import HTMLParser

import pytest

from proposals.models import Proposal

pytestmark = pytest.mark.django_db

HOSTILE = "\n\n".join(
    [
        "Intro <script>alert(1)</script>",
        "<script src=//evil.example/x.js></script>",
        "[click me](javascript:alert(1))",
        '<img src=x onerror="alert(1)">',
        '<div style="position:fixed">raw <b>html</b></div>',
        "<iframe src=https://evil.example></iframe>",
        "A [fair link](https://example.org/trees).",
    ]
)


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """The tags and attributes a browser would build from ``html`` (escaped text is only text)."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Collector().feed(html)
    return found


def assert_safe(html: str) -> None:
    tags = elements(html)
    assert {tag for tag, _ in tags} <= {"p", "a"}, tags
    for _tag, attributes in tags:
        assert set(attributes) <= {"href", "rel"}, attributes
        assert not (attributes.get("href") or "").lower().startswith("javascript:")
    assert "javascript:" not in html
    assert "&lt;script&gt;" in html


def test_scripts_javascript_links_and_raw_html_come_back_escaped_or_stripped(client, citizen):
    client.force_login(citizen)
    data = {"title": "Safe", "summary": "Safe", "body": HOSTILE}
    response = client.post("/api/v1/proposals/", data, content_type="application/json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["body"] == HOSTILE
    assert_safe(created["body_html"])
    assert '<a href="https://example.org/trees" rel="nofollow ugc">fair link</a>' in created["body_html"]
    listed = client.get(f"/api/v1/proposals/{created['id']}/").json()
    assert listed["body_html"] == created["body_html"]


def test_an_edit_is_rendered_as_safely(client, citizen):
    client.force_login(citizen)
    data = {"title": "Safe", "summary": "Safe", "body": "Plain"}
    proposal_id = client.post("/api/v1/proposals/", data, content_type="application/json").json()["id"]
    response = client.patch(f"/api/v1/proposals/{proposal_id}/", {"body": HOSTILE}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert_safe(response.json()["body_html"])
    assert_safe(Proposal.objects.get().body_html)


def test_a_comment_is_rendered_as_safely(client, citizen, other_citizen):
    client.force_login(citizen)
    data = {"title": "Safe", "summary": "Safe"}
    proposal_id = client.post("/api/v1/proposals/", data, content_type="application/json").json()["id"]
    client.force_login(other_citizen)
    url = f"/api/v1/proposals/{proposal_id}/comments/"
    response = client.post(url, {"body": HOSTILE}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["body"] == HOSTILE
    assert_safe(response.json()["body_html"])
    assert_safe(client.get(url).json()["results"][0]["body_html"])
