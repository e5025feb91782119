"""Lockout helpers that keep personal data out of logs."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.http import HttpRequest


def pseudonymous_client_str(
    username: str | None,
    ip_address: str | None,
    user_agent: str | None,
    path_info: Any,
    request: HttpRequest,
) -> str:
    """django-axes would log the email address and IP; log a keyed hash instead, which
    still lets an operator see that failures come from one place."""
    raw = f"{(username or '').lower()}|{ip_address or ''}"
    digest = hashlib.blake2s(raw.encode(), key=settings.SECRET_KEY.encode()[:32]).hexdigest()
    return f"client:{digest[:16]}"
