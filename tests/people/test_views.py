"""Finding, adding and opening person records through the pages."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from clearsight.access.roles import Capability, Role, role_can
from clearsight.audit.models import AuditEvent
from clearsight.people.models import Person
from tests.conftest import Cast
from tests.factories import AreaFactory, PersonFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db

NEW = {
    "kind": "child",
    "given_names": "Kai",
    "family_name": "Morgan",
    "date_of_birth_day": "27",
    "date_of_birth_month": "3",
    "date_of_birth_year": "2011",
    "sex": "unknown",
}


def records(cast: Cast) -> dict[str, Person]:
    """One record on the social worker's team, one on another team, one in another area."""
    own = PersonFactory(area=cast.area, given_names="Ava", family_name="Own")
    TeamMemberFactory(person=own, membership=cast.members[Role.SOCIAL_WORKER])
    other = PersonFactory(area=cast.area, given_names="Ben", family_name="Other")
    TeamMemberFactory(person=other, membership=cast.members[Role.PRACTITIONER])
    away = PersonFactory(area=AreaFactory(), given_names="Cal", family_name="Away")
    return {"own": own, "other_team": other, "other_area": away}


def test_adding_a_new_child_opens_their_page(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.SOCIAL_WORKER)
    response = client.post("/people/new/", NEW)
    person = Person.objects.get(family_name="Morgan")
    assert response["Location"] == f"/people/{person.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Kai Morgan" in page
    assert "Member of the team around this person" in page
    assert "Added to Clearsight" in page


def test_a_likely_duplicate_is_shown_with_reasons_before_creating(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    existing = PersonFactory(
        area=cast.area, given_names="Kai", family_name="Morgan", date_of_birth=date(2011, 3, 27)
    )
    client = client_for(Role.TRIAGE_OFFICER)
    page = client.post("/people/new/", NEW).content.decode()
    assert "This person may already be in Clearsight" in page
    assert f"/people/{existing.pk}/" in page
    assert "Same date of birth" in page and "Same name" in page
    assert Person.objects.count() == 1
    response = client.post("/people/new/", NEW | {"confirmed": "yes"})
    assert response.status_code == 302
    assert Person.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"given_names": ""}, "Enter the first name"),
        ({"family_name": "x" * 10_000}, "200 characters or fewer"),
        ({"date_of_birth_year": "2099"}, "today or in the past"),
        ({"date_of_birth_month": ""}, "must include a month"),
        ({"date_of_birth_day": "31", "date_of_birth_month": "2"}, "must be a real date"),
        ({"nhs_number": "9434765918"}, "last digit does not match"),
    ],
)
def test_bad_input_gets_an_error_summary_and_keeps_what_was_typed(
    client_for, changes: dict, message: str
) -> None:  # type: ignore[no-untyped-def, type-arg]
    response = client_for(Role.SOCIAL_WORKER).post("/people/new/", NEW | changes)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert not Person.objects.exists()


