"""Every main page speaks each site language: no English sentence or label is left on it.

Each page is rendered in English and in the other language; every text of the English page
that reads as words (see ``is_wording``) must be absent from the other page. Names that are
the same in every language (the site's, the standards', the demo content's, what citizens
wrote) are allowed, and so are the few words a language borrows from English as they are
(``SAME_IN``). A language fails here until its catalogue is committed.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from operators.tests.factories import OperatorFactory
from proposals.tests.factories import ProposalFactory
from services.catalogue import catalogue_load
from services.tests.factories import ReportFactory
from tests.visible_text import visible_texts

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# Names that are the same in every language, each language's name in itself among them.
NAMES = {"CoCreate", "Open311", "OpenStreetMap", "Leaflet", *(name for _code, name in settings.LANGUAGES)}
# Words a language writes as English does (checked by a speaker; keep these lists short).
SAME_IN: dict[str, set[str]] = {
    "id": {"Email", "Status", "Menu", "Filter", "Operator", "Total", "Data", "Moped", "Spam"},
    "ms": {"Menu", "Status", "Status:", "Email", "Data", "Moped", "Spam", "Total"},
    "vi": {"Menu", "Email", "Email:"},
}
MONTHS = {
    *[
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    *["Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "a.m", "p.m", "am", "pm"],
}
WORD = re.compile(r"[A-Za-z]{2,}")
# A technical name shown as it is: a file name, a data type, a licence (no space, lower case or
# with dots, dashes or digits), or a code in capitals (API, GBFS, IDR).
IDENTIFIER = re.compile(r"^(?:[a-z0-9_.\-]+|[A-Za-z0-9]+[._\-][A-Za-z0-9._\-]*)$")


@pytest.fixture
def site(citizen):
    services = catalogue_load()
    lighting = next(service for service in services if service.group_en == "Lighting")
    report = ReportFactory(service=lighting, reporter=citizen, description="Lamp post 14 is dark")
    proposal = ProposalFactory(topic=lighting.group_en, title="Lights on Jalan Braga", summary="Brighter nights")
    operator = OperatorFactory(slug="kring", name="Kring Bike")
    content = {
        settings.SITE_NAME,
        report.description,
        proposal.title,
        proposal.summary,
        proposal.body,
        operator.name,
        citizen.display_name,
        str(report.pk),
    }
    public = [
        "/",
        "/reports/",
        "/reports/map/",
        f"/reports/{report.pk}/",
        lighting.get_absolute_url(),
        "/proposals/",
        f"/proposals/{proposal.pk}/",
        "/data/",
        "/operators/",
        f"/operators/{operator.slug}/",
        "/accounts/login/",
        "/accounts/signup/",
    ]
    return public, ["/accounts/profile/"], content


def is_wording(text: str, allowed: set[str], language: str) -> bool:
    """Whether ``text`` has words of its own once names, content, technical names, months,
    codes in capitals and the words ``language`` shares with English are taken out."""
    if IDENTIFIER.match(text) or text.rstrip(":") in SAME_IN.get(language, set()):
        return False
    for name in sorted(allowed, key=len, reverse=True):
        text = text.replace(name, " ")
    return any(word not in MONTHS and not word.isupper() for word in WORD.findall(text))


def english_on(english: str, other: str, allowed: set[str], language: str) -> list[str]:
    """The English page's wording that the other page shows as it is."""
    return sorted(text for text in visible_texts(english) & visible_texts(other) if is_wording(text, allowed, language))


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_is_left_on_the_main_pages(client, citizen, site, language):
    public, signed_in, content = site
    allowed = NAMES | content
    left = []
    for path in public:
        client.cookies["django_language"] = "en"
        english = client.get(path)
        client.cookies["django_language"] = language
        other = client.get(path)
        assert english.status_code == other.status_code == 200, path
        assert f'<html lang="{language}">' in other.content.decode(), path
        left += [
            f"{path}: {text!r}"
            for text in english_on(english.content.decode(), other.content.decode(), allowed, language)
        ]
    client.force_login(citizen)
    for path in signed_in:
        pages = []
        for shown in ("en", language):  # the account's language wins over the cookie
            citizen.preferred_language = shown
            citizen.save(update_fields=["preferred_language"])
            pages.append(client.get(path).content.decode())
        left += [f"{path}: {text!r}" for text in english_on(*pages, allowed, language)]
    assert not left, f"English on {language} pages:\n" + "\n".join(left)
