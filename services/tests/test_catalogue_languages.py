"""The starter catalogue is written in every site language: nothing in it falls back to English."""

import pytest
from django.conf import settings
from django.utils import translation

from services.catalogue import OPERATORS, catalogue_load
from services.models import AttributeValue, Service, ServiceAttribute

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
BRANDS = {name for _key, name in OPERATORS}  # operators' names are the same in every language


def texts(language: str) -> dict[str, str]:
    """Every text of the catalogue, by where it is, as a page in ``language`` shows it."""
    with translation.override(language):
        shown = {}
        for service in Service.objects.all():
            shown[f"{service.service_code} name"] = service.name
            shown[f"{service.service_code} description"] = service.description
            shown[f"{service.service_code} group"] = service.group
        for attribute in ServiceAttribute.objects.select_related("service"):
            shown[f"{attribute.service.service_code} {attribute.code}"] = attribute.description
        for value in AttributeValue.objects.select_related("attribute__service").exclude(name_en__in=BRANDS):
            shown[f"{value.attribute.service.service_code} {value.attribute.code}={value.key}"] = value.name
        return shown


@pytest.mark.parametrize("language", LANGUAGES)
def test_after_catalogue_load_every_text_differs_from_the_english(language):
    catalogue_load()
    english = texts("en")
    shown = texts(language)
    assert all(english.values())
    same = [where for where, text in shown.items() if not text or text == english[where]]
    # Moped is Indonesian and Malay as it is English.
    same = [where for where in same if not (language in ("id", "ms") and where.endswith("=moped"))]
    assert same == [], f"left in English in {language}: {same}"


def test_the_groups_are_named_in_the_pages_language_and_keyed_by_their_english_name():
    catalogue_load()
    with translation.override("ja"):
        labels = Service.objects.active().group_labels()
    assert labels == {"Mobility": "交通", "Roads": "道路", "Lighting": "照明", "Cleanliness": "清掃"}


def test_loading_again_keeps_a_translation_written_in_the_admin_for_a_service_it_does_not_know():
    catalogue_load()
    Service.objects.create(service_code="graffiti", name_en="Graffiti", name_th="กราฟฟิตี")
    catalogue_load()
    with translation.override("th"):
        assert Service.objects.get(service_code="graffiti").name == "กราฟฟิตี"
