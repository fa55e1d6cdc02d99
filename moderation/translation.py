"""Moderation reasons' labels in every site language (django-modeltranslation): ``reason.label``
reads the page's language, or English when that translation is missing."""

from modeltranslation.translator import TranslationOptions, register

from moderation.models import ModerationReason


@register(ModerationReason)
class ModerationReasonTranslation(TranslationOptions):
    fields = ("label",)
    required_languages = {"en": ("label",)}
