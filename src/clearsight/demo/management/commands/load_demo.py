from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearsight.demo.accounts import DEMO_PASSWORD, load_demo_accounts


class Command(BaseCommand):
    help = "Load the synthetic demo area and print the demo logins (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="Do not print the logins")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError("Demo data is never loaded in production mode.")
        area, users = load_demo_accounts()
        if options["quiet"]:
            return
        self.stdout.write(self.style.SUCCESS(f"\nDemo area: {area.name} (synthetic data only)\n"))
        self.stdout.write(f"Every demo user's password is: {DEMO_PASSWORD}\n")
        width = max(len(u.email) for u in users)
        for user in users:
            roles = "; ".join(f"{role.label}, {agency}" for role, agency in user.roles)
            self.stdout.write(f"  {user.email.ljust(width)}  {user.full_name}: {roles}")
        self.stdout.write(
            "\nSign-in asks for an authenticator code. In demo mode, print the current codes "
            "with:\n    make demo-codes\n(or add the demo secret shown there to any authenticator "
            "app).\n"
        )
