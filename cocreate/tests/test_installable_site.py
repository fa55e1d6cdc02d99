"""What a phone needs to install the site: a favicon, touch icons and a web app manifest."""

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_favicon_is_served_at_the_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"


def test_robots_txt_keeps_crawlers_out_of_accounts_and_admin(client):
    body = b"".join(client.get("/robots.txt").streaming_content).decode()
    assert "Disallow: /admin/" in body
    assert "Disallow: /accounts/" in body


def test_every_page_links_the_manifest_icons_and_theme_colour(client):
    html = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert '<meta name="theme-color" content="#0b5d3b">' in html
    assert 'rel="apple-touch-icon"' in html


def test_the_manifest_names_the_site_its_colours_and_icons_for_home_screens(client, settings):
    settings.SITE_NAME = "Lapor Bandung"
    response = client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "Lapor Bandung"
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/"
    assert (manifest["theme_color"], manifest["background_color"]) == ("#0b5d3b", "#ffffff")
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix(settings.STATIC_URL).removeprefix("/static/"))
        assert path, icon["src"]
        assert icon["sizes"] == "x".join([re.search(r"-(\d+)\.png$", icon["src"]).group(1)] * 2)


def test_the_api_docs_page_has_no_inline_script_or_style(client):
    html = client.get("/api/docs/").content.decode()
    assert "<style" not in html
    assert re.findall(r"<script>", html) == []
    script = re.search(r'<script src="(/api/docs/\?[^"]*script=[^"]*)"', html)
    assert script, html
    initialiser = client.get(script.group(1).replace("&amp;", "&"))
    assert initialiser.status_code == 200
    assert initialiser["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in initialiser.content.decode()
