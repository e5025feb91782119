"""Making referrals and recording their outcomes: evidence attached, children-only
services, the moves a referral may make, and optimistic concurrency."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from clearsight.access.roles import Role
from clearsight.audit.models import AuditEvent
from clearsight.cases import referral_services as rs
from clearsight.cases.models import ReferralService, ReferralStatus
from clearsight.core.errors import InvalidInput, NotFoundError, StaleVersionError
from clearsight.risk.models import Screening
from clearsight.risk.selectors import current_library
from clearsight.risk.services import screen_person
from tests.cases.helpers import actor_for, child_on_team
from tests.conftest import Cast
from tests.factories import ObservationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_a_referral_records_who_when_why_and_what_it_rests_on(cast: Cast) -> None:
    actor = actor_for(cast, Role.TRIAGE_OFFICER)
    child = child_on_team(cast)
    seen = ObservationFactory(person=child, membership=cast.members[Role.POLICE_OFFICER])
    screen_person(child.pk)
    referral = rs.make_referral(
        actor=actor,
        person_id=child.pk,
        service=ReferralService.MACE,
        reason="Found out of area twice with older males",
        observation_ids=[seen.pk],
    )
    assert referral.referred_by == actor.user
    assert referral.referred_by_membership == actor.membership
    assert referral.screening is not None and referral.screening.is_current
    assert list(referral.observations.all()) == [seen]
    assert AuditEvent.objects.filter(action="referral.made", person_id=child.pk).count() == 1


def test_an_adult_cannot_be_referred_to_a_children_only_service(cast: Cast) -> None:
    actor = actor_for(cast, Role.TRIAGE_OFFICER)
    adult = PersonFactory(area=cast.area, kind="adult", date_of_birth=date(1990, 1, 1))
    with pytest.raises(InvalidInput) as error:
        rs.make_referral(
            actor=actor, person_id=adult.pk, service=ReferralService.EARLY_HELP, reason="x"
        )
    assert "works with children only" in error.value.errors["service"]
    # The NRM takes adults too.
    rs.make_referral(actor=actor, person_id=adult.pk, service=ReferralService.NRM, reason="x")


def test_a_child_who_has_turned_18_is_refused_by_childrens_services(cast: Cast) -> None:
    actor = actor_for(cast, Role.TRIAGE_OFFICER)
    now_adult = PersonFactory(area=cast.area, date_of_birth=timezone.localdate().replace(year=2000))
    with pytest.raises(InvalidInput):
        rs.make_referral(
            actor=actor,
            person_id=now_adult.pk,
            service=ReferralService.CHILDRENS_SOCIAL_CARE,
            reason="x",
        )


def test_a_referral_needs_a_reason_and_observations_of_this_child(cast: Cast) -> None:
    actor = actor_for(cast, Role.TRIAGE_OFFICER)
    child = child_on_team(cast)
    someone_else = ObservationFactory(person=PersonFactory(area=cast.area))
    with pytest.raises(InvalidInput) as error:
        rs.make_referral(
            actor=actor,
            person_id=child.pk,
            service="prison",
            reason="  ",
            observation_ids=[someone_else.pk],
        )
    assert set(error.value.errors) == {"service", "reason", "observations"}


def test_nobody_refers_a_child_they_may_not_see(cast: Cast) -> None:
    stranger = PersonFactory(area=cast.area)
    with pytest.raises(NotFoundError):
        rs.make_referral(
            actor=actor_for(cast, Role.PRACTITIONER),
            person_id=stranger.pk,
            service=ReferralService.EARLY_HELP,
            reason="x",
        )


def _screening(cast: Cast, level: str) -> Screening:
    child = child_on_team(cast)
    return Screening.objects.create(
        person=child,
        library_version=current_library(None),
        as_of=date(2026, 11, 2),
        computed_level=level,
        final_level=level,
        score=12,
        factors=[
            {"code": "MIS-01", "title": "Goes missing repeatedly", "sources": [{}, {}]},
            {"code": "MON-01", "title": "Unexplained money", "sources": [{}]},
        ],
        explanation=["Seen by more than one agency: corroborated"],
    )


@pytest.mark.parametrize("level", ["medium", "high"])
def test_a_medium_or_high_screening_drafts_the_reason_from_its_explanation(
    cast: Cast, level: str
) -> None:
    text = rs.prefill_from_screening(_screening(cast, level))
    assert text.startswith(f"Screening on 2 November 2026: {level.capitalize()} risk.")
    assert "- Goes missing repeatedly (seen by 2 sources)" in text
    assert "- Unexplained money (seen by 1 source)" in text
    assert "Seen by more than one agency: corroborated" in text


@pytest.mark.parametrize("level", ["none", "low"])
def test_a_lower_screening_drafts_nothing(cast: Cast, level: str) -> None:
    assert rs.prefill_from_screening(_screening(cast, level)) == ""


def test_a_low_screening_drafts_nothing() -> None:
    assert rs.prefill_from_screening(None) == ""


def test_a_referral_moves_from_sent_to_accepted_to_closed_with_dates(cast: Cast) -> None:
    actor = actor_for(cast, Role.TRIAGE_OFFICER)
    child = child_on_team(cast)
    referral = rs.make_referral(
        actor=actor, person_id=child.pk, service=ReferralService.YOUTH_SERVICE, reason="x"
    )
    referral = rs.update_referral(
        actor=actor, referral_id=referral.pk, expected_version=1, status=ReferralStatus.ACCEPTED
    )
    assert referral.accepted_at is not None
    with pytest.raises(StaleVersionError):
        rs.update_referral(
            actor=actor, referral_id=referral.pk, expected_version=1, status=ReferralStatus.CLOSED
        )
    with pytest.raises(InvalidInput) as error:
        rs.update_referral(
            actor=actor, referral_id=referral.pk, expected_version=2, status=ReferralStatus.CLOSED
        )
    assert "outcome" in error.value.errors
    with pytest.raises(InvalidInput):
        rs.update_referral(
            actor=actor, referral_id=referral.pk, expected_version=2, status=ReferralStatus.SENT
        )
    closed = rs.update_referral(
        actor=actor,
        referral_id=referral.pk,
        expected_version=2,
        status=ReferralStatus.CLOSED,
        outcome="Weekly youth worker sessions, engaged well",
    )
    assert closed.outcome_on == timezone.localdate()
    with pytest.raises(InvalidInput):
        rs.update_referral(
            actor=actor,
            referral_id=referral.pk,
            expected_version=3,
            status=ReferralStatus.CLOSED,
            outcome="x",
            outcome_on=timezone.localdate() + timedelta(days=1),
        )
