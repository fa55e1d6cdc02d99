"""Service groups (the topics of proposals) named in the page's language."""

import pytest
from django.utils import translation

from services.models import Service
from services.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def test_groups_are_named_in_indonesian_when_one_service_of_the_group_gives_the_name():
    ServiceFactory(group="Roads", group_ind="", order=1)
    ServiceFactory(group="Roads", group_ind="Jalan", order=2)
    ServiceFactory(group="Parks", group_ind="")
    ServiceFactory(group="")
    with translation.override("id"):
        assert Service.objects.group_labels() == {"Roads": "Jalan", "Parks": "Parks"}
    with translation.override("en"):
        assert Service.objects.group_labels() == {"Roads": "Roads", "Parks": "Parks"}
