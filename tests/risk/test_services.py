"""Recording observations and protective factors, and screening a child from the database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from clearsight.access.actor import Actor
from clearsight.access.roles import Role
from clearsight.audit.models import AuditEvent
from clearsight.core.errors import InvalidInput, NotFoundError, PermissionDeniedError
from clearsight.people.models import Person
from clearsight.risk.models import (
    LibraryVersion,
    Observation,
    ObservationSource,
    ProtectiveFactor,
    Screening,
)
from clearsight.risk.services import (
    record_observations,
    record_protective_factor,
    screen_person,
)
from tests.conftest import Cast
from tests.factories import ObservationFactory, PersonFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


def actor(cast: Cast, role: Role) -> Actor:
    membership = cast.members[role]
    return Actor(user=membership.user, membership=membership)


@pytest.fixture
def child(cast: Cast, national_library: LibraryVersion) -> Person:
    person = PersonFactory(area=cast.area, date_of_birth=date(2010, 5, 1))
    TeamMemberFactory(person=person, membership=cast.members[Role.PRACTITIONER])
    return person


def test_a_practitioner_records_two_signs_at_once_kept_with_their_agency(
    cast: Cast, child: Person, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    seen = timezone.localdate() - timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        observations = record_observations(
            actor=actor(cast, Role.PRACTITIONER),
            person_id=child.pk,
            codes=["mis-02", "PHN-01", "PHN-01"],
            seen_on=seen,
            confidence=4,
            note="  Seen at the station with two older boys. ",
        )
    assert [o.indicator_code for o in observations] == ["MIS-02", "PHN-01"]
    saved = Observation.objects.filter(person=child).order_by("indicator_code")
    assert [(o.indicator_title, o.agency, o.author) for o in saved] == [
        ("Found out of area", cast.agencies["youth_service"], cast.user(Role.PRACTITIONER)),
        (
            "Several phones or SIM cards",
            cast.agencies["youth_service"],
            cast.user(Role.PRACTITIONER),
        ),
    ]
    assert saved[0].note == "Seen at the station with two older boys."
    event = AuditEvent.objects.get(action="observation.recorded")
    assert event.person_id == child.pk
    assert event.details["codes"] == ["MIS-02", "PHN-01"]
    job = ProcrastinateJob.objects.get(task_name="clearsight.risk.rescreen_person")
    assert (job.queue_name, job.args, job.status) == ("risk", {"person_id": child.pk}, "todo")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"codes": []}, "codes"),
        ({"codes": ["MIS-01", "NOT-A-SIGN"]}, "codes"),
        ({"seen_on": date.today() + timedelta(days=1)}, "seen_on"),
        ({"seen_on": date(2010, 4, 30)}, "seen_on"),
        ({"confidence": 0}, "confidence"),
        ({"confidence": 6}, "confidence"),
        ({"note": "x" * 501}, "note"),
        ({"source": "rumour"}, "source"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_saved(
    cast: Cast, child: Person, changes: dict, field: str
) -> None:  # type: ignore[type-arg]
    arguments = {
        "codes": ["MIS-01"],
        "seen_on": date.today(),
        "confidence": 3,
        **changes,
    }
    with pytest.raises(InvalidInput) as error:
        record_observations(actor=actor(cast, Role.PRACTITIONER), person_id=child.pk, **arguments)
    assert list(error.value.errors) == [field]
    assert error.value.errors[field]
    assert not Observation.objects.exists()
    assert not AuditEvent.objects.filter(action="observation.recorded").exists()


def test_the_unknown_code_is_named_in_the_message(cast: Cast, child: Person) -> None:
    with pytest.raises(InvalidInput) as error:
        record_observations(
            actor=actor(cast, Role.PRACTITIONER),
            person_id=child.pk,
            codes=["XYZ-99"],
            seen_on=date.today(),
            confidence=3,
        )
    assert "XYZ-99" in error.value.errors["codes"]


def test_roles_that_cannot_record_or_cannot_see_the_child_are_refused(
    cast: Cast, child: Person
) -> None:
    arguments = {
        "person_id": child.pk,
        "codes": ["MIS-01"],
        "seen_on": date.today(),
        "confidence": 3,
    }
    with pytest.raises(PermissionDeniedError):
        record_observations(actor=actor(cast, Role.INTELLIGENCE_ANALYST), **arguments)
    with pytest.raises(PermissionDeniedError):
        record_observations(actor=actor(cast, Role.HELPLINE_WORKER), **arguments)
    # A social worker not on this child's team does not know the child exists.
    with pytest.raises(NotFoundError):
        record_observations(actor=actor(cast, Role.SOCIAL_WORKER), **arguments)
    assert not Observation.objects.exists()


def test_observations_from_a_return_home_interview_keep_their_source(
    cast: Cast, child: Person
) -> None:
    TeamMemberFactory(person=child, membership=cast.members[Role.RHI_WORKER])
    [observation] = record_observations(
        actor=actor(cast, Role.RHI_WORKER),
        person_id=child.pk,
        codes=["MON-03"],
        seen_on=date.today(),
        confidence=5,
        source=ObservationSource.RETURN_HOME_INTERVIEW,
        source_ref="42",
    )
    assert (observation.source, observation.source_ref) == ("return_home_interview", "42")


def test_screening_counts_a_sign_seen_by_two_agencies_and_records_the_version(
    cast: Cast, child: Person, national_library: LibraryVersion
) -> None:
    today = timezone.localdate()
    for role in (Role.PRACTITIONER, Role.POLICE_OFFICER):
        ObservationFactory(
            person=child,
            membership=cast.members[role],
            indicator_code="MIS-01",
            seen_on=today,
            confidence=5,
        )
    screening = screen_person(child.pk)
    assert screening.library_version == national_library
    assert (screening.computed_level, screening.final_level, float(screening.score)) == (
        "medium",
        "medium",
        12.0,
    )
    [factor] = screening.factors
    assert factor["corroboration_multiplier"] == 1.5
    assert {s["agency_id"] for s in factor["sources"]} == {
        cast.agencies["youth_service"].pk,
        cast.agencies["police"].pk,
    }


def test_a_child_under_13_with_one_weak_sign_is_screened_medium(
    cast: Cast, national_library: LibraryVersion
) -> None:
    today = timezone.localdate()
    young = PersonFactory(area=cast.area, date_of_birth=today.replace(year=today.year - 11))
    ObservationFactory(person=young, indicator_code="EDU-03", seen_on=today, confidence=2)
    screening = screen_person(young.pk)
    assert (screening.computed_level, screening.final_level) == ("medium", "medium")
    assert "never graded below medium" in " ".join(screening.explanation)


def test_screening_twice_with_nothing_new_keeps_one_current_screening(
    cast: Cast, child: Person
) -> None:
    ObservationFactory(person=child, indicator_code="DRG-01", seen_on=timezone.localdate())
    first = screen_person(child.pk)
    again = screen_person(child.pk)
    assert again.pk == first.pk
    ObservationFactory(person=child, indicator_code="HRM-02", seen_on=timezone.localdate())
    newer = screen_person(child.pk)
    assert newer.pk != first.pk
    assert list(Screening.objects.filter(person=child, is_current=True)) == [newer]
    assert newer.previous_level == first.final_level


def test_a_protective_factor_needs_a_reason_and_then_lowers_a_high_level(
    cast: Cast, child: Person
) -> None:
    practitioner = actor(cast, Role.PRACTITIONER)
    with pytest.raises(InvalidInput) as error:
        record_protective_factor(actor=practitioner, person_id=child.pk, code="PRO-01", reason=" ")
    assert list(error.value.errors) == ["reason"]
    today = timezone.localdate()
    for code in ("HRM-04", "DRG-04", "HOM-02"):
        ObservationFactory(person=child, indicator_code=code, seen_on=today, confidence=5)
    assert screen_person(child.pk).final_level == "high"
    record_protective_factor(
        actor=practitioner, person_id=child.pk, code="PRO-01", reason="Talks to her aunt daily"
    )
    screening = screen_person(child.pk)
    assert (screening.final_level, screening.protective_factors[0]["code"]) == ("medium", "PRO-01")
    assert ProtectiveFactor.objects.get().agency == cast.agencies["youth_service"]


def test_an_upward_override_is_carried_forward_by_the_next_screening(
    cast: Cast, child: Person
) -> None:
    ObservationFactory(person=child, indicator_code="EDU-01", seen_on=timezone.localdate())
    first = screen_person(child.pk)
    Screening.objects.filter(pk=first.pk).update(
        override_level="high", override_reason="Disclosed threats to his family", final_level="high"
    )
    ObservationFactory(person=child, indicator_code="EDU-03", seen_on=timezone.localdate())
    second = screen_person(child.pk)
    assert (second.computed_level, second.final_level) == ("low", "high")
    assert second.override_reason == "Disclosed threats to his family"
