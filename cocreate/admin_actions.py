"""Admin pages whose save is one action (a report's status change, a proposal's answer, a
suspension).

The rules live in the owning app's actions alone. The form's ``clean()`` calls the action's
check, which reads but never writes, so a refusal becomes a form error; the admin's
``save_model`` then runs the action itself, once. (Trying the action and rolling it back
would run every write, query and log line twice.)
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest


class ActionForm(forms.ModelForm):
    """A form whose save is one action: ``check_action`` in ``clean()``, ``run_action`` on save."""

    # Where the action's error keys belong on the form; unknown keys go on a field of the
    # same name, or above the form.
    error_fields: dict[str, str] = {}

    # Set by ActionAdmin.get_form: who acts.
    actor = None

    def asks_for_action(self, cleaned: dict[str, Any]) -> bool:
        """Whether what was sent asks for the action (saving an untouched form does nothing)."""
        return True

    def check_action(self, cleaned: dict[str, Any]) -> None:
        """Raise the action's ValidationError or PermissionDenied without writing anything."""
        raise NotImplementedError

    def run_action(self) -> Any:
        """Run the action on the cleaned data."""
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors or not self.asks_for_action(cleaned):
            return cleaned
        try:
            self.check_action(cleaned)
        except PermissionDenied as error:
            self.add_error(None, str(error))
        except ValidationError as error:
            self.add_action_errors(error)
        return cleaned

    def add_action_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for key, messages in error.message_dict.items():
            self.add_error(self.error_fields.get(key, key if key in self.fields else None), messages)

    @property
    def acts(self) -> bool:
        """Whether the valid form asks for its action."""
        return self.is_valid() and self.asks_for_action(self.cleaned_data)


class ActionAdmin:
    """A ModelAdmin mixin: the form's action runs once, when the admin saves; nothing else is written.

    The form gets the person acting as ``actor``. A form that is not an ``ActionForm`` (the
    read-only change page of a suspension, say) saves nothing.
    """

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def save_model(self, request: HttpRequest, obj, form: forms.ModelForm, change: bool) -> None:
        if isinstance(form, ActionForm) and form.acts:
            form.run_action()
