from django.apps import AppConfig


class CocreateConfig(AppConfig):
    name = "cocreate"
    verbose_name = "CoCreate"
