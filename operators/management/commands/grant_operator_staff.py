"""Make an account staff of a mobility operator: it then sees and answers that operator's reports."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from citizens.models import User
from operators.actions import operator_staff_grant
from operators.models import Operator


class Command(BaseCommand):
    help = "Make the account with this email address staff of the operator SLUG (its role becomes Operator staff)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("email")

    def handle(self, *args, slug: str, email: str, **options) -> None:
        operator = Operator.objects.filter(slug=slug).first()
        if operator is None:
            raise CommandError(f"No operator has the short name {slug!r}.")
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account has the email address {email!r}.")
        try:
            operator_staff_grant(operator=operator, user=user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"{user.email} is now staff of {operator.slug}.")
