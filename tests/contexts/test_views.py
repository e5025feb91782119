"""Places, peer groups and the hotspot map: every role that sees children may use them;
others get a 403. Bad input gets the GOV.UK error summary."""

from __future__ import annotations

import pytest

from clearsight.access.actor import Actor
from clearsight.access.roles import Capability, Role, role_can
from clearsight.contexts import services
from clearsight.contexts.models import Location
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def make_place(cast: Cast) -> Location:
    member = cast.members[Role.PRACTITIONER]
    return services.create_location(
        actor=Actor(member.user, member),
        name="Northgate Station",
        location_type="station",
        postcode="ls1 4ap",
        latitude=53.79,  # type: ignore[arg-type]
        longitude=-1.54,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("role", list(Role))
def test_context_pages_by_role(role: Role, cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    place = make_place(cast)
    client = client_for(role)
    allowed = role_can(role, Capability.VIEW_CHILDREN)
    for url in ["/places/", "/places/map/", "/places/map/data.json", f"/places/{place.pk}/"]:
        assert client.get(url).status_code == (200 if allowed else 403), url


def test_a_bad_postcode_and_half_a_position_get_clear_messages(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(Role.PRACTITIONER).post(
        "/places/",
        {"name": "Park", "location_type": "park", "postcode": "nowhere", "latitude": "53.1"},
    )
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Enter a real UK postcode" in text
    assert "Enter both latitude and longitude" in text


def test_a_context_assessment_names_who_is_responsible(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    place = make_place(cast)
    client = client_for(Role.SOCIAL_WORKER)
    response = client.post(
        f"/places/{place.pk}/",
        {
            "action": "assessment",
            "assessment-assessed_on": "2026-03-01",
            "assessment-what_makes_it_unsafe": "Older men approach children at the ticket barrier",
            "assessment-responsible_kind": "transport_operator",
            "assessment-responsible_name": "Northern Trains",
            "assessment-action_plan": "Staff training; CCTV review",
        },
    )
    assert response.status_code == 302
    assert "Northern Trains" in client.get(f"/places/{place.pk}/").content.decode()
