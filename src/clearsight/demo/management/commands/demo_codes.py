from __future__ import annotations

from base64 import b32encode
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from clearsight.demo.accounts import USERS, current_code


class Command(BaseCommand):
    help = "Print the current authenticator code of every demo user (demo mode only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError("Demo codes are never shown in production mode.")
        emails = [u.email for u in USERS]
        devices = TOTPDevice.objects.filter(user__email__in=emails, confirmed=True).select_related(
            "user"
        )
        by_email = {d.user.email: d for d in devices}
        width = max(len(e) for e in emails)
        self.stdout.write("Current codes (each changes every 30 seconds and works once):")
        for email in emails:
            device = by_email.get(email)
            if device is None:
                continue
            secret = b32encode(device.bin_key).decode().rstrip("=")
            self.stdout.write(f"  {email.ljust(width)}  {current_code(device)}   secret {secret}")
