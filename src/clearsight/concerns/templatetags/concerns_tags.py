"""Template helpers for pages of other apps that link to concerns."""

from __future__ import annotations

from django import template

from clearsight.access.actor import Actor
from clearsight.access.roles import Capability

register = template.Library()


@register.filter
def can_raise_concerns(actor: Actor | None) -> bool:
    """For the "Raise a concern" link on the child's page."""
    return actor is not None and actor.can(Capability.RAISE_CONCERNS)
