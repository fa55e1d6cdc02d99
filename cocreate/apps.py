from django.apps import AppConfig


class CocreateConfig(AppConfig):
    name = "cocreate"
    verbose_name = "CoCreate"

    def ready(self) -> None:
        from cocreate import checks  # noqa: F401  (registers the deployment checks)
