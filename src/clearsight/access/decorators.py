"""View guards built on the access policy."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clearsight.access.actor import Actor
from clearsight.access.roles import Capability


def get_actor(request: HttpRequest) -> Actor:
    """The actor for a staff view; ActorMiddleware guarantees one on guarded views."""
    actor = getattr(request, "actor", None)
    if actor is None:
        raise RuntimeError("No actor on this request: is the view marked actor_not_required?")
    return actor


def requires(
    capability: Capability,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Refuse with a 403 page unless the acting role has the capability."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            actor = getattr(request, "actor", None)
            if actor is None or not actor.can(capability):
                from clearsight.audit.services import record

                record(
                    action="access.denied",
                    actor=actor,
                    user=None if actor else getattr(request, "user", None),
                    details={"capability": capability.value, "path": request.path},
                )
                return render(request, "access/forbidden.html", status=403)
            return view(request, *args, **kwargs)

        wrapped.required_capability = capability  # type: ignore[attr-defined]
        return wrapped

    return decorator
