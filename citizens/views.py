"""Account pages of ours (allauth serves sign-up, log-in, email, password and 2FA)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from citizens import actions
from citizens.forms import ProfileForm


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The account page: public name, language, and links to the account's settings."""
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            actions.user_update_profile(user=user, **form.cleaned_data)
            messages.success(request, _("Your profile has been saved."))
            return redirect("profile")
    else:
        form = ProfileForm(initial={"display_name": user.display_name, "preferred_language": user.preferred_language})
    return render(request, "citizens/profile.html", {"form": form})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switcher, which also remembers the choice on the account."""
    if request.user.is_authenticated:
        actions.user_set_language(user=request.user, language=request.POST.get("language", ""))
    return django_set_language(request)
