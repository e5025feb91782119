"""Search and duplicate matching only ever return people the actor may see."""

from __future__ import annotations

from datetime import date

import pytest

from clearsight.access.actor import Actor
from clearsight.access.policy import visible_persons
from clearsight.access.roles import Role
from clearsight.people.choices import IdentifierKind
from clearsight.people.models import PersonAlias, PersonIdentifier, Phone
from clearsight.people.selectors import (
    SearchCriteria,
    likely_matches,
    search_persons,
    search_results,
)
from tests.conftest import Cast
from tests.factories import AreaFactory, PersonFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


def actor(cast: Cast, role: Role) -> Actor:
    membership = cast.members[role]
    return Actor(user=membership.user, membership=membership)


def on_team(cast: Cast, role: Role, **person_fields: object):  # type: ignore[no-untyped-def]
    person = PersonFactory(area=cast.area, **person_fields)
    TeamMemberFactory(person=person, membership=cast.members[role])
    return person


def test_team_members_see_their_people_and_nobody_else(cast: Cast) -> None:
    mine = on_team(cast, Role.SOCIAL_WORKER)
    theirs = on_team(cast, Role.PRACTITIONER)
    visible = set(visible_persons(actor(cast, Role.SOCIAL_WORKER)))
    assert mine in visible and theirs not in visible


@pytest.mark.parametrize(
    "role",
    [Role.TRIAGE_OFFICER, Role.MACE_COORDINATOR, Role.POLICE_OFFICER, Role.INTELLIGENCE_ANALYST],
)
def test_area_wide_roles_see_everyone_in_their_area_only(cast: Cast, role: Role) -> None:
    here = PersonFactory(area=cast.area)
    elsewhere = PersonFactory(area=AreaFactory())
    visible = set(visible_persons(actor(cast, role)))
    assert here in visible and elsewhere not in visible


@pytest.mark.parametrize(
    "role", [Role.AREA_ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER, Role.HELPLINE_WORKER]
)
def test_administrators_dpos_and_helplines_see_no_records(cast: Cast, role: Role) -> None:
    on_team(cast, Role.SOCIAL_WORKER)
    assert not visible_persons(actor(cast, role)).exists()


def test_ended_team_membership_removes_access(cast: Cast) -> None:
    from django.utils import timezone

    person = on_team(cast, Role.SOCIAL_WORKER)
    person.team.update(ended_at=timezone.now())
    assert not visible_persons(actor(cast, Role.SOCIAL_WORKER)).filter(pk=person.pk).exists()


def test_fuzzy_name_search_finds_misspellings_and_nicknames(cast: Cast) -> None:
    person = on_team(cast, Role.SOCIAL_WORKER, given_names="Mohammed", family_name="Rahman")
    PersonAlias.objects.create(person=person, name="Mo")
    me = actor(cast, Role.SOCIAL_WORKER)
    assert person in search_persons(actor=me, criteria=SearchCriteria(text="Mohamed Rahmen"))
    assert person in search_persons(actor=me, criteria=SearchCriteria(text="rahman"))
    assert person in search_persons(actor=me, criteria=SearchCriteria(text="Mo"))


def test_search_by_date_of_birth_identifier_and_postcode(cast: Cast) -> None:
    person = on_team(cast, Role.SOCIAL_WORKER, date_of_birth=date(2010, 5, 4))
    PersonIdentifier.objects.create(person=person, kind=IdentifierKind.UPN, value="B801200005001")
    person.addresses.create(line_1="1 Example Street", postcode="LS1 4AP")
    me = actor(cast, Role.SOCIAL_WORKER)
    assert search_persons(actor=me, criteria=SearchCriteria(date_of_birth=date(2010, 5, 4))) == [
        person
    ]
    assert search_persons(actor=me, criteria=SearchCriteria(identifier="b801200005001")) == [person]
    assert search_persons(actor=me, criteria=SearchCriteria(postcode="ls14ap")) == [person]


def test_search_never_returns_people_outside_the_team(cast: Cast) -> None:
    on_team(cast, Role.PRACTITIONER, given_names="Jayden", family_name="Clarke")
    results = search_persons(
        actor=actor(cast, Role.SOCIAL_WORKER), criteria=SearchCriteria(text="Jayden Clarke")
    )
    assert results == []


def test_likely_matches_explain_why(cast: Cast) -> None:
    existing = on_team(
        cast,
        Role.SOCIAL_WORKER,
        given_names="Kai",
        family_name="Morgan",
        date_of_birth=date(2011, 3, 4),
    )
    Phone.objects.create(person=existing, number="+447700900123")
    matches = likely_matches(
        actor=actor(cast, Role.SOCIAL_WORKER),
        given_names="Kai",
        family_name="Morgan",
        date_of_birth=date(2011, 4, 3),
        phone="+447700900123",
    )
    assert [m.person for m in matches] == [existing]
    assert matches[0].reasons == [
        "Date of birth with the day and month swapped",
        "Same name",
        "Same phone number",
    ]


