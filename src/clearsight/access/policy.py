"""The one place that decides who may see or do what.

Views ask ``can(actor, ...)``; selectors scope their querysets with the ``visible_*``
functions here. Later modules add their object-level rules beside these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from clearsight.access.actor import Actor
from clearsight.access.roles import Capability

if TYPE_CHECKING:
    from clearsight.accounts.models import User
    from clearsight.areas.models import Agency


def can(actor: Actor | None, capability: Capability) -> bool:
    return actor is not None and actor.can(capability)


def manageable_users(actor: Actor) -> QuerySet[User]:
    """Users an area administrator may manage: those with a membership in their area."""
    from clearsight.accounts.models import User

    if not can(actor, Capability.MANAGE_USERS):
        return User.objects.none()
    return User.objects.filter(memberships__agency__area_id=actor.area_id).distinct()


def assignable_agencies(actor: Actor) -> QuerySet[Agency]:
    """Agencies an area administrator may give roles in: those of their own area."""
    from clearsight.areas.models import Agency

    if not can(actor, Capability.MANAGE_USERS):
        return Agency.objects.none()
    return Agency.objects.filter(area_id=actor.area_id, is_active=True).order_by("name")


def can_manage_user(actor: Actor, user: User) -> bool:
    return manageable_users(actor).filter(pk=user.pk).exists()
