"""Reads: the library an area uses, a child's observations on their timeline."""

from __future__ import annotations

from datetime import date

import pytest

from clearsight.access.actor import Actor
from clearsight.access.roles import Role
from clearsight.people.selectors import person_for_actor
from clearsight.people.timeline_selectors import person_timeline
from clearsight.risk import selectors
from clearsight.risk.models import LibraryVersion, VersionStatus
from clearsight.risk.services import record_observations
from tests.conftest import Cast
from tests.factories import AreaFactory, PersonFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


def actor(cast: Cast, role: Role) -> Actor:
    membership = cast.members[role]
    return Actor(user=membership.user, membership=membership)


def test_an_area_uses_its_own_published_version_before_the_national_one(
    cast: Cast, national_library: LibraryVersion
) -> None:
    assert selectors.current_library(cast.area.pk) == national_library
    draft = LibraryVersion.objects.create(
        area=cast.area,
        number=2,
        title="Testshire library",
        based_on=national_library,
        low_threshold=1,
        medium_threshold=10,
        high_threshold=20,
        half_life_days=90,
        lookback_days=365,
    )
    assert selectors.current_library(cast.area.pk) == national_library
    draft.status = VersionStatus.PUBLISHED
    draft.published_at = draft.created_at
    draft.save()
    assert selectors.current_library(cast.area.pk) == draft
    assert selectors.current_library(AreaFactory().pk) == national_library


def test_observations_appear_on_the_childs_timeline_as_one_entry_per_recording(
    cast: Cast, national_library: LibraryVersion
) -> None:
    child = PersonFactory(area=cast.area, date_of_birth=date(2011, 1, 1))
    TeamMemberFactory(person=child, membership=cast.members[Role.PRACTITIONER])
    practitioner = actor(cast, Role.PRACTITIONER)
    record_observations(
        actor=practitioner,
        person_id=child.pk,
        codes=["MIS-01", "MON-01"],
        seen_on=date(2026, 3, 4),
        confidence=4,
        note="New trainers and cash",
    )
    person = person_for_actor(actor=practitioner, pk=child.pk)
    assert person is not None
    timeline = person_timeline(actor=practitioner, person=person, kind="observation")
    [entry] = timeline.entries
    assert entry.title == "Signs seen: Goes missing repeatedly; Unexplained money"
    assert entry.detail == (
        "Seen on 4 March 2026, confidence 4 of 5 (Professional). New trainers and cash"
    )
    assert entry.agency == cast.agencies["youth_service"]
    assert ("observation", "Observations") in timeline.kinds
    assert [o.indicator_code for o in selectors.observations_for(practitioner, person)] == [
        "MIS-01",
        "MON-01",
    ]
