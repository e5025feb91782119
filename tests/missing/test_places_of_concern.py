"""Places and adults already of concern (missing/selectors.concerns_for): the same
answer whether a place is rare (counted from its own episodes) or common (counted from
the area's children), and a bounded number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clearsight.missing import selectors
from clearsight.missing.patterns import EpisodeFacts
from clearsight.people.models import Person
from tests.conftest import Cast
from tests.factories import AreaFactory, MissingEpisodeFactory, PersonFactory

pytestmark = pytest.mark.django_db


def found_at(person: Person, place: str, days_ago: int = 10, found_with: str = "") -> None:
    started = timezone.now() - timedelta(days=days_ago)
    MissingEpisodeFactory(
        person=person,
        started_at=started,
        ended_at=started + timedelta(hours=5),
        found_place=place,
        found_with=found_with,
    )


def facts(*places: str, found_with: str = "") -> list[EpisodeFacts]:
    now = timezone.now()
    return [EpisodeFacts(now, now, found_place=p, found_with=found_with) for p in places]


@pytest.fixture(params=["rare", "common"])
def counted_as(request, monkeypatch) -> str:  # type: ignore[no-untyped-def]
    """Run each case with every place rare, then with every place common."""
    if request.param == "common":
        monkeypatch.setattr(selectors, "RARE_PLACE_EPISODES", 1)
    return str(request.param)


def test_a_place_is_of_concern_once_two_other_children_of_the_area_were_found_there(
    cast: Cast, counted_as: str
) -> None:
    child = PersonFactory(area=cast.area)
    found_at(child, "Flat 4, Tower Court")
    first, second = PersonFactory.create_batch(2, area=cast.area)
    found_at(first, "flat 4, tower court ")
    found_at(first, "Flat 4, Tower Court", days_ago=40)
    assert selectors.concerns_for(child, facts("Flat 4, Tower Court")).places == frozenset()
    found_at(second, " FLAT 4, TOWER COURT")
    concerns = selectors.concerns_for(child, facts("Flat 4, Tower Court", "Home"))
    assert concerns.places == {"flat 4, tower court"}


def test_children_of_other_areas_and_the_child_itself_do_not_count(
    cast: Cast, counted_as: str
) -> None:
    child = PersonFactory(area=cast.area)
    for _ in range(3):
        found_at(child, "Bus station", days_ago=_ * 20 + 5)
    for other in PersonFactory.create_batch(3, area=AreaFactory()):
        found_at(other, "Bus station")
    found_at(PersonFactory(area=cast.area), "Bus station")
    assert selectors.concerns_for(child, facts("Bus station")).places == frozenset()


def test_an_adult_of_the_area_named_in_found_with_is_of_concern(cast: Cast) -> None:
    child = PersonFactory(area=cast.area)
    PersonFactory(area=cast.area, kind="adult", given_names="Dean", family_name="Price")
    PersonFactory(area=AreaFactory(), kind="adult", given_names="Lee", family_name="Stone")
    concerns = selectors.concerns_for(child, facts("", found_with="Dean Price and Lee Stone"))
    assert concerns.adults == {"dean price"}


def test_concerns_cost_two_queries_however_many_places(
    cast: Cast, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    child = PersonFactory(area=cast.area)
    places = [f"Flat {n}, Mill Court" for n in range(12)]
    with django_assert_max_num_queries(2):
        selectors.concerns_for(child, facts(*places, found_with="Dean Price"))
