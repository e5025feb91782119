"""Shared set-up for the cases tests: actors from the cast and a child on a team."""

from __future__ import annotations

from clearsight.access.actor import Actor
from clearsight.access.roles import Role
from clearsight.people.models import Person
from tests.conftest import Cast
from tests.factories import PersonFactory, TeamMemberFactory


def actor_for(cast: Cast, role: Role) -> Actor:
    membership = cast.members[role]
    return Actor(user=membership.user, membership=membership)


def child_on_team(cast: Cast, *roles: Role, **fields: object) -> Person:
    child = PersonFactory(area=cast.area, **fields)
    for role in roles:
        TeamMemberFactory(person=child, membership=cast.members[role])
    return child
