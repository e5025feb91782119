"""MACE meetings: members, the agenda with optimistic concurrency, and decisions and
actions recorded against items, with actions reaching the child's plan."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clearsight.access.roles import Role
from clearsight.cases import meeting_services as ms
from clearsight.cases.models import Case, PlanAction, ReferralStatus
from clearsight.cases.services import NewAction
from clearsight.core.errors import InvalidInput, PermissionDeniedError, StaleVersionError
from clearsight.notifications.models import Notification
from tests.cases.helpers import actor_for
from tests.conftest import Cast
from tests.factories import MembershipFactory, PersonFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def _meeting(cast: Cast):  # type: ignore[no-untyped-def]
    return ms.schedule_meeting(
        actor=actor_for(cast, Role.MACE_COORDINATOR),
        title="Testshire MACE, November",
        starts_at=timezone.now() + timedelta(days=2),
        location="Civic Centre",
    )


def test_the_scheduling_coordinator_sits_on_the_meeting(cast: Cast) -> None:
    meeting = _meeting(cast)
    assert [m.membership for m in meeting.members.all()] == [cast.members[Role.MACE_COORDINATOR]]
    with pytest.raises(PermissionDeniedError):
        ms.schedule_meeting(
            actor=actor_for(cast, Role.SOCIAL_WORKER),
            title="x",
            starts_at=timezone.now(),
            location="",
        )


def test_a_new_member_is_told_once_without_names(cast: Cast) -> None:
    meeting = _meeting(cast)
    coordinator = actor_for(cast, Role.MACE_COORDINATOR)
    ms.add_member(
        actor=coordinator,
        meeting_id=meeting.pk,
        expected_version=1,
        membership=cast.members[Role.POLICE_OFFICER],
    )
    note = Notification.objects.get(recipient=cast.user(Role.POLICE_OFFICER), kind="mace_member")
    assert note.url == f"/mace/{meeting.pk}/"
    with pytest.raises(InvalidInput):
        ms.add_member(
            actor=coordinator,
            meeting_id=meeting.pk,
            expected_version=2,
            membership=cast.members[Role.POLICE_OFFICER],
        )
    with pytest.raises(InvalidInput):  # administrators cannot see children
        ms.add_member(
            actor=coordinator,
            meeting_id=meeting.pk,
            expected_version=2,
            membership=cast.members[Role.AREA_ADMINISTRATOR],
        )


def test_two_coordinators_editing_the_same_agenda_are_told_of_the_clash(cast: Cast) -> None:
    meeting = _meeting(cast)
    first = actor_for(cast, Role.MACE_COORDINATOR)
    second_membership = MembershipFactory(
        agency=cast.members[Role.MACE_COORDINATOR].agency, role=Role.MACE_COORDINATOR.value
    )
    from clearsight.access.actor import Actor

    second = Actor(user=second_membership.user, membership=second_membership)
    ms.add_agenda_item(
        actor=first,
        meeting_id=meeting.pk,
        expected_version=1,
        kind="location",
        subject="Bus station",
    )
    with pytest.raises(StaleVersionError) as clash:
        ms.add_agenda_item(
            actor=second, meeting_id=meeting.pk, expected_version=1, kind="peer_group", subject="X"
        )
    assert "Another coordinator changed this agenda" in clash.value.message
    assert meeting.items.count() == 1


def test_adding_a_referred_child_accepts_their_mace_referral(cast: Cast) -> None:
    meeting = _meeting(cast)
    child = PersonFactory(area=cast.area)
    referral = ReferralFactory(
        person=child, referred_by_membership=cast.members[Role.TRIAGE_OFFICER]
    )
    item = ms.add_agenda_item(
        actor=actor_for(cast, Role.MACE_COORDINATOR),
        meeting_id=meeting.pk,
        expected_version=1,
        kind="child",
        referral_id=referral.pk,
    )
    referral.refresh_from_db()
    assert item.person == child and item.referral == referral
    assert referral.status == ReferralStatus.ACCEPTED and referral.accepted_at is not None
    with pytest.raises(InvalidInput):
        ms.add_agenda_item(
            actor=actor_for(cast, Role.MACE_COORDINATOR),
            meeting_id=meeting.pk,
            expected_version=2,
            kind="child",
            person_id=child.pk,
        )


def test_a_meeting_action_flows_into_the_childs_plan(cast: Cast) -> None:
    meeting = _meeting(cast)
    coordinator = actor_for(cast, Role.MACE_COORDINATOR)
    child = PersonFactory(area=cast.area)
    item = ms.add_agenda_item(
        actor=coordinator,
        meeting_id=meeting.pk,
        expected_version=1,
        kind="child",
        person_id=child.pk,
    )
    ms.record_decision(
        actor=coordinator, meeting_id=meeting.pk, item_id=item.pk, text="Refer to the NRM"
    )
    action = ms.record_action(
        actor=coordinator,
        meeting_id=meeting.pk,
        item_id=item.pk,
        data=NewAction(
            title="Submit the NRM referral",
            owner=cast.members[Role.SOCIAL_WORKER],
            due_on=timezone.localdate() + timedelta(days=7),
        ),
    )
    case = Case.objects.get(person=child, closed_at__isnull=True)
    assert list(PlanAction.objects.filter(case=case)) == [action]
    assert action.agenda_item == item
    meeting.refresh_from_db()
    assert meeting.status == "held"


def test_actions_about_a_location_are_recorded_as_decisions(cast: Cast) -> None:
    meeting = _meeting(cast)
    coordinator = actor_for(cast, Role.MACE_COORDINATOR)
    item = ms.add_agenda_item(
        actor=coordinator,
        meeting_id=meeting.pk,
        expected_version=1,
        kind="location",
        subject="Park",
    )
    with pytest.raises(InvalidInput):
        ms.record_action(
            actor=coordinator,
            meeting_id=meeting.pk,
            item_id=item.pk,
            data=NewAction(title="Patrol", owner=cast.members[Role.POLICE_OFFICER], due_on=None),
        )


def test_a_coordinator_who_does_not_sit_on_the_meeting_records_nothing(cast: Cast) -> None:
    meeting = _meeting(cast)
    other = MembershipFactory(
        agency=cast.members[Role.MACE_COORDINATOR].agency, role=Role.MACE_COORDINATOR.value
    )
    from clearsight.access.actor import Actor

    item = ms.add_agenda_item(
        actor=actor_for(cast, Role.MACE_COORDINATOR),
        meeting_id=meeting.pk,
        expected_version=1,
        kind="location",
        subject="Park",
    )
    with pytest.raises(PermissionDeniedError):
        ms.record_decision(
            actor=Actor(user=other.user, membership=other),
            meeting_id=meeting.pk,
            item_id=item.pk,
            text="x",
        )
