"""The places and peer groups of a child, and how the child's page shows them."""

from __future__ import annotations

from datetime import date

import pytest

from clearsight.access.actor import Actor
from clearsight.access.roles import Role
from clearsight.contexts import services
from clearsight.contexts.models import PersonPlace
from clearsight.contexts.selectors import contexts_of
from clearsight.people.models import Person
from tests.conftest import Cast
from tests.factories import LocationFactory, PeerGroupFactory, PersonFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


def _actor(cast: Cast, role: Role) -> Actor:
    membership = cast.members[role]
    return Actor(membership.user, membership)


@pytest.fixture
def child(cast: Cast) -> Person:
    child = PersonFactory(area=cast.area)
    for role in Role:
        TeamMemberFactory(person=child, membership=cast.members[role])
    return child


def test_places_newest_first_and_peer_groups_in_the_order_joined(cast: Cast, child: Person) -> None:
    practitioner = _actor(cast, Role.PRACTITIONER)
    park = LocationFactory(area=cast.area, name="Northgate Park")
    station = LocationFactory(area=cast.area, name="Northgate Station")
    older = PeerGroupFactory(area=cast.area, name="Older group")
    newer = PeerGroupFactory(area=cast.area, name="Newer group")
    for subject, from_on, link_type in [
        (park, date(2025, 1, 5), "spends_time"),
        (station, date(2025, 3, 1), "found_while_missing"),
        (newer, date(2025, 4, 1), ""),
        (older, date(2024, 9, 1), ""),
    ]:
        services.link_child(
            actor=practitioner,
            subject=subject,
            person_id=child.pk,
            from_on=from_on,
            to_on=date(2025, 2, 1) if subject == older else None,
            link_type=link_type or "spends_time",
        )
    found = contexts_of(actor=practitioner, person=child)
    assert [(p.name, p.link_type_label) for p in found.places] == [
        ("Northgate Station", "Found there while missing"),
        ("Northgate Park", "Spends time there"),
    ]
    assert [(g.name, g.from_on, g.to_on) for g in found.peer_groups] == [
        ("Older group", date(2024, 9, 1), date(2025, 2, 1)),
        ("Newer group", date(2025, 4, 1), None),
    ]


def test_places_of_another_area_are_not_shown(cast: Cast, child: Person) -> None:
    elsewhere = LocationFactory(name="Elsewhere Park")
    PersonPlace.objects.create(
        location=elsewhere,
        person=child,
        link_type="spends_time",
        from_on=date(2025, 1, 1),
        recorded_by=cast.members[Role.PRACTITIONER].user,
    )
    found = contexts_of(actor=_actor(cast, Role.PRACTITIONER), person=child)
    assert found.places == []


def test_the_child_page_links_to_each_place_and_peer_group(
    cast: Cast, child: Person, client_for
) -> None:  # type: ignore[no-untyped-def]
    practitioner = _actor(cast, Role.PRACTITIONER)
    place = LocationFactory(area=cast.area, name="Northgate Station")
    group = PeerGroupFactory(area=cast.area, name="Station crowd")
    services.link_child(
        actor=practitioner,
        subject=place,
        person_id=child.pk,
        from_on=date(2025, 3, 1),
        link_type="seen_at",
    )
    services.link_child(
        actor=practitioner,
        subject=group,
        person_id=child.pk,
        from_on=date(2025, 3, 1),
        to_on=date(2025, 6, 30),
    )
    text = client_for(Role.PRACTITIONER).get(f"/people/{child.pk}/").content.decode()
    assert (
        f'<a class="govuk-link" href="/places/{place.pk}/">Northgate Station</a>: seen there'
        in text
    )
    assert (
        f'<a class="govuk-link" href="/peer-groups/{group.pk}/">Station crowd</a> '
        "(peer group, from 1 Mar 2025 until 30 Jun 2025)" in text
    )
