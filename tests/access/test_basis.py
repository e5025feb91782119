"""A person read through visible_persons_with_basis carries whether the actor is on their
team, so the child page's checks answer without asking the database again; they must
answer exactly as they do when they ask."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.case_policy import sees_statutory_defence_flag
from clearsight.access.models import BreakGlassAccess
from clearsight.access.policy import (
    can_edit_person,
    known_on_team,
    rows_of_person,
    visible_persons_with_basis,
    why_visible,
)
from clearsight.access.roles import Capability, Role, role_can
from clearsight.missing.models import MissingEpisode
from clearsight.people.models import Person
from tests.conftest import Cast
from tests.factories import MissingEpisodeFactory, PersonFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db

SEES_CHILDREN = [role for role in Role if role_can(role, Capability.VIEW_CHILDREN)]


def _actor(cast: Cast, role: Role) -> Actor:
    membership = cast.members[role]
    return Actor(user=membership.user, membership=membership)


def _children(cast: Cast, actor: Actor) -> dict[str, Person]:
    """A child whose team the actor is on, one they reached by break-glass, one they
    have no link to, and one whose team they have left."""
    on_team, glass, unlinked, left = PersonFactory.create_batch(4, area=cast.area)
    TeamMemberFactory(person=on_team, membership=actor.membership)
    TeamMemberFactory(person=left, membership=actor.membership, ended_at=timezone.now())
    BreakGlassAccess.objects.create(
        person=glass,
        user=actor.user,
        membership=actor.membership,
        reason="Urgent: missing tonight",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    return {"on team": on_team, "break-glass": glass, "unlinked": unlinked, "left": left}


@pytest.mark.parametrize("role", SEES_CHILDREN)
def test_checks_on_a_person_read_with_the_basis_answer_as_the_database_does(
    role: Role, cast: Cast, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    actor = _actor(cast, role)
    for which, child in _children(cast, actor).items():
        plain = Person.objects.get(pk=child.pk)
        read = visible_persons_with_basis(actor).filter(pk=child.pk).first()
        if read is None:  # not visible to this role: the page never gets this far
            assert why_visible(actor, plain) is None, which
            continue
        expected = (
            why_visible(actor, plain),
            can_edit_person(actor, plain),
            sees_statutory_defence_flag(actor, plain),
        )
        with django_assert_num_queries(0):
            answers = (
                why_visible(actor, read),
                can_edit_person(actor, read),
                sees_statutory_defence_flag(actor, read),
            )
        assert answers == expected, (role, which)


def test_the_fact_is_used_only_for_the_membership_it_was_read_for(cast: Cast) -> None:
    officer = _actor(cast, Role.POLICE_OFFICER)
    analyst = _actor(cast, Role.INTELLIGENCE_ANALYST)
    child = PersonFactory(area=cast.area)
    TeamMemberFactory(person=child, membership=officer.membership)
    read = visible_persons_with_basis(officer).get(pk=child.pk)
    assert known_on_team(officer, read) is True
    # Another membership must ask the database: the analyst is not on the team.
    assert known_on_team(analyst, read) is None
    assert why_visible(analyst, read) == f"{analyst.role.label} in {cast.area.name}"
    assert sees_statutory_defence_flag(analyst, read) is False


def test_a_person_read_without_the_basis_is_checked_in_the_database(cast: Cast) -> None:
    officer = _actor(cast, Role.POLICE_OFFICER)
    child = PersonFactory(area=cast.area)
    assert known_on_team(officer, Person.objects.get(pk=child.pk)) is None


@pytest.mark.parametrize("role", list(Role))
def test_rows_of_a_person_are_those_the_actor_may_see_however_the_person_was_read(
    role: Role, cast: Cast
) -> None:
    """A checked person's rows are read by id alone; any other person object (read for
    another membership, or plainly) is checked in the database with the rows."""
    actor = _actor(cast, role)
    children = _children(cast, actor)
    for child in children.values():
        MissingEpisodeFactory(person=child)
    other = _actor(
        cast, Role.POLICE_OFFICER if role != Role.POLICE_OFFICER else Role.TRIAGE_OFFICER
    )
    for which, child in children.items():
        visible = visible_persons_with_basis(actor).filter(pk=child.pk).exists()
        reads = [
            Person.objects.get(pk=child.pk),
            visible_persons_with_basis(other).get(pk=child.pk),
            *visible_persons_with_basis(actor).filter(pk=child.pk),
        ]
        for read in reads:
            rows = MissingEpisode.objects.filter(rows_of_person(actor, read))
            assert rows.count() == (1 if visible else 0), (role, which)
