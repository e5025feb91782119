"""API authentication that yields an Actor. Kept apart from core.api because DRF imports
authentication classes while it is still loading its views module."""

from __future__ import annotations

import hmac
from typing import Any

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.request import Request

from clearsight.access.actor import Actor


class ApiTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer cs_...``: a personal token acting in one membership."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        from clearsight.accounts.models import ApiToken, token_digest

        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header.startswith(f"{self.keyword} "):
            return None
        secret = header[len(self.keyword) + 1 :].strip()
        token = (
            ApiToken.objects.select_related("user", "membership__agency__area")
            .filter(token_digest=token_digest(secret))
            .first()
        )
        if token is None or not hmac.compare_digest(token.token_digest, token_digest(secret)):
            raise exceptions.AuthenticationFailed("This API token is not valid.")
        if not token.is_usable:
            raise exceptions.AuthenticationFailed("This API token has expired or been revoked.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("This account is suspended.")
        if token.membership.ended_at is not None:
            raise exceptions.AuthenticationFailed("The role this token acts in has ended.")
        type(token).objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        request._request.actor = Actor(user=token.user, membership=token.membership)  # type: ignore[attr-defined]
        return (token.user, token)

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class VerifiedSessionAuthentication(SessionAuthentication):
    """The browser session, only once the second factor is verified and a role chosen."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if not user.is_verified() or getattr(request._request, "actor", None) is None:
            raise exceptions.NotAuthenticated(
                "Finish signing in (code and role) before using the API."
            )
        return result
