"""People who use CoCreate: citizens, and the moderators and staff among them."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citizens import roles


def normalize_email(email: str) -> str:
    """Emails are compared and stored in lower case: Ana@Example.org is ana@example.org."""
    return (email or "").strip().lower()


class UserQuerySet(models.QuerySet):
    def with_verified_email(self) -> UserQuerySet:
        """Users whose primary email address has been verified."""
        return self.filter(emailaddress__verified=True, emailaddress__primary=True).distinct()

    def in_role(self, role: str) -> UserQuerySet:
        """Users in the given role group (see ``citizens.roles``)."""
        return self.filter(groups__name=role)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def get_by_natural_key(self, email: str) -> User:
        return self.get(email__iexact=normalize_email(email))

    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=normalize_email(email), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """An account. Email is the login; only the display name is ever shown publicly."""

    email = models.EmailField(_("email address"), max_length=254, unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=60,
        blank=True,
        help_text=_("Shown beside what you publish, only when you choose to show your name."),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Can sign in to the administration (with two-factor authentication)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="citizens_user_email_ci_unique",
                violation_error_message=_("An account with this email address already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or f"#{self.pk}"

    def save(self, *args, **kwargs) -> None:
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        self.email = normalize_email(self.email)

    @property
    def public_name(self) -> str:
        """The name shown publicly when the person chooses to show one."""
        return self.display_name or str(_("A citizen"))

    def has_verified_email(self) -> bool:
        """True once the primary email address has been confirmed."""
        return self.emailaddress_set.filter(verified=True, primary=True).exists()

    def has_role(self, role: str) -> bool:
        return self.groups.filter(name=role).exists()

    def role_labels(self) -> list[str]:
        names = set(self.groups.values_list("name", flat=True))
        return [str(label) for group, label in roles.ROLE_LABELS.items() if group in names]


def hash_token_key(key: str) -> str:
    """API token keys are kept as their SHA-256: a leaked table reveals no key."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def unexpired(self, now: datetime | None = None) -> ApiTokenQuerySet:
        """Tokens that have no expiry or have not reached it."""
        now = now or timezone.now()
        return self.filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now))


class ApiToken(models.Model):
    """The API token of an account: shown once when made; a staff token expires (``STAFF_API_TOKEN_DAYS``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_token", verbose_name=_("account")
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    for_staff = models.BooleanField(
        _("staff token"),
        default=False,
        help_text=_("Made in a session that passed two-factor authentication: it carries the account's staff powers."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"API token of #{self.user_id}"

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    def record_use(self, now: datetime | None = None) -> None:
        """Note when the token was used, at most once a minute: every request would be a write otherwise."""
        now = now or timezone.now()
        if self.last_used_at is not None and now - self.last_used_at < LAST_USE_RESOLUTION:
            return
        # The conditional update keeps parallel requests of one client to a single write.
        ApiToken.objects.filter(pk=self.pk).filter(
            models.Q(last_used_at__isnull=True) | models.Q(last_used_at__lt=now - LAST_USE_RESOLUTION)
        ).update(last_used_at=now)
        self.last_used_at = now


LAST_USE_RESOLUTION = timedelta(minutes=1)
