"""Every main page speaks Bahasa Indonesia when asked: no English label, topic or map word left."""

import pytest

from proposals.tests.factories import ProposalFactory
from services.catalogue import catalogue_load
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

# English that a page once showed to an Indonesian visitor, or easily could.
ENGLISH = [
    "Report a problem",
    "Log in",
    "Sign up",
    "Sign In",
    "Password",
    "All services",
    "Any status",
    "Zoom in",
    "Zoom out",
    "reports shown",
    "Legend",
    ">Mobility<",  # a topic shown (its value stays the English group)
    ">Lighting<",
    "My reports",
    "Language",
]


@pytest.fixture
def pages(citizen):
    services = catalogue_load()
    report = ReportFactory(service=services[0], reporter=citizen)
    lighting = next(service for service in services if service.group == "Lighting")
    proposal = ProposalFactory(topic=lighting.group)
    return [
        "/",
        "/report/",
        "/reports/",
        "/reports/map/",
        f"/reports/{report.pk}/",
        "/proposals/",
        f"/proposals/{proposal.pk}/",
        "/proposals/new/",
        "/data/",
        "/moderation/",
        "/accounts/profile/",
    ]


def test_no_english_is_left_on_the_main_pages_in_indonesian(client, citizen, pages):
    citizen.preferred_language = "id"
    citizen.save()
    client.force_login(citizen)
    left = []
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.content.decode()
        assert '<html lang="id">' in page, path
        left += [f"{path}: {phrase!r}" for phrase in ENGLISH if phrase in page]
    assert not left, "English on Indonesian pages:\n" + "\n".join(left)


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"])
def test_no_english_is_left_on_the_account_pages_in_indonesian(client, path):
    client.cookies["django_language"] = "id"
    page = client.get(path).content.decode()
    assert [phrase for phrase in ENGLISH if phrase in page] == []
