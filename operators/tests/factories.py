"""factory_boy factories and helpers for operators, their fleets and routed reports."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from citizens import roles
from citizens.tests.factories import UserFactory
from operators import actions
from operators.models import FormFactor, Operator, Vehicle
from services.catalogue import catalogue_load
from services.models import Service
from services.tests.factories import CITY_LAT, CITY_LON


class OperatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Operator
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Operator {n}")
    slug = factory.Sequence(lambda n: f"operator-{n}")
    response_hours = 24
    night_response_hours = 36
    idle_limit_hours = 24
    webhook_secret = "s3cret"


class VehicleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vehicle

    operator = factory.SubFactory(OperatorFactory)
    vehicle_id = factory.Sequence(lambda n: f"veh-{n}")
    form_factor = FormFactor.BICYCLE
    lat = CITY_LAT
    lon = CITY_LON
    first_seen_at = factory.LazyFunction(timezone.now)
    last_seen_at = factory.LazyFunction(timezone.now)


def operator_with_staff(slug: str, **fields):
    """An operator (offered in the report form) and one staff account working for it."""
    catalogue_load()
    # A migration makes the role groups; a transactional test run before this one may have flushed them.
    Group.objects.get_or_create(name=roles.OPERATOR_STAFF)
    operator, _created = actions.operator_save(slug=slug, name=fields.pop("name", slug.title()), **fields)
    user = UserFactory(display_name=f"{slug} staff")
    actions.operator_staff_grant(operator=operator, user=user)
    return operator, user


def micromobility_service() -> Service:
    catalogue_load()
    return Service.objects.get(service_code="abandoned-vehicle")
