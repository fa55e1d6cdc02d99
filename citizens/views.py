"""Account pages of ours (allauth serves sign-up, log-in, email, password and 2FA)."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from citizens import account_deletion, actions, data_export
from citizens.forms import AccountDeleteForm, ProfileForm
from citizens.models import ApiToken


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
    context = {
        "form": form,
        "api_token": ApiToken.objects.filter(user=user).first(),
        # Staff roles come with is_staff; asking the groups would cost every citizen's page a query.
        "holds_staff_powers": user.is_staff or user.is_superuser,
        "staff_token_days": settings.STAFF_API_TOKEN_DAYS,
    }
    return render(request, "citizens/profile.html", context)


@require_http_methods(["GET", "POST"])
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switcher: set the language cookie and go back to ``next`` (a page of this site).

    Signed-in people's menu posts its form (with a CSRF token), and the choice is also kept on the
    account. Visitors' menu is a plain GET form, so that a page carries no token and sets no cookie
    and can be cached for every visitor (docs/deployment.md): the language cookie is set here, only
    when the visitor chooses. A GET never writes to an account: a link on another site must not
    change someone's settings.
    """
    if request.method == "POST":
        if request.user.is_authenticated:
            actions.user_set_language(user=request.user, language=request.POST.get("language", ""))
        return django_set_language(request)
    # Django's view answers a GET with the redirect to a safe ``next`` only; the cookie is added here.
    response = django_set_language(request)
    language = request.GET.get("language", "")
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
@never_cache
def personal_data_download(request: HttpRequest) -> HttpResponse:
    """Everything we hold about the person, as a JSON file. A POST, so no link prefetcher fetches it."""
    data = data_export.personal_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{data_export.FILENAME}"'
    return response


@login_required
@never_cache
def account_delete(request: HttpRequest) -> HttpResponse:
    """Confirm, then delete the account: the person is logged out and told on the home page."""
    user = request.user
    allowed = account_deletion.can_delete(user)
    data = request.POST if request.method == "POST" else None
    form = AccountDeleteForm(data, has_password=user.has_usable_password())
    if request.method == "POST" and allowed and form.is_valid():
        try:
            account_deletion.account_delete(user=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            messages.success(
                request,
                _(
                    "Your account has been deleted. We sent a confirmation to your email address. Thank you for taking part."
                ),
            )
            return redirect("home")
    status = 403 if request.method == "POST" and not allowed else 200
    return render(request, "citizens/delete_account.html", {"form": form, "allowed": allowed}, status=status)
