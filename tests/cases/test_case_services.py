"""Cases: opening with a lead professional who joins the team, plan actions, notes that
never change, reviews, and closing only once open actions are dealt with."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError, transaction
from django.test import override_settings
from django.utils import timezone

from clearsight.access.policy import visible_persons
from clearsight.access.roles import Role
from clearsight.cases import services
from clearsight.cases.models import ActionStatus, CaseNote, ClosureOutcome
from clearsight.core.errors import (
    InvalidInput,
    NotFoundError,
    PermissionDeniedError,
    StaleVersionError,
)
from clearsight.people.models import TeamMember
from tests.cases.helpers import actor_for, child_on_team
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def _open(cast: Cast, **kwargs: object):  # type: ignore[no-untyped-def]
    child = child_on_team(cast, Role.SOCIAL_WORKER)
    actor = actor_for(cast, Role.SOCIAL_WORKER)
    case = services.open_case(
        actor=actor,
        person_id=child.pk,
        lead_professional=kwargs.get("lead", cast.members[Role.PRACTITIONER]),  # type: ignore[arg-type]
    )
    return actor, child, case


def test_the_lead_professional_joins_the_team_and_so_may_see_the_child(cast: Cast) -> None:
    _, child, case = _open(cast)
    practitioner = actor_for(cast, Role.PRACTITIONER)
    assert case.lead_professional == cast.members[Role.PRACTITIONER]
    assert TeamMember.objects.filter(person=child, membership=practitioner.membership).exists()
    assert visible_persons(practitioner).filter(pk=child.pk).exists()


@override_settings(CLEARSIGHT_CASE_REVIEW_WEEKS=6)
def test_the_first_review_falls_due_after_the_configured_interval(cast: Cast) -> None:
    _, _, case = _open(cast)
    assert case.review_every_weeks == 6
    assert case.next_review_on == timezone.localdate() + timedelta(weeks=6)


def test_a_child_has_one_open_case_and_practitioners_cannot_open_one(cast: Cast) -> None:
    actor, child, _ = _open(cast)
    with pytest.raises(InvalidInput):
        services.open_case(actor=actor, person_id=child.pk, lead_professional=None)
    with pytest.raises(PermissionDeniedError):
        services.open_case(
            actor=actor_for(cast, Role.PRACTITIONER), person_id=child.pk, lead_professional=None
        )


def test_an_action_cannot_be_due_before_it_was_agreed(cast: Cast) -> None:
    actor, _, case = _open(cast)
    with pytest.raises(InvalidInput) as error:
        services.add_action(
            actor=actor,
            case_id=case.pk,
            data=services.NewAction(
                title="Home visit",
                owner=cast.members[Role.PRACTITIONER],
                due_on=timezone.localdate() - timedelta(days=1),
            ),
        )
    assert "before it was agreed" in error.value.errors["due_on"]


def test_starting_an_action_records_when_and_finishing_needs_an_outcome(cast: Cast) -> None:
    actor, _, case = _open(cast)
    action = services.add_action(
        actor=actor,
        case_id=case.pk,
        data=services.NewAction(
            title="Home visit", owner=cast.members[Role.PRACTITIONER], due_on=timezone.localdate()
        ),
    )
    owner = actor_for(cast, Role.PRACTITIONER)
    started = services.update_action(
        actor=owner,
        action_id=action.pk,
        expected_version=1,
        status=ActionStatus.IN_PROGRESS,
        outcome="",
    )
    assert started.started_at is not None
    with pytest.raises(StaleVersionError):
        services.update_action(
            actor=owner, action_id=action.pk, expected_version=1, status="done", outcome="x"
        )
    with pytest.raises(InvalidInput):
        services.update_action(
            actor=owner, action_id=action.pk, expected_version=2, status="done", outcome=""
        )


def test_notes_are_append_only_and_a_correction_points_to_the_note(cast: Cast) -> None:
    actor, _, case = _open(cast)
    first = services.add_note(actor=actor, case_id=case.pk, body="Met mum at home.")
    fix = services.add_note(
        actor=actor, case_id=case.pk, body="Met dad, not mum.", corrects_id=first.pk
    )
    assert fix.corrects == first
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseNote.objects.filter(pk=first.pk).update(body="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseNote.objects.filter(pk=first.pk).delete()


def test_a_review_sets_the_next_one(cast: Cast) -> None:
    actor, _, case = _open(cast)
    today = timezone.localdate()
    review = services.record_review(
        actor=actor, case_id=case.pk, expected_version=1, held_on=today, summary="On track"
    )
    assert review.next_review_on == today + timedelta(weeks=12)
    with pytest.raises(InvalidInput):
        services.record_review(
            actor=actor,
            case_id=case.pk,
            expected_version=2,
            held_on=today + timedelta(days=1),
            summary="x",
        )


def test_closing_with_open_actions_asks_to_resolve_or_carry_them(cast: Cast) -> None:
    actor, _, case = _open(cast)
    action = services.add_action(
        actor=actor,
        case_id=case.pk,
        data=services.NewAction(
            title="Mentoring", owner=cast.members[Role.PRACTITIONER], due_on=timezone.localdate()
        ),
    )
    with pytest.raises(InvalidInput) as error:
        services.close_case(
            actor=actor,
            case_id=case.pk,
            expected_version=1,
            outcome=ClosureOutcome.RISK_REDUCED,
            reason="Plan achieved",
        )
    assert "1 open action" in error.value.errors["open_actions"]
    closed = services.close_case(
        actor=actor,
        case_id=case.pk,
        expected_version=1,
        outcome=ClosureOutcome.RISK_REDUCED,
        reason="Plan achieved",
        open_actions="carry",
    )
    action.refresh_from_db()
    assert closed.closed_at is not None
    assert action.status == ActionStatus.CARRIED_OVER and action.finished_at is not None
    with pytest.raises(InvalidInput) as closed_error:
        services.add_action(
            actor=actor,
            case_id=case.pk,
            data=services.NewAction(title="x", owner=None, due_on=None),
        )
    assert closed_error.value.errors == {"case": "This case is closed"}


def test_closing_needs_an_outcome_and_a_reason(cast: Cast) -> None:
    actor, _, case = _open(cast)
    with pytest.raises(InvalidInput) as error:
        services.close_case(actor=actor, case_id=case.pk, expected_version=1, outcome="", reason="")
    assert set(error.value.errors) == {"outcome", "reason"}


def test_nobody_outside_the_childs_sight_sees_the_case(cast: Cast) -> None:
    _, _, case = _open(cast)
    with pytest.raises(NotFoundError):
        services.add_note(actor=actor_for(cast, Role.RHI_WORKER), case_id=case.pk, body="x")
