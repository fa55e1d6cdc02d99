"""Create an Open311 client and print its API key, which is stored only as a hash."""

from __future__ import annotations

import secrets

from django.core.management.base import BaseCommand, CommandError, CommandParser

from services.models import Open311Client, hash_api_key


class Command(BaseCommand):
    help = "Create an API key for an application that submits reports through Open311."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="Who the key is for, e.g. the application's name.")
        parser.add_argument(
            "--trusted",
            action="store_true",
            help="Publish the client's reports at once instead of holding them for a moderator.",
        )

    def handle(self, *args, name: str, trusted: bool, **options) -> None:
        name = name.strip()
        limit = Open311Client._meta.get_field("name").max_length
        if not name or len(name) > limit:
            raise CommandError(f"Give the client a name of 1 to {limit} characters.")
        key = secrets.token_urlsafe(32)
        client = Open311Client.objects.create(
            name=name, key_prefix=key[:8], key_hash=hash_api_key(key), trusted=trusted
        )
        self.stdout.write(f"API key for {client.name}:")
        self.stdout.write(key)
        self.stdout.write(self.style.WARNING("Copy it now: only its hash is stored, so it cannot be shown again."))
