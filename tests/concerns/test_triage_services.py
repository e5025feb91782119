"""Triage: assign, link, record observations and decide outcomes, each with who, when and
why, audited, and the history kept append-only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.roles import Role
from clearsight.audit.models import AuditEvent
from clearsight.concerns import triage_services
from clearsight.concerns.models import ConcernState, DecisionKind, Outcome, TriageDecision
from clearsight.core.errors import InvalidInput, NotFoundError, PermissionDeniedError
from clearsight.notifications.models import Notification
from clearsight.risk.models import Observation, ObservationSource
from tests.conftest import Cast
from tests.factories import ConcernFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def actor_for(cast: Cast, role: Role) -> Actor:
    membership = cast.members[role]
    return Actor(user=membership.user, membership=membership)


@pytest.fixture
def triage(cast: Cast) -> Actor:
    return actor_for(cast, Role.TRIAGE_OFFICER)


def test_a_triage_officer_assigns_a_concern_to_a_colleague_who_is_told(
    cast: Cast, triage: Actor, django_capture_on_commit_callbacks: Any
) -> None:
    concern = ConcernFactory(area=cast.area)
    colleague = MembershipFactory(
        agency=cast.members[Role.TRIAGE_OFFICER].agency, role=Role.TRIAGE_OFFICER.value
    )
    with django_capture_on_commit_callbacks(execute=True):
        triage_services.assign_concern(
            actor=triage, reference=concern.reference, membership_id=colleague.pk, reason="Cover"
        )
    concern.refresh_from_db()
    assert concern.assigned_to == colleague and concern.state == ConcernState.IN_TRIAGE
    decision = TriageDecision.objects.get(concern=concern)
    assert decision.kind == DecisionKind.ASSIGNED and decision.decided_by == triage.user
    assert decision.reason == "Cover"
    assert Notification.objects.filter(recipient=colleague.user, kind="concern_assigned").exists()
    assert AuditEvent.objects.filter(action="concern.assigned", object_id=str(concern.pk)).exists()


def test_only_a_triage_officer_of_the_area_can_be_assigned(cast: Cast, triage: Actor) -> None:
    concern = ConcernFactory(area=cast.area)
    with pytest.raises(InvalidInput):
        triage_services.assign_concern(
            actor=triage,
            reference=concern.reference,
            membership_id=cast.members[Role.PRACTITIONER].pk,
        )
    stranger = MembershipFactory(role=Role.TRIAGE_OFFICER.value)
    with pytest.raises(InvalidInput):
        triage_services.assign_concern(
            actor=triage, reference=concern.reference, membership_id=stranger.pk
        )


def test_concerns_of_other_areas_cannot_be_triaged(cast: Cast, triage: Actor) -> None:
    elsewhere = ConcernFactory()
    with pytest.raises(NotFoundError):
        triage_services.decide_outcome(
            actor=triage, reference=elsewhere.reference, outcome="referral", reason="x"
        )


def test_roles_that_do_not_triage_are_refused(cast: Cast) -> None:
    concern = ConcernFactory(area=cast.area)
    with pytest.raises(PermissionDeniedError):
        triage_services.decide_outcome(
            actor=actor_for(cast, Role.PRACTITIONER),
            reference=concern.reference,
            outcome="referral",
            reason="x",
        )


def test_linking_and_recording_observations_from_a_concern(cast: Cast, triage: Actor) -> None:
    concern = ConcernFactory(area=cast.area)
    child = PersonFactory(area=cast.area)
    with pytest.raises(InvalidInput, match="Link the concern"):
        triage_services.record_observations(
            actor=triage,
            reference=concern.reference,
            codes=["MON-04"],
            seen_on=concern.seen_on,
            confidence=3,
        )
    with pytest.raises(InvalidInput):
        triage_services.link_person(
            actor=triage, reference=concern.reference, person_id=child.pk, reason=" "
        )
    triage_services.link_person(
        actor=triage,
        reference=concern.reference,
        person_id=child.pk,
        reason="Same nickname and school",
    )
    triage_services.record_observations(
        actor=triage,
        reference=concern.reference,
        codes=["MON-04", "REL-01"],
        seen_on=concern.seen_on,
        confidence=3,
        note="From a member of the public",
    )
    observations = Observation.objects.filter(person=child)
    assert observations.count() == 2
    assert {o.source for o in observations} == {ObservationSource.CONCERN}
    assert {o.source_ref for o in observations} == {concern.reference}
    kinds = list(concern.decisions.values_list("kind", flat=True))
    assert kinds == [DecisionKind.LINKED, DecisionKind.OBSERVATIONS_RECORDED]
    assert AuditEvent.objects.filter(action="concern.linked", person_id=child.pk).exists()


def test_a_child_the_officer_may_not_see_cannot_be_linked(cast: Cast, triage: Actor) -> None:
    concern = ConcernFactory(area=cast.area)
    elsewhere = PersonFactory()
    with pytest.raises(InvalidInput):
        triage_services.link_person(
            actor=triage, reference=concern.reference, person_id=elsewhere.pk, reason="Looks like"
        )


@pytest.mark.parametrize(
    ("outcome", "state"),
    [
        (Outcome.NO_FURTHER_ACTION, ConcernState.CLOSED),
        (Outcome.REFERRAL, ConcernState.CLOSED),
        (Outcome.PASSED_TO_POLICE, ConcernState.CLOSED),
        (Outcome.MORE_INFORMATION_REQUESTED, ConcernState.AWAITING_INFORMATION),
    ],
)
def test_each_outcome_records_who_when_and_why(
    cast: Cast, triage: Actor, outcome: str, state: str
) -> None:
    concern = ConcernFactory(area=cast.area)
    before = timezone.now()
    triage_services.decide_outcome(
        actor=triage, reference=concern.reference, outcome=outcome, reason="Because of X"
    )
    concern.refresh_from_db()
    assert concern.outcome == outcome and concern.state == state
    assert concern.outcome_reason == "Because of X"
    assert concern.triaged_at is not None and concern.triaged_at >= before
    assert concern.assigned_to == triage.membership
    decision = concern.decisions.get(kind=DecisionKind.OUTCOME)
    assert decision.decided_by == triage.user and decision.membership == triage.membership
    assert decision.reason == "Because of X" and decision.decided_at >= before
    event = AuditEvent.objects.get(action="concern.outcome", object_id=str(concern.pk))
    assert event.reason == "Because of X" and event.actor_user == triage.user


def test_an_outcome_needs_a_reason_and_a_closed_concern_stays_closed(
    cast: Cast, triage: Actor
) -> None:
    concern = ConcernFactory(area=cast.area)
    with pytest.raises(InvalidInput) as error:
        triage_services.decide_outcome(
            actor=triage, reference=concern.reference, outcome="referral", reason=""
        )
    assert "reason" in error.value.errors
    triage_services.decide_outcome(
        actor=triage, reference=concern.reference, outcome="no_further_action", reason="Adult"
    )
    with pytest.raises(InvalidInput, match="already closed"):
        triage_services.decide_outcome(
            actor=triage, reference=concern.reference, outcome="referral", reason="Changed mind"
        )


def test_observation_recorded_needs_observations_first(cast: Cast, triage: Actor) -> None:
    concern = ConcernFactory(area=cast.area)
    with pytest.raises(InvalidInput, match="Record the signs"):
        triage_services.decide_outcome(
            actor=triage, reference=concern.reference, outcome="observation_recorded", reason="x"
        )


def test_the_first_outcome_stops_the_triage_clock(cast: Cast, triage: Actor) -> None:
    concern = ConcernFactory(area=cast.area)
    triage_services.decide_outcome(
        actor=triage,
        reference=concern.reference,
        outcome="more_information_requested",
        reason="Asked the school",
    )
    first = type(concern).objects.get(pk=concern.pk).triaged_at
    triage_services.decide_outcome(
        actor=triage, reference=concern.reference, outcome="referral", reason="School confirmed"
    )
    concern.refresh_from_db()
    assert concern.triaged_at == first and concern.state == ConcernState.CLOSED


def test_triage_decisions_cannot_be_changed_or_deleted(cast: Cast, triage: Actor) -> None:
    concern = ConcernFactory(area=cast.area)
    triage_services.decide_outcome(
        actor=triage, reference=concern.reference, outcome="referral", reason="MASH"
    )
    decision = TriageDecision.objects.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        TriageDecision.objects.filter(pk=decision.pk).update(reason="Edited")
    with pytest.raises(DatabaseError), transaction.atomic():
        decision.delete()
    assert TriageDecision.objects.get().reason == "MASH"


def test_time_to_triage_counts_from_arrival(cast: Cast, triage: Actor) -> None:
    concern = ConcernFactory(area=cast.area)
    type(concern).objects.filter(pk=concern.pk).update(
        created_at=timezone.now() - timedelta(hours=30)
    )
    triage_services.decide_outcome(
        actor=triage, reference=concern.reference, outcome="referral", reason="MASH"
    )
    concern.refresh_from_db()
    assert concern.triaged_at is not None
    assert concern.triaged_at - concern.created_at >= timedelta(hours=30)
