from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizensConfig(AppConfig):
    name = "citizens"
    verbose_name = _("Citizens")

    def ready(self) -> None:
        from citizens import step_up  # noqa: F401  (connects the TOTP set-up receiver)