def test_search_results_cost_a_flat_number_of_queries(
    cast: Cast, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for n in range(15):
        person = on_team(cast, Role.SOCIAL_WORKER, family_name=f"Morgan{n}")
        PersonIdentifier.objects.create(person=person, kind=IdentifierKind.UPN, value=f"X{n}")
        person.addresses.create(line_1="1 Example Street", postcode="LS1 4AP")
    with django_assert_max_num_queries(5):
        results = search_persons(
            actor=actor(cast, Role.SOCIAL_WORKER), criteria=SearchCriteria(postcode="LS1 4AP")
        )
        for person in results:
            list(person.identifiers.all())
            list(person.addresses.all())
    assert len(results) == 15


def test_search_results_list_the_same_people_in_the_same_order_as_the_full_records(
    cast: Cast,
) -> None:
    for given, family in [("Ava", "Morgan"), ("Ava", "Morgans"), ("Eva", "Morgan"), ("Kai", "Lee")]:
        on_team(cast, Role.SOCIAL_WORKER, given_names=given, family_name=family)
    PersonFactory(area=AreaFactory(), given_names="Ava", family_name="Morgan")
    me = actor(cast, Role.SOCIAL_WORKER)
    criteria = SearchCriteria(text="ava morgan")
    found = [row.pk for row in search_results(actor=me, criteria=criteria)]
    assert found == [person.pk for person in search_persons(actor=me, criteria=criteria)]
    assert len(found) == 3


def test_search_results_show_the_latest_postcode_and_every_identifier_by_name(
    cast: Cast,
) -> None:
    person = on_team(cast, Role.SOCIAL_WORKER, given_names="Ava", family_name="Morgan")
    person.addresses.create(line_1="1 Old Road", postcode="LS1 1AA", from_on=date(2019, 1, 1))
    person.addresses.create(line_1="2 New Road", postcode="LS2 2BB", from_on=date(2024, 1, 1))
    PersonIdentifier.objects.create(person=person, kind=IdentifierKind.UPN, value="B801200005001")
    PersonIdentifier.objects.create(
        person=person, kind=IdentifierKind.NHS_NUMBER, value="9434765919"
    )
    on_team(cast, Role.SOCIAL_WORKER, given_names="Ava", family_name="Morgana", kind="adult")
    rows = search_results(
        actor=actor(cast, Role.SOCIAL_WORKER), criteria=SearchCriteria(text="ava morgan")
    )
    assert [(row.name, row.is_child) for row in rows] == [
        ("Ava Morgan", True),
        ("Ava Morgana", False),
    ]
    assert rows[0].postcode == "LS2 2BB"
    assert rows[0].identifiers == ["Unique Pupil Number B801200005001", "NHS number 9434765919"]
    assert (rows[1].postcode, rows[1].identifiers) == ("", [])


def test_search_results_are_read_in_one_query(cast: Cast, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    for n in range(15):
        person = on_team(cast, Role.SOCIAL_WORKER, family_name=f"Morgan{n}")
        PersonIdentifier.objects.create(person=person, kind=IdentifierKind.UPN, value=f"X{n}")
        person.addresses.create(line_1="1 Example Street", postcode="LS1 4AP")
    with django_assert_num_queries(1):
        rows = search_results(
            actor=actor(cast, Role.SOCIAL_WORKER), criteria=SearchCriteria(postcode="LS1 4AP")
        )
    assert len(rows) == 15


def test_the_child_page_reads_the_person_and_their_lists_in_one_query(
    cast: Cast, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    """The lists come as if prefetched: the same objects, fields and order as reading
    each list from the database, and no query when the page walks them."""
    from clearsight.people.selectors import person_for_actor
    from tests.factories import AddressFactory

    officer = cast.members[Role.POLICE_OFFICER]
    actor = Actor(user=officer.user, membership=officer)
    person = PersonFactory(area=cast.area)
    AddressFactory(person=person, line_1="1 Old Road", from_on=date(2020, 1, 5))
    AddressFactory(person=person, line_1="2 New Road", from_on=date(2024, 3, 1))
    AddressFactory(person=person, line_1="3 Unknown Date", from_on=None)
    PersonIdentifier.objects.create(person=person, kind=IdentifierKind.UPN, value="B801200005001")
    PersonAlias.objects.create(person=person, name="Mo")
    Phone.objects.create(person=person, number="+447700900123", from_on=date(2025, 2, 2))
    person.known_to.add(cast.agencies[next(iter(cast.agencies))], officer.agency)
    with django_assert_num_queries(1):
        read = person_for_actor(actor=actor, pk=person.pk)
        assert read is not None
        shown = {
            name: [
                (obj.pk, *(getattr(obj, f.attname) for f in obj._meta.concrete_fields))
                for obj in getattr(read, name).all()
            ]
            for name in ("identifiers", "addresses", "aliases", "phones", "known_to")
        }
    expected = {
        "identifiers": person.identifiers.order_by("pk"),
        "addresses": person.addresses.order_by("-from_on", "-pk"),
        "aliases": person.aliases.order_by("pk"),
        "phones": person.phones.order_by("pk"),
        "known_to": person.known_to.order_by("name", "pk"),
    }
    for name, queryset in expected.items():
        assert shown[name] == [
            (obj.pk, *(getattr(obj, f.attname) for f in obj._meta.concrete_fields))
            for obj in queryset
        ], name
    assert [a.line_1 for a in read.addresses.all()] == [
        "3 Unknown Date",
        "2 New Road",
        "1 Old Road",
    ]
    assert read.phones.all()[0].from_on == date(2025, 2, 2)
