"""Places, peer groups and the hotspot map: every role that sees children may use them;
others get a 403. Bad input gets the GOV.UK error summary."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

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


def test_the_map_asks_for_its_period_in_date_boxes_filled_with_the_last_90_days(
    cast: Cast, client_for
) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    start = today - timedelta(days=90)
    page = client_for(Role.PRACTITIONER).get("/places/map/").content.decode()
    assert 'type="date"' not in page
    assert f'name="since_day" value="{start.day}"' in page
    assert f'name="until_year" value="{today.year}"' in page
    assert (
        f'data-url="/places/map/data.json?since={start:%Y-%m-%d}&amp;until={today:%Y-%m-%d}"'
        in page
    )


def test_the_period_typed_in_the_boxes_is_the_one_the_map_shows(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    boxes = {
        "since_day": "1",
        "since_month": "2",
        "since_year": "2026",
        "until_day": "28",
        "until_month": "2",
        "until_year": "2026",
    }
    body = client_for(Role.PRACTITIONER).get("/places/map/data.json", boxes).json()
    assert (body["since"], body["until"]) == ("2026-02-01", "2026-02-28")
    page = client_for(Role.PRACTITIONER).get("/places/map/", boxes).content.decode()
    assert "Places from 1 Feb 2026 to 28 Feb 2026" in page


def test_a_bad_map_date_is_explained_on_the_page_and_in_the_data(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    bad = {"since_day": "31", "since_month": "2", "since_year": "2026"}
    client = client_for(Role.PRACTITIONER)
    page = client.get("/places/map/", bad)
    assert page.status_code == 400
    text = page.content.decode()
    assert "There is a problem" in text and "The start date must be a real date" in text
    data = client.get("/places/map/data.json", bad)
    assert data.status_code == 400 and data["Content-Type"] == "application/problem+json"
    assert data.json()["errors"][0]["field"] == "since"


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
