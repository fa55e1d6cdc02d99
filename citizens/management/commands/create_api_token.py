"""Make (or replace) the API token of an account from the command line, and print its key once."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from citizens.actions import api_token_issue
from citizens.models import User


class Command(BaseCommand):
    help = (
        "Make the API token of the account with this email address (replacing any older one) and print its key. "
        "It carries citizen powers only: a staff token is made on the account page, after two-factor authentication."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")

    def handle(self, *args, email: str, **options) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account has the email address {email!r}.")
        _token, key = api_token_issue(user=user, for_staff=False)
        self.stdout.write(key)
