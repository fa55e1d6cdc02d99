"""Fixtures shared by the services tests."""

import pytest


@pytest.fixture
def media(settings, tmp_path):
    """Uploads go to a temporary folder; absolute links start https://city.example."""
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = "https://city.example"
