"""What the REST API says about mobility operators: their permits and their public figures, read
from ``operators.performance`` scorecards. Output only; no vehicle id, no feed address, no secret."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers

from operators.models import FeedState, FormFactor
from operators.performance import PermitState


class VehicleTypeSerializer(serializers.Serializer):
    form_factor = serializers.ChoiceField(choices=FormFactor.choices, help_text="GBFS form factor.")
    fleet_cap = serializers.IntegerField(allow_null=True, help_text="Most vehicles of this type allowed; null: no cap.")


class FleetDaySerializer(serializers.Serializer):
    date = serializers.DateField(source="day", help_text="Day, in the city's time zone.")
    vehicles_peak = serializers.IntegerField(help_text="Most vehicles in the feed that day.")
    idle_peak = serializers.IntegerField(help_text="Most vehicles idle longer than the limit that day.")
    disabled_peak = serializers.IntegerField(help_text="Most disabled vehicles that day.")
    fleet_cap = serializers.IntegerField(allow_null=True, help_text="The cap that day; null: no cap.")
    over_cap = serializers.BooleanField()


class BreachMonthSerializer(serializers.Serializer):
    month = serializers.DateField(format="%Y-%m", help_text="Month (YYYY-MM), in the city's time zone.")
    breaches = serializers.IntegerField(help_text="Deadlines missed, by the month they were recorded.")
    fines_due = serializers.DecimalField(max_digits=14, decimal_places=2)


class FeedHealthSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=FeedState.choices)
    good_poll_share = serializers.FloatField(
        source="good_share", allow_null=True, help_text="Share of the last 30 days' polls that worked (0 to 1)."
    )
    polls = serializers.IntegerField(help_text="Polls in the last 30 days.")
    last_good_poll_at = serializers.DateTimeField(allow_null=True)
    problem = serializers.CharField(help_text="The feed's trouble in a short sentence; empty while it works.")


class PerformanceSerializer(serializers.Serializer):
    """The public figures; docs/operators.md says how each is counted."""

    reports_received = serializers.IntegerField(help_text="Published reports sent to the operator.")
    open_reports = serializers.IntegerField()
    answered_in_time_share = serializers.FloatField(
        allow_null=True, help_text="Among reports resolved or due, the share resolved by their deadline (0 to 1)."
    )
    median_hours_to_resolve = serializers.FloatField(allow_null=True)
    reopened_share = serializers.FloatField(
        allow_null=True, help_text="Among reports answered at least once, the share a citizen reopened (0 to 1)."
    )
    complaints_last_30_days = serializers.IntegerField(source="complaints", help_text="Reports made by citizens.")
    average_vehicles_last_30_days = serializers.FloatField(source="average_vehicles", allow_null=True)
    complaints_per_1000_vehicles = serializers.FloatField(allow_null=True)
    idle_reports = serializers.IntegerField(help_text="Reports the city raised about idle vehicles.")
    idle_vehicles_now = serializers.IntegerField()
    feed = FeedHealthSerializer()
    fleet_days = FleetDaySerializer(many=True, help_text="The last 30 days with fleet figures, oldest first.")
    breaches_by_month = BreachMonthSerializer(source="breach_months", many=True, help_text="The last 12 months.")


class OperatorSerializer(serializers.Serializer):
    """An operator, the conditions of its permit, and its figures."""

    slug = serializers.SlugField(source="operator.slug")
    name = serializers.CharField(source="operator.name")
    url = serializers.SerializerMethodField(help_text="The operator's public page.")
    permit_number = serializers.CharField(source="operator.permit_number")
    permit_valid_from = serializers.DateField(source="operator.permit_valid_from", allow_null=True)
    permit_valid_until = serializers.DateField(source="operator.permit_valid_until", allow_null=True)
    permit_state = serializers.ChoiceField(
        choices=[PermitState.ACTIVE, PermitState.NOT_STARTED, PermitState.ENDED],
        help_text="An operator whose permit has ended is listed until it has no vehicles and no open reports.",
    )
    vehicle_types = VehicleTypeSerializer(source="operator.vehicle_types.all", many=True)
    fleet_cap = serializers.IntegerField(
        source="operator.fleet_cap", allow_null=True, help_text="The sum of the caps; null when a type has none."
    )
    response_hours = serializers.IntegerField(source="operator.response_hours")
    night_response_hours = serializers.IntegerField(source="operator.night_response_hours")
    idle_limit_hours = serializers.IntegerField(source="operator.idle_limit_hours")
    fine_per_breach = serializers.DecimalField(source="operator.fine_per_breach", max_digits=12, decimal_places=2)
    fine_currency = serializers.SerializerMethodField(help_text="ISO 4217 code of the fines.")
    public_contact = serializers.CharField(source="operator.public_contact")
    performance = PerformanceSerializer(source="*")

    def get_url(self, card) -> str:
        request = self.context.get("request")
        path = card.operator.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path

    def get_fine_currency(self, card) -> str:
        return settings.OPERATOR_FINE_CURRENCY
