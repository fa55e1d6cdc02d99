"""The administration of translated content (django-modeltranslation): each language in its
own tab, and which translations an item still lacks, as a list column and a list filter.

A translation is missing when the English text is written and the language's is empty: the
page then shows the English text (``MODELTRANSLATION_FALLBACK_LANGUAGES``).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.contrib import admin
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

ENGLISH = settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def translated_languages() -> list[tuple[str, str]]:
    """The site's languages other than English, each as (code, name in itself)."""
    return [(code, name) for code, name in settings.LANGUAGES if code != ENGLISH]


def translated_fields(model: type[Model]) -> Sequence[str]:
    """The fields of ``model`` that have a column per language."""
    return translator.get_options_for_model(model).get_field_names()


def _empty(column: str) -> Q:
    return Q(**{f"{column}__isnull": True}) | Q(**{column: ""})


def missing_in(model: type[Model], language: str) -> Q:
    """Items with a text written in English and not in ``language``."""
    query = Q()
    for field in translated_fields(model):
        english = build_localized_fieldname(field, ENGLISH)
        query |= ~_empty(english) & _empty(build_localized_fieldname(field, language))
    return query


def missing_languages(obj: Model) -> list[str]:
    """The codes of the languages in which ``obj`` has an English text left untranslated."""
    fields = translated_fields(type(obj))
    return [
        code
        for code, _name in translated_languages()
        if any(
            getattr(obj, build_localized_fieldname(field, ENGLISH))
            and not getattr(obj, build_localized_fieldname(field, code))
            for field in fields
        )
    ]


class MissingTranslationFilter(admin.SimpleListFilter):
    """ "Missing translation": the items still to translate into one language."""

    title = _("missing translation")
    parameter_name = "missing_translation"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return translated_languages()

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in dict(translated_languages()):
            return queryset.filter(missing_in(queryset.model, self.value()))
        return queryset


class TranslatedAdmin(TabbedTranslationAdmin):
    """A model admin with a tab per language and the missing translations in its list.

    The tabs' script needs jQuery UI, which comes from its package (``JQUERY_UI_URL``), on
    the admin's own jQuery: no CDN, and only static scripts under the site's CSP.
    """

    @admin.display(description=_("missing translations"))
    def missing_translations(self, obj: Model) -> str:
        return ", ".join(missing_languages(obj)) or "–"
