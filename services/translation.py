"""The catalogue's texts in every site language (django-modeltranslation).

Each field named here gets a column per language (``name_en``, ``name_id``, ``name_ms``, ...);
reading ``service.name`` gives the page's language, or English when that translation is
missing. The English group (``group_en``) is also the group's key: proposals store it as
their topic.
"""

from modeltranslation.translator import TranslationOptions, register

from services.models import AttributeValue, Service, ServiceAttribute


@register(Service)
class ServiceTranslation(TranslationOptions):
    fields = ("name", "description", "group")
    required_languages = {"en": ("name",)}


@register(ServiceAttribute)
class ServiceAttributeTranslation(TranslationOptions):
    fields = ("description",)
    required_languages = {"en": ("description",)}


@register(AttributeValue)
class AttributeValueTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = {"en": ("name",)}
