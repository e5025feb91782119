"""Session rules for staff: suspension, sign-out everywhere, idle and absolute timeouts,
and the mandatory second factor."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect

from clearsight.accounts import sessions
from clearsight.accounts.redirects import second_factor_url

logger = logging.getLogger(__name__)

_EXEMPT_PREFIXES = ("/static/", "/healthz", "/readyz")
# Polled by open pages; must not count as activity.
_NOT_ACTIVITY = ("/session/status/",)


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's, asking the view first: a view open to all (a health check) then reads no
    session or user at all. Django's reads the user first, three queries for nothing."""

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponseBase | None:
        if not getattr(view_func, "login_required", True):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class SessionGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(_EXEMPT_PREFIXES) or SESSION_KEY not in request.session:
            return self.get_response(request)
        ended = self._end_reason(request)
        if ended is not None:
            user_id = request.session.get(SESSION_KEY)
            logout(request)
            logger.info("Session ended (%s) for user id %s", ended, user_id)
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "type": "about:blank",
                        "title": "Not signed in",
                        "status": 401,
                        "detail": sessions.END_MESSAGES[ended],
                    },
                    status=401,
                    content_type="application/problem+json",
                )
            messages.info(request, sessions.END_MESSAGES[ended])
            return redirect("accounts:login")
        if not request.path.startswith(_NOT_ACTIVITY):
            sessions.touch(request.session)
        return self.get_response(request)

    def _end_reason(self, request: HttpRequest) -> str | None:
        user: Any = request.user
        if not user.is_authenticated:
            return "removed"
        if not user.is_active:
            return "suspended"
        if request.session.get(sessions.GENERATION_KEY) != user.session_generation:
            return "signed_out_everywhere"
        now = time.time()
        if now - request.session.get(sessions.LAST_ACTIVITY_KEY, now) > sessions.idle_seconds():
            return "idle"
        if now - request.session.get(sessions.STARTED_KEY, now) > sessions.absolute_seconds():
            return "expired"
        return None


class RequireMfaMiddleware:
    """Every staff page needs a verified second factor (TOTP or a recovery code)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        if not getattr(view_func, "login_required", True):
            return None
        if not getattr(view_func, "mfa_required", True):
            return None
        user: Any = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        next_url = request.get_full_path() if request.method == "GET" else None
        return HttpResponseRedirect(second_factor_url(user, next_url))


def idle_timeout_context(request: HttpRequest) -> dict[str, Any]:
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "session_timeout": {
            "timeout_seconds": sessions.idle_seconds(),
            "warning_seconds": settings.CLEARSIGHT_IDLE_WARNING_MINUTES * 60,
        }
    }
