"""Concerns linked to a child appear on the child's timeline, without what the reporter
wrote or who they are."""

from __future__ import annotations

import pytest

from clearsight.access.roles import Role
from tests.conftest import Cast
from tests.factories import ConcernFactory, PersonFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


def test_a_linked_concern_shows_its_source_and_outcome_but_not_its_words(
    cast: Cast, client_for
) -> None:  # type: ignore[no-untyped-def]
    child = PersonFactory(area=cast.area)
    TeamMemberFactory(person=child, membership=cast.members[Role.SOCIAL_WORKER])
    ConcernFactory(
        area=cast.area,
        person=child,
        sector="transport",
        outcome="referral",
        reporter_name="Pat Reporter",
        reporter_email="pat@example.invalid",
    )
    ConcernFactory(area=cast.area)  # not linked: never on this child's timeline
    page = client_for(Role.SOCIAL_WORKER).get(f"/people/{child.pk}/", {"type": "concern"})
    text = page.content.decode()
    assert text.count("Concern received from") == 1
    assert "a member of the public or sector staff (Transport" in text
    assert "Outcome: referral made." in text
    assert "Pat Reporter" not in text and "pat@example.invalid" not in text
    assert "handing small parcels" not in text
