from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizensConfig(AppConfig):
    name = "citizens"
    verbose_name = _("Citizens")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from citizens.language import remember_visitor_language

        user_logged_in.connect(remember_visitor_language, dispatch_uid="citizens.remember_visitor_language")
        from citizens import step_up  # noqa: F401  (connects the TOTP set-up receiver)
