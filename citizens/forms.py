"""Account forms."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from citizens.models import User


class SignupForm(forms.Form):
    """Extra sign-up fields, added by allauth to its own sign-up form."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=60,
        required=False,
        help_text=_("Optional. Shown beside what you publish, only when you choose to show your name."),
    )

    def signup(self, request, user: User) -> None:
        user.display_name = self.cleaned_data.get("display_name", "").strip()
        language = translation.get_language() or settings.LANGUAGE_CODE
        user.preferred_language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        user.save(update_fields=["display_name", "preferred_language"])


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=60,
        required=False,
        help_text=_("Shown beside what you publish, only when you choose to show your name."),
    )
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)


class AccountDeleteForm(forms.Form):
    """The person confirms by typing their email address, and their password when they have one."""

    email = forms.EmailField(label=_("Your email address"))
    password = forms.CharField(label=_("Your password"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args, has_password: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not has_password:
            del self.fields["password"]
