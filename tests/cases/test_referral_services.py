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


def test_a_medium_or_high_screening_drafts_the_reason_from_its_explanation(cast: Cast) -> None:
    child = child_on_team(cast)
    for code, title in [("MIS-01", "Goes missing repeatedly"), ("MON-01", "Unexplained money")]:
        for role in (Role.POLICE_OFFICER, Role.SOCIAL_WORKER, Role.TRIAGE_OFFICER):
            ObservationFactory(
                person=child,
                membership=cast.members[role],
                indicator_code=code,
                indicator_title=title,
                seen_on=timezone.localdate(),
                confidence=5,
            )
    screening = screen_person(child.pk)
    text = rs.prefill_from_screening(screening)
    if screening.level.rank >= 2:
        assert text.startswith(f"Screening on {screening.as_of:%-d %B %Y}")
        assert "Signs seen:" in text
    else:
        assert text == ""


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
