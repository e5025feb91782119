"""Re-screening in the background: the team is told when the level rises, and the child
appears on the triage officer's rising-risk list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from procrastinate.contrib.django import app

from clearsight.access.actor import Actor
from clearsight.access.roles import Role
from clearsight.notifications.models import Notification
from clearsight.people.models import Person
from clearsight.risk import selectors
from clearsight.risk.models import LibraryVersion, Screening
from clearsight.risk.services import record_observations
from clearsight.risk.tasks import rescreen_person
from tests.conftest import Cast
from tests.factories import ObservationFactory, PersonFactory, TeamMemberFactory


def actor(cast: Cast, role: Role) -> Actor:
    membership = cast.members[role]
    return Actor(user=membership.user, membership=membership)


@pytest.fixture
def child(cast: Cast, national_library: LibraryVersion) -> Person:
    person = PersonFactory(area=cast.area, date_of_birth=date(2011, 1, 1))
    for role in (Role.PRACTITIONER, Role.SOCIAL_WORKER):
        TeamMemberFactory(person=person, membership=cast.members[role])
    return person


@pytest.mark.django_db
def test_a_rise_notifies_the_team_once_without_naming_the_child(cast: Cast, child: Person) -> None:
    ObservationFactory(person=child, indicator_code="DRG-01", seen_on=timezone.localdate())
    rescreen_person(person_id=child.pk)
    rescreen_person(person_id=child.pk)
    notes = Notification.objects.filter(kind="risk_rising")
    assert {n.recipient for n in notes} == {
        cast.user(Role.PRACTITIONER),
        cast.user(Role.SOCIAL_WORKER),
    }
    for note in notes:
        assert note.title == "Risk has risen to low for a child on your team"
        assert child.given_names not in note.title and child.family_name not in note.title
        assert note.url == f"/people/{child.pk}/"


@pytest.mark.django_db
def test_no_one_is_told_when_the_level_stays_the_same(cast: Cast, child: Person) -> None:
    ObservationFactory(person=child, indicator_code="DRG-01", seen_on=timezone.localdate())
    rescreen_person(person_id=child.pk)
    Notification.objects.all().delete()
    ObservationFactory(person=child, indicator_code="EDU-03", seen_on=timezone.localdate())
    rescreen_person(person_id=child.pk)
    assert Screening.objects.filter(person=child).count() == 2
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_the_triage_officer_sees_children_whose_risk_rose_in_the_last_30_days(
    cast: Cast, child: Person
) -> None:
    steady = PersonFactory(area=cast.area, date_of_birth=date(2011, 1, 1))
    ObservationFactory(person=child, indicator_code="DRG-01", seen_on=timezone.localdate())
    rescreen_person(person_id=child.pk)
    ObservationFactory(person=child, indicator_code="HRM-02", seen_on=timezone.localdate())
    rescreen_person(person_id=child.pk)
    ObservationFactory(person=steady, indicator_code="EDU-03", seen_on=timezone.localdate())
    rescreen_person(person_id=steady.pk)
    Screening.objects.filter(person=steady).update(
        level_rose_at=timezone.now() - timedelta(days=31)
    )
    triage = actor(cast, Role.TRIAGE_OFFICER)
    rising = list(selectors.rising_risk(triage))
    assert [(s.person, s.final_level, s.previous_level) for s in rising] == [
        (child, "medium", "low")
    ]
    # A practitioner not on the team sees no one.
    assert not selectors.rising_risk(actor(cast, Role.DESIGNATED_SAFEGUARDING_LEAD)).exists()


@pytest.mark.django_db(transaction=True)
def test_a_recorded_observation_is_rescreened_by_the_worker(cast: Cast, child: Person) -> None:
    record_observations(
        actor=actor(cast, Role.PRACTITIONER),
        person_id=child.pk,
        codes=["HRM-04", "DRG-04", "HOM-02"],
        seen_on=timezone.localdate(),
        confidence=5,
    )
    # As `python -m clearsight procrastinate worker` (scripts/run-demo) does: no queue
    # filter, so the worker takes jobs from every queue, "risk" included.
    with app.replace_connector(app.connector.get_worker_connector()) as worker_app:
        worker_app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)
    screening = Screening.objects.get(person=child, is_current=True)
    assert screening.final_level == "high"
    assert Notification.objects.filter(kind="risk_rising").count() == 2


def test_the_nightly_job_recomputes_and_a_second_run_writes_nothing(
    national_library: LibraryVersion,
) -> None:
    from clearsight.risk.tasks import recompute_screenings

    observation = ObservationFactory(seen_on=timezone.localdate())
    recompute_screenings(timestamp=0)
    first = Screening.objects.get(person=observation.person, is_current=True)
    assert first.final_level != "none"
    recompute_screenings(timestamp=0)
    assert Screening.objects.get(person=observation.person, is_current=True).pk == first.pk