def test_opening_a_record_is_audited_with_the_person(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    own = records(cast)["own"]
    client_for(Role.SOCIAL_WORKER).get(f"/people/{own.pk}/")
    event = AuditEvent.objects.get(action="person.viewed")
    assert event.person_id == own.pk
    assert event.actor_membership == cast.members[Role.SOCIAL_WORKER]


def test_search_results_are_audited(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    own = records(cast)["own"]
    page = client_for(Role.SOCIAL_WORKER).get("/people/", {"text": "Ava Own"}).content.decode()
    assert "Ava Own" in page and "Ben Other" not in page
    assert AuditEvent.objects.get(action="person.searched").details["result_person_ids"] == [own.pk]


def test_other_team_record_offers_break_glass_which_is_then_flagged(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    other = records(cast)["other_team"]
    client = client_for(Role.SOCIAL_WORKER)
    response = client.get(f"/people/{other.pk}/")
    assert response.status_code == 403
    assert "Open the record in an emergency" in response.content.decode()
    assert "Ben Other" not in response.content.decode()
    short = client.post(f"/people/{other.pk}/emergency-access/", {"reason": "now"})
    assert short.status_code == 400
    assert "at least 10 characters" in short.content.decode()
    done = client.post(
        f"/people/{other.pk}/emergency-access/",
        {"reason": "Child reported missing, need the carer's number"},
    )
    assert done["Location"] == f"/people/{other.pk}/"
    page = client.get(f"/people/{other.pk}/").content.decode()
    assert "Emergency (break-glass) access" in page
    assert AuditEvent.objects.filter(action="person.break_glass", person_id=other.pk).exists()


# The child page's query budget: the session, user, second factor and role (4), the
# record and its details (6), the audit event, the timeline's sources, the risk, missing,
# team, case, places and intelligence panels, and the unread count. The page must not
# grow with the child's history: every panel reads in a fixed number of queries (a police
# officer's page, the most, was 35 with this history before the missing history and the
# team were read once for the whole page).
CHILD_PAGE_QUERIES = 30


def _a_long_history(cast: Cast, person: Person) -> None:
    """Team members, missing episodes found at a place where other children of the
    area were found (with an adult of the area), signs seen and a concern."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import ConcernFactory, MissingEpisodeFactory, ObservationFactory

    for role in (Role.PRACTITIONER, Role.RHI_WORKER, Role.DESIGNATED_SAFEGUARDING_LEAD):
        TeamMemberFactory(person=person, membership=cast.members[role])
    PersonFactory(area=cast.area, kind="adult", given_names="Dean", family_name="Price")
    found = [(person, "Flat 4, Tower Court"), (person, "Home"), (person, "Flat 4, Tower Court")]
    found += [
        (other, "Flat 4, Tower Court") for other in PersonFactory.create_batch(2, area=cast.area)
    ]
    for n, (child, place) in enumerate(found):
        started = timezone.now() - timedelta(days=10 * n + 5)
        MissingEpisodeFactory(
            person=child,
            started_at=started,
            ended_at=started + timedelta(hours=6),
            found_place=place,
            found_with="Dean Price",
        )
    for code in ("MIS-01", "MON-02", "PHN-01"):
        ObservationFactory(person=person, indicator_code=code, seen_on=timezone.localdate())
    ConcernFactory(area=cast.area, person=person)


@pytest.mark.parametrize(
    "role", [Role.SOCIAL_WORKER, Role.POLICE_OFFICER, Role.MISSING_COORDINATOR]
)
def test_child_page_costs_a_flat_number_of_queries(
    role: Role, cast: Cast, client_for, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    own = records(cast)["own"]
    client = client_for(role)
    with django_assert_max_num_queries(CHILD_PAGE_QUERIES):
        assert client.get(f"/people/{own.pk}/").status_code == 200
    _a_long_history(cast, own)
    with django_assert_max_num_queries(CHILD_PAGE_QUERIES):
        page = client.get(f"/people/{own.pk}/").content.decode()
    assert "Found at a place where other children have been found" in page
    assert "Found with an adult already of concern" in page


def test_timeline_filters_by_type(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    own = records(cast)["own"]
    page = (
        client_for(Role.SOCIAL_WORKER).get(f"/people/{own.pk}/", {"type": "team"}).content.decode()
    )
    assert "joined the team" in page
    assert "Added to Clearsight" not in page


def _observed_many_times(person: Person, times: int) -> None:
    """``times`` recordings of a sign, one a day back from today (newest first)."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import ObservationFactory

    for day in range(times):
        ObservationFactory(
            person=person,
            indicator_code="MIS-01",
            created_at=timezone.now() - timedelta(days=day, hours=1),
            seen_on=timezone.localdate() - timedelta(days=day),
        )


def test_a_long_timeline_shows_the_newest_events_a_page_at_a_time(  # type: ignore[no-untyped-def]
    cast: Cast, client_for
) -> None:
    from clearsight.people.timeline_selectors import TIMELINE_PAGE_SIZE

    own = records(cast)["own"]
    _observed_many_times(own, TIMELINE_PAGE_SIZE + 10)
    client = client_for(Role.SOCIAL_WORKER)
    first = client.get(f"/people/{own.pk}/", {"type": "observation"}).content.decode()
    assert first.count('class="moj-timeline__item"') == TIMELINE_PAGE_SIZE
    total = TIMELINE_PAGE_SIZE + 10
    assert f"Showing events 1 to {TIMELINE_PAGE_SIZE} of {total}, newest first" in first
    # The link to the older events keeps the filter.
    assert 'href="?type=observation&amp;page=2#timeline" rel="next"' in first
    assert 'aria-current="page">1<' in first
    second = client.get(f"/people/{own.pk}/", {"type": "observation", "page": "2"})
    html = second.content.decode()
    assert html.count('class="moj-timeline__item"') == 10
    assert f"Showing events {TIMELINE_PAGE_SIZE + 1} to {total} of {total}" in html
    assert 'rel="prev"' in html and 'rel="next"' not in html
    # Newest first: every event on the first page is newer than every event on the next.
    assert min(_event_times(first)) > max(_event_times(html))


def _event_times(html: str) -> list[str]:
    """The ISO times of the timeline's events on a page (they sort as text)."""
    import re

    return re.findall(r'<p class="moj-timeline__date"><time datetime="([^"]+)"', html)


def test_the_timeline_counts_events_with_thousands_separated() -> None:
    from datetime import datetime

    from django.core.paginator import Paginator

    from clearsight.people.timeline_selectors import Timeline, TimelineEntry

    entry = TimelineEntry(at=datetime(2026, 1, 1), kind="record", title="Added", agency=None)
    page = Paginator([entry] * 2595, 25).get_page(3)
    timeline = Timeline(entries=list(page.object_list), page=page)
    assert timeline.showing == "Showing events 51 to 75 of 2,595, newest first"


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999", "2.5", ""])
def test_a_timeline_page_that_does_not_exist_shows_the_nearest_page(  # type: ignore[no-untyped-def]
    page: str, cast: Cast, client_for
) -> None:
    own = records(cast)["own"]
    _observed_many_times(own, 30)
    response = client_for(Role.SOCIAL_WORKER).get(f"/people/{own.pk}/", {"page": page})
    assert response.status_code == 200
    assert 'class="moj-timeline__item"' in response.content.decode()


def test_a_short_timeline_has_no_page_links(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    own = records(cast)["own"]
    page = client_for(Role.SOCIAL_WORKER).get(f"/people/{own.pk}/").content.decode()
    assert 'data-testid="timeline-pages"' not in page
    assert "Showing events" not in page


ROLE_EXPECTATIONS = {
    # role: which of (own, other_team, other_area) it may open
    Role.SOCIAL_WORKER: {"own"},
    Role.PRACTITIONER: {"other_team"},  # the "other team" record is on the practitioner's team
    Role.TRIAGE_OFFICER: {"own", "other_team"},
    Role.MACE_COORDINATOR: {"own", "other_team"},
    Role.MISSING_COORDINATOR: {"own", "other_team"},
    Role.POLICE_OFFICER: {"own", "other_team"},
    Role.INTELLIGENCE_ANALYST: {"own", "other_team"},
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("which", ["own", "other_team", "other_area"])
def test_child_page_authorisation(role: Role, which: str, cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    person = records(cast)[which]
    response = client_for(role).get(f"/people/{person.pk}/")
    if not role_can(role, Capability.VIEW_CHILDREN):
        assert response.status_code == 403
        assert person.family_name not in response.content.decode()
        return
    allowed = ROLE_EXPECTATIONS.get(role, set())
    if which in allowed:
        assert response.status_code == 200
    elif which == "other_area":
        assert response.status_code == 404
    else:
        assert response.status_code == 403  # outside the team: break-glass offered
        assert person.family_name not in response.content.decode()


def test_signed_out_visitors_cannot_reach_people_pages(cast: Cast) -> None:
    own = records(cast)["own"]
    for path in ("/people/", "/people/new/", f"/people/{own.pk}/"):
        assert Client().get(path)["Location"].startswith("/sign-in/")


def test_search_costs_a_flat_number_of_queries(
    cast: Cast, client_for, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import AddressFactory

    client = client_for(Role.TRIAGE_OFFICER)
    # The session, user, second factor and role (4), the search with each result's
    # postcode and identifiers (1), the audit event, the unread count.
    with django_assert_max_num_queries(7):
        assert client.get("/people/", {"text": "ava morgan"}).status_code == 200
    for n in range(20):
        person = PersonFactory(area=cast.area, given_names="Ava", family_name=f"Morgan{n}")
        person.aliases.create(name=f"Avi {n}")
        person.identifiers.create(kind="upn", value=f"X{n:012d}")
        AddressFactory(person=person)
    with django_assert_max_num_queries(7):
        assert client.get("/people/", {"text": "ava morgan"}).status_code == 200
    found = AuditEvent.objects.filter(action="person.searched").order_by("pk").last()
    assert found is not None and len(found.details["result_person_ids"]) == 20


def test_a_search_result_shows_the_name_date_of_birth_latest_postcode_and_identifiers(
    cast: Cast, client_for
) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import AddressFactory

    person = PersonFactory(
        area=cast.area,
        kind="adult",
        given_names="Ava",
        family_name="Whitcombe",
        preferred_name="Avi",
        date_of_birth=date(2004, 3, 7),
        date_of_birth_is_approximate=True,
    )
    AddressFactory(person=person, postcode="LS1 1AA", from_on=date(2020, 1, 1))
    AddressFactory(person=person, postcode="LS2 2BB", from_on=date(2023, 6, 1))
    person.identifiers.create(kind="nhs_number", value="9434765919")
    person.identifiers.create(kind="upn", value="B801200005001")
    page = client_for(Role.TRIAGE_OFFICER).get("/people/", {"text": "ava whitcombe"})
    row = page.content.decode().split('<tbody class="govuk-table__body">')[1]
    assert f'href="/people/{person.pk}/">Ava Whitcombe (“Avi”)</a>' in row
    assert '<strong class="govuk-tag govuk-tag--grey">Adult</strong>' in row
    assert "7 Mar 2004 (approx.)" in row
    assert "LS2 2BB" in row and "LS1 1AA" not in row
    assert "NHS number 9434765919<br>Unique Pupil Number B801200005001" in row


def test_search_finds_part_of_a_name_only_in_the_searchers_area(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    PersonFactory(area=cast.area, given_names="Ava", family_name="Whitcombe-Hartley")
    PersonFactory(area=AreaFactory(), given_names="Ava", family_name="Whitcombe-Hartley")
    client = client_for(Role.TRIAGE_OFFICER)
    page = client.get("/people/", {"text": "combe-hart"}).content.decode()
    assert page.count("Whitcombe-Hartley") == 1
    assert AuditEvent.objects.get(action="person.searched").details["result_person_ids"] == [
        Person.objects.get(area=cast.area, family_name="Whitcombe-Hartley").pk
    ]
