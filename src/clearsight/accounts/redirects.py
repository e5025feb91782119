"""Where signing in continues: one place builds "go to X, then come back to Y"."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.http import urlencode


def with_next(url_name: str, next_url: str | None) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def second_factor_url(user: Any, next_url: str | None) -> str:
    """The code page for a user with an authenticator, the set-up page for one without."""
    from clearsight.accounts.services import confirmed_totp_device

    target = "accounts:mfa-verify" if confirmed_totp_device(user) else "accounts:mfa-setup"
    return with_next(target, next_url)
