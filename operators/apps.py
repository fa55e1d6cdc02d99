"""Mobility operators, their fleets and the reports routed to them."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperatorsConfig(AppConfig):
    name = "operators"
    verbose_name = _("Mobility operators")

    def ready(self) -> None:
        from operators.reports import RESPONSIBLE
        from services import responsible

        responsible.register(RESPONSIBLE)  # operators answer for reports about their vehicles
