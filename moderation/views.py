"""Moderation pages for citizens: flag an item, and see how moderation is used."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cocreate.limits import limit_writes
from cocreate.page_cache import public_page
from moderation import actions, rules, stats
from moderation.forms import FlagForm
from moderation.kinds import KINDS, flaggable, kind_of


def _get_flaggable(kind: str, object_id: int) -> models.Model:
    """An item the public sees, of a kind citizens may flag; 404 otherwise."""
    if kind not in flaggable():
        raise Http404
    target = KINDS[kind].model.objects.filter(pk=object_id).first()
    if target is None or not actions.is_public(target):
        raise Http404
    return target


def page_of(target: models.Model) -> str:
    """The page showing an item: its own, or that of the item it belongs to (a comment's report)."""
    context = kind_of(target).context_path
    return (getattr(target, context) if context else target).get_absolute_url()


@login_required
@limit_writes
def flag(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    """Ask the moderators to look at an item, with a reason; then back to the item's page."""
    target = _get_flaggable(kind, object_id)
    back = page_of(target)
    try:
        rules.check_can_contribute(request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect(back)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _flag, created = actions.flag_create(
                flagger=request.user,
                kind=kind,
                object_id=target.pk,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_action_errors(error)
        except PermissionDenied as error:  # suspended since the page was shown
            messages.error(request, str(error))
            return redirect(back)
        else:
            if created:
                messages.success(request, _("Thank you: moderators will review it."))
            else:
                messages.info(request, _("You have already flagged this: moderators will review it."))
            return redirect(back)
    shown = KINDS[kind]
    context = {
        "form": form,
        "kind": shown,
        "title": getattr(target, shown.title_field) if shown.title_field else "",
        "excerpt": getattr(target, shown.text_field) if shown.text_field else "",
        "back": back,
    }
    return render(request, "moderation/flag_form.html", context)


@public_page()
@require_GET
def public_stats(request: HttpRequest) -> HttpResponse:
    """How moderation is used: monthly counts of moderators' actions, with no names."""
    context = {
        "months": stats.monthly_counts(),
        "month_count": stats.MONTHS,
        "auto_hide_flags": settings.MODERATION_AUTO_HIDE_FLAGS,
    }
    return render(request, "moderation/stats.html", context)
