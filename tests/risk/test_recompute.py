"""The batched recompute writes exactly the screening screen_person would write, child by
child, and keeps what screen_person keeps (unchanged screenings, overrides, when the
level rose)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.roles import Role
from clearsight.audit.models import AuditEvent
from clearsight.people.models import Person
from clearsight.risk import recompute
from clearsight.risk.library_services import (
    draft_library_version,
    publish_library_version,
    update_library_indicator,
    update_library_settings,
)
from clearsight.risk.models import Indicator, LibraryVersion, ProtectiveFactor, Screening
from clearsight.risk.services import screen_person
from tests.conftest import Cast
from tests.factories import AgencyFactory, MembershipFactory, ObservationFactory, PersonFactory

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 23)


@pytest.fixture
def children(cast: Cast, national_library: LibraryVersion) -> list[Person]:
    """Children with signs seen by several agencies over three years, some younger than
    13, with a learning disability, no date of birth or a protective factor; an adult
    and a deleted child who are never screened."""
    rng = random.Random(4)
    codes = list(Indicator.objects.filter(version=national_library).values_list("code", flat=True))
    memberships = [
        MembershipFactory(agency=AgencyFactory(area=cast.area, name=f"Agency {i}"))
        for i in range(3)
    ]
    people = []
    for number in range(14):
        born = None if number == 3 else DAY - timedelta(days=365 * rng.randint(9, 17) + 40)
        person = PersonFactory(
            area=cast.area, date_of_birth=born, has_learning_disability=number % 5 == 1
        )
        for _ in range(rng.randint(0 if number % 4 == 0 else 1, 9)):
            membership = rng.choice(memberships)
            ObservationFactory(
                person=person,
                membership=membership,
                indicator_code=rng.choice(codes[:8]),
                seen_on=DAY - timedelta(days=rng.randint(-3, 900)),
                confidence=rng.randint(1, 5),
            )
        people.append(person)
    membership = memberships[0]
    for person, reason in ((people[2], "Lives with a grandparent who knows the signs"),
                           (people[6], "Plays football three evenings a week")):  # fmt: skip
        ProtectiveFactor.objects.create(
            person=person, code="PF-01", title="Trusted adult", reason=reason,
            recorded_on=DAY - timedelta(days=30), agency=membership.agency,
            recorded_by=membership.user, membership=membership,
        )  # fmt: skip
    adult = PersonFactory(area=cast.area, kind="adult")
    ObservationFactory(person=adult, membership=membership, seen_on=DAY)
    gone = PersonFactory(area=cast.area, deleted_at=timezone.now())
    ObservationFactory(person=gone, membership=membership, seen_on=DAY)
    return people


def test_each_childs_screening_is_what_screen_person_gives(children: list[Person]) -> None:
    stats = recompute.recompute_screenings(as_of=DAY)
    assert stats.children == len(children)
    assert stats.written == len(children)
    for person in children:
        batched = Screening.objects.get(person=person, is_current=True)
        # screen_person finds nothing changed (same version, day, level, factors and
        # protective factors) and returns the batched screening.
        assert screen_person(person.pk, DAY).pk == batched.pk
    levels = {s.final_level for s in Screening.objects.filter(is_current=True)}
    assert len(levels) >= 3, "the fixture should reach several levels"


def test_every_stored_value_matches_a_screening_written_one_child_at_a_time(
    children: list[Person],
) -> None:
    recompute.recompute_screenings(as_of=DAY)
    batched = {s.person_id: s for s in Screening.objects.filter(is_current=True)}
    Screening.objects.all().delete()
    for person in children:
        single = screen_person(person.pk, DAY)
        other = batched[person.pk]
        for field in ("library_version_id", "as_of", "computed_level", "score", "factors",
                      "protective_factors", "explanation", "final_level", "previous_level",
                      "override_level", "approval_status"):  # fmt: skip
            assert getattr(other, field) == getattr(single, field), field


def test_nothing_is_written_again_the_same_day(children: list[Person]) -> None:
    recompute.recompute_screenings(as_of=DAY)
    again = recompute.recompute_screenings(as_of=DAY)
    assert (again.written, again.unchanged) == (0, len(children))
    assert Screening.objects.count() == len(children)
    assert AuditEvent.objects.filter(action="screening.recomputed").count() == 2


def test_a_rewrite_the_next_day_replaces_each_screening_and_keeps_when_the_level_rose(
    children: list[Person],
) -> None:
    recompute.recompute_screenings(as_of=DAY)
    first = {s.person_id: s for s in Screening.objects.filter(is_current=True)}
    recompute.recompute_screenings(as_of=DAY + timedelta(days=1), rewrite=True)
    for person in children:
        current = Screening.objects.get(person=person, is_current=True)
        before = first[person.pk]
        assert current.pk != before.pk
        assert current.previous_level == before.final_level
        if current.final_level == before.final_level:
            assert current.level_rose_at == before.level_rose_at
    assert Screening.objects.count() == 2 * len(children)


def test_the_nightly_run_writes_only_screenings_whose_signs_or_level_changed(
    children: list[Person],
) -> None:
    """Signs fade every day; a screening is replaced when the level or the signs that
    count change, and every replacement is exactly what screen_person gives."""
    recompute.recompute_screenings(as_of=DAY)
    first = {s.person_id: s for s in Screening.objects.filter(is_current=True)}
    later = DAY + timedelta(days=200)
    stats = recompute.recompute_screenings(as_of=later)
    assert 0 < stats.written < len(children)
    for person in children:
        current = Screening.objects.get(person=person, is_current=True)
        single = screen_person(person.pk, later)  # written when anything differs
        before = first[person.pk]
        if current.pk == before.pk:
            # Kept: the same signs and level as a screening made today.
            assert sorted(f["code"] for f in single.factors) == sorted(
                f["code"] for f in before.factors
            )
            assert single.computed_level == before.computed_level
        else:
            assert current.as_of == later
            assert single.pk == current.pk


def test_an_upward_override_is_carried_forward(children: list[Person]) -> None:
    recompute.recompute_screenings(as_of=DAY)
    screening = Screening.objects.filter(is_current=True, final_level="none").first()
    assert screening is not None
    screening.override_level = "high"
    screening.override_reason = "Known to be with an adult of concern\tlast night"
    screening.final_level = "high"
    screening.save()
    recompute.recompute_screenings(as_of=DAY + timedelta(days=1), rewrite=True)
    current = Screening.objects.get(person_id=screening.person_id, is_current=True)
    assert current.pk != screening.pk
    assert (current.final_level, current.override_level) == ("high", "high")
    assert current.override_reason == "Known to be with an adult of concern\tlast night"
    assert current.explanation[-1] == "Professional override carried forward"


def test_slices_give_the_same_screenings(
    children: list[Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    recompute.recompute_screenings(as_of=DAY)
    whole = {s.person_id: (s.final_level, s.score, s.factors) for s in Screening.objects.all()}
    Screening.objects.all().delete()
    monkeypatch.setattr(recompute, "SLICE", 3)
    recompute.recompute_screenings(as_of=DAY)
    sliced = {s.person_id: (s.final_level, s.score, s.factors) for s in Screening.objects.all()}
    assert sliced == whole


def test_a_range_of_ids_screens_only_those_children(children: list[Person]) -> None:
    ids = sorted(p.pk for p in children)
    stats = recompute.recompute_screenings(as_of=DAY, person_ids=(ids[2], ids[5]))
    assert stats.children == 4
    assert set(Screening.objects.values_list("person_id", flat=True)) == set(ids[2:6])


def test_each_area_is_screened_with_its_own_published_version(
    cast: Cast, children: list[Person], national_library: LibraryVersion
) -> None:
    lead = Actor(
        user=cast.user(Role.MACE_COORDINATOR), membership=cast.members[Role.MACE_COORDINATOR]
    )
    draft = draft_library_version(actor=lead)
    for indicator in draft.indicators.all()[:6]:
        update_library_indicator(
            actor=lead, indicator_id=indicator.pk, title=f"Local: {indicator.title}",
            weight=10, looks_like=indicator.looks_like, what_to_do=indicator.what_to_do,
        )  # fmt: skip
    update_library_settings(
        actor=lead, version_id=draft.pk, low_threshold=1, medium_threshold=8,
        high_threshold=20, half_life_days=90, lookback_days=365,
    )  # fmt: skip
    publish_library_version(actor=lead, version_id=draft.pk)
    elsewhere = PersonFactory(date_of_birth=date(2011, 1, 1))
    ObservationFactory(person=elsewhere, indicator_code="EDU-01", seen_on=DAY)
    recompute.recompute_screenings(as_of=DAY)
    assert set(
        Screening.objects.filter(person__area=cast.area).values_list(
            "library_version_id", flat=True
        )
    ) == {draft.pk}
    assert Screening.objects.get(person=elsewhere).library_version_id == national_library.pk
    for person in [*children, elsewhere]:
        assert (
            screen_person(person.pk, DAY).pk
            == Screening.objects.get(person=person, is_current=True).pk
        )
