"""Reads for account pages, always scoped by the access policy."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from clearsight.access.actor import Actor
from clearsight.access.policy import manageable_users
from clearsight.accounts.models import ApiToken, Invitation, User
from clearsight.areas.models import Membership


@dataclass(frozen=True)
class UserRow:
    user: User
    roles: list[Membership]


def area_users(*, actor: Actor) -> list[UserRow]:
    """Everyone with a role (current or ended) in the administrator's area."""
    memberships = Membership.objects.filter(agency__area_id=actor.area_id).select_related("agency")
    users = manageable_users(actor).prefetch_related(
        Prefetch("memberships", queryset=memberships, to_attr="area_memberships")
    )
    return [
        UserRow(user=u, roles=[m for m in u.area_memberships if m.is_current])
        for u in users.order_by("full_name")
    ]


def area_invitations(*, actor: Actor) -> list[Invitation]:
    """Invitations not yet accepted or withdrawn, for agencies in the area."""
    return list(
        Invitation.objects.filter(
            agency__area_id=actor.area_id, accepted_at__isnull=True, revoked_at__isnull=True
        )
        .select_related("agency", "invited_by")
        .order_by("-created_at")
    )


def area_invitation(*, actor: Actor, pk: int) -> Invitation | None:
    return (
        Invitation.objects.filter(agency__area_id=actor.area_id, pk=pk)
        .select_related("agency")
        .first()
    )


def managed_user(*, actor: Actor, pk: int) -> User | None:
    return manageable_users(actor).filter(pk=pk).first()


def user_area_roles(*, actor: Actor, user: User) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user, agency__area_id=actor.area_id)
        .select_related("agency", "created_by", "ended_by", "line_manager__user")
        .order_by("ended_at", "agency__name")
    )


def line_manager_choices(*, actor: Actor, user: User) -> list[Membership]:
    """Everyone else's current roles in the area, for choosing a line manager."""
    return list(
        Membership.objects.current()
        .filter(agency__area_id=actor.area_id, agency__is_active=True, user__is_active=True)
        .exclude(user=user)
        .select_related("user", "agency")
        .order_by("user__full_name", "agency__name", "role")
    )


def area_membership(*, actor: Actor, pk: int) -> Membership | None:
    return (
        Membership.objects.filter(agency__area_id=actor.area_id, pk=pk)
        .select_related("user", "agency")
        .first()
    )


def own_api_tokens(*, user: User) -> QuerySet[ApiToken]:
    return (
        ApiToken.objects.filter(user=user)
        .select_related("membership__agency")
        .order_by("-created_at")
    )
