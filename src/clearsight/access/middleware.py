"""Resolves the Actor (user + the membership they act in) for each staff request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from clearsight.access.actor import Actor
from clearsight.accounts.redirects import with_next
from clearsight.accounts.sessions import MEMBERSHIP_KEY
from clearsight.areas.models import Membership


def current_memberships(user: Any) -> list[Membership]:
    return list(
        Membership.objects.current()
        .filter(user=user, agency__is_active=True)
        .select_related("agency__area")
    )


class ActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = None  # type: ignore[attr-defined]
        request.actor_can_switch = False  # type: ignore[attr-defined]
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        if not getattr(view_func, "reads_user", True):
            return None
        user: Any = request.user
        if not user.is_authenticated or not user.is_verified():
            return None
        memberships = current_memberships(user)
        request.actor_can_switch = len(memberships) > 1  # type: ignore[attr-defined]
        chosen_id = request.session.get(MEMBERSHIP_KEY)
        chosen = next((m for m in memberships if m.pk == chosen_id), None)
        if chosen is None and len(memberships) == 1:
            chosen = memberships[0]
            request.session[MEMBERSHIP_KEY] = chosen.pk
        if chosen is not None:
            request.actor = Actor(user=user, membership=chosen)  # type: ignore[attr-defined]
            return None
        if chosen_id is not None:
            request.session.pop(MEMBERSHIP_KEY, None)
        if not getattr(view_func, "actor_required", True):
            return None
        if not memberships:
            return render(request, "access/no_role.html", status=403)
        return redirect(with_next("accounts:choose-membership", request.get_full_path()))
