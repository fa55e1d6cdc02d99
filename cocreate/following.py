"""Following a report or a proposal: the follow model both apps inherit, the emails to
followers, and the follow/unfollow button of their pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone, translation

from citizens.mail import queue_email


class FollowQuerySet(models.QuerySet):
    def of(self, target: models.Model) -> FollowQuerySet:
        """The follows of one report or proposal."""
        return self.filter(**{self.model.target_field: target})


class AbstractFollow(models.Model):
    """A person who gets an email for each public update of what they follow.

    Each model names what is followed in ``target_field`` and declares that foreign key and
    ``user`` (their related names differ), with a unique constraint on the pair.
    """

    target_field: ClassVar[str]

    created_at = models.DateTimeField(default=timezone.now)

    objects = FollowQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.user_id} → {getattr(self, f'{self.target_field}_id')}"

    @classmethod
    def add(cls, *, target: models.Model, user: Any) -> bool:
        """Follow ``target``; True when the follow is new."""
        try:
            with transaction.atomic():
                _follow, created = cls.objects.get_or_create(**{cls.target_field: target}, user=user)
        except IntegrityError:  # a concurrent request created it
            return False
        return created

    @classmethod
    def remove(cls, *, target: models.Model, user: Any) -> bool:
        """Stop following ``target``; True when there was a follow to remove."""
        deleted, _details = cls.objects.of(target).filter(user=user).delete()
        return bool(deleted)

    @classmethod
    def followers(cls, target: models.Model) -> models.QuerySet:
        """The active accounts following ``target``, with what their emails need, in a stable order."""
        return (
            get_user_model()
            .objects.filter(is_active=True, pk__in=cls.objects.of(target).values("user_id"))
            .only("pk", "email", "preferred_language")
            .order_by("pk")
        )


def email_followers(
    users: models.QuerySet, *, template: str, context: dict[str, Any], unfollow_url: Callable[[Any], str]
) -> int:
    """Queue one email per follower, in their language, with their own "stop following" link.

    ``template`` names ``<template>_subject.txt`` and ``<template>_body.txt``; they get
    ``context`` with ``unfollow_url`` and ``site_name``. Returns how many were queued.
    """
    sent = 0
    for user in users.iterator(chunk_size=500):
        url = unfollow_url(user)
        values = {**context, "unfollow_url": url, "site_name": settings.SITE_NAME}
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = render_to_string(f"{template}_subject.txt", values).strip()
            body = render_to_string(f"{template}_body.txt", values)
        message = EmailMultiAlternatives(subject=subject, body=body, to=[user.email])
        message.extra_headers["List-Unsubscribe"] = f"<{url}>"
        queue_email(message)
        sent += 1
    return sent


def follow_or_unfollow(
    request: HttpRequest,
    target: models.Model,
    *,
    follow: Callable[[], object],
    unfollow: Callable[[], object],
    followed: str,
    unfollowed: str,
) -> HttpResponse:
    """Unfollow when the form says so, else follow (refusals are shown, not raised)."""
    if request.POST.get("action") == "unfollow":
        unfollow()
        messages.success(request, unfollowed)
    else:
        try:
            follow()
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, followed)
    return redirect(target)
