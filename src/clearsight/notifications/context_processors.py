from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.http import HttpRequest

from clearsight.notifications import selectors


def unread(request: HttpRequest) -> dict[str, Callable[[], int]]:
    """The unread count for the header link. The template calls it only on pages that
    show the header for a signed-in actor (htmx partials never do), and at most one query
    is made however often a template reads it."""
    actor: Any = getattr(request, "actor", None)
    if actor is None:
        return {}

    @cache
    def count() -> int:
        return selectors.unread_count(user=actor.user)

    return {"unread_notification_count": count}
