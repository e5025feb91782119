"""Markers for views that must work before sign-in is complete.

Django's LoginRequiredMiddleware makes every view need a signed-in user unless it is
marked with ``login_not_required``. These add the two later steps: a verified second
factor and a chosen membership."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable[..., object])


def mfa_not_required(view: F) -> F:
    """The view is part of signing in (MFA set-up or check, sign-out)."""
    view.mfa_required = False  # type: ignore[attr-defined]
    view.actor_required = False  # type: ignore[attr-defined]
    return view


def actor_not_required(view: F) -> F:
    """The view works without a chosen membership (choosing one, account settings)."""
    view.actor_required = False  # type: ignore[attr-defined]
    return view


def user_not_read(view: F) -> F:
    """The view never looks at who is asking (health checks): no session, user, second
    factor or membership is read for it, so a probe costs no query."""
    view.reads_user = False  # type: ignore[attr-defined]
    return view
