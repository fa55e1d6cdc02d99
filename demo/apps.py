from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The top of the house: ``seed_demo`` fills every app with demo content, and no app imports this one."""

    name = "demo"
    verbose_name = _("Demo data")
