"""Reporting missing and recording a return: the RHI task, and every bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.roles import Role
from clearsight.audit.models import AuditEvent
from clearsight.core.errors import (
    InvalidInput,
    NotFoundError,
    PermissionDeniedError,
    StaleVersionError,
)
from clearsight.missing.models import MissingEpisode, RhiState
from clearsight.missing.services import (
    NewEpisode,
    Return,
    record_return,
    regrade_risk,
    report_missing,
)
from tests.conftest import Cast
from tests.factories import PersonFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


def actor(cast: Cast, role: Role) -> Actor:
    membership = cast.members[role]
    return Actor(user=membership.user, membership=membership)


@pytest.fixture
def child(cast: Cast):  # type: ignore[no-untyped-def]
    person = PersonFactory(area=cast.area)
    TeamMemberFactory(person=person, membership=cast.members[Role.SOCIAL_WORKER])
    return person


def test_police_report_missing_and_a_return_creates_the_rhi_due_72_hours_later(
    cast: Cast, child
) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    episode = report_missing(
        actor=actor(cast, Role.POLICE_OFFICER),
        person_id=child.pk,
        data=NewEpisode(
            started_at=now - timedelta(hours=10),
            last_seen_place="Station car park",
            risk_grading="medium",
        ),
    )
    assert episode.grading_history.get().grading == "medium"
    returned_at = now - timedelta(hours=1)
    interview = record_return(
        actor=actor(cast, Role.SOCIAL_WORKER),
        episode_id=episode.pk,
        expected_version=1,
        data=Return(returned_at=returned_at),
    )
    assert interview.state == RhiState.TO_OFFER
    assert interview.due_at == returned_at + timedelta(hours=72)
    assert {"missing.reported", "missing.returned"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )


def test_future_times_and_end_before_start_are_refused(cast: Cast, child) -> None:  # type: ignore[no-untyped-def]
    police = actor(cast, Role.POLICE_OFFICER)
    with pytest.raises(InvalidInput, match="now or in the past"):
        report_missing(
            actor=police,
            person_id=child.pk,
            data=NewEpisode(started_at=timezone.now() + timedelta(hours=1)),
        )
    episode = report_missing(
        actor=police,
        person_id=child.pk,
        data=NewEpisode(started_at=timezone.now() - timedelta(hours=3)),
    )
    with pytest.raises(InvalidInput) as caught:
        record_return(
            actor=police,
            episode_id=episode.pk,
            expected_version=1,
            data=Return(returned_at=timezone.now() - timedelta(hours=5)),
        )
    assert "after the time the child was last seen" in caught.value.errors["returned_at"]
    assert MissingEpisode.objects.get(pk=episode.pk).is_open


def test_a_second_open_episode_for_the_same_child_is_refused(cast: Cast, child) -> None:  # type: ignore[no-untyped-def]
    police = actor(cast, Role.POLICE_OFFICER)
    report_missing(
        actor=police,
        person_id=child.pk,
        data=NewEpisode(started_at=timezone.now() - timedelta(hours=3)),
    )
    with pytest.raises(InvalidInput, match="already has a missing episode"):
        report_missing(
            actor=police,
            person_id=child.pk,
            data=NewEpisode(started_at=timezone.now() - timedelta(hours=1)),
        )


def test_the_database_itself_refuses_overlapping_episodes(cast: Cast, child) -> None:  # type: ignore[no-untyped-def]
    police = actor(cast, Role.POLICE_OFFICER)
    episode = report_missing(
        actor=police,
        person_id=child.pk,
        data=NewEpisode(started_at=timezone.now() - timedelta(hours=3)),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        MissingEpisode.objects.create(
            person=child,
            reported_at=timezone.now(),
            reported_by=episode.reported_by,
            reporting_membership=episode.reporting_membership,
            started_at=timezone.now() - timedelta(hours=2),
        )


def test_an_away_that_becomes_missing_is_two_episodes_meeting_at_one_instant(
    cast: Cast, child
) -> None:  # type: ignore[no-untyped-def]
    police = actor(cast, Role.POLICE_OFFICER)
    turned = timezone.now() - timedelta(hours=2)
    away = report_missing(
        actor=police,
        person_id=child.pk,
        data=NewEpisode(started_at=turned - timedelta(hours=4), kind="A"),
    )
    record_return(
        actor=police, episode_id=away.pk, expected_version=1, data=Return(returned_at=turned)
    )
    missing = report_missing(
        actor=police, person_id=child.pk, data=NewEpisode(started_at=turned, kind="M")
    )
    assert missing.kind == "M"


def test_closing_twice_and_stale_versions_are_explained(cast: Cast, child) -> None:  # type: ignore[no-untyped-def]
    police = actor(cast, Role.POLICE_OFFICER)
    episode = report_missing(
        actor=police,
        person_id=child.pk,
        data=NewEpisode(started_at=timezone.now() - timedelta(hours=3)),
    )
    record_return(
        actor=police,
        episode_id=episode.pk,
        expected_version=1,
        data=Return(returned_at=timezone.now()),
    )
    with pytest.raises(StaleVersionError, match="Someone else changed"):
        record_return(
            actor=police,
            episode_id=episode.pk,
            expected_version=1,
            data=Return(returned_at=timezone.now()),
        )
    with pytest.raises(InvalidInput, match="already been closed"):
        record_return(
            actor=police,
            episode_id=episode.pk,
            expected_version=2,
            data=Return(returned_at=timezone.now()),
        )


def test_found_out_of_area_needs_the_area(cast: Cast, child) -> None:  # type: ignore[no-untyped-def]
    police = actor(cast, Role.POLICE_OFFICER)
    episode = report_missing(
        actor=police,
        person_id=child.pk,
        data=NewEpisode(started_at=timezone.now() - timedelta(hours=3)),
    )
    with pytest.raises(InvalidInput, match="which area"):
        record_return(
            actor=police,
            episode_id=episode.pk,
            expected_version=1,
            data=Return(returned_at=timezone.now(), found_out_of_area=True),
        )


def test_risk_grading_changes_are_kept_with_who_and_when_police_only(cast: Cast, child) -> None:  # type: ignore[no-untyped-def]
    police = actor(cast, Role.POLICE_OFFICER)
    episode = report_missing(
        actor=police,
        person_id=child.pk,
        data=NewEpisode(started_at=timezone.now() - timedelta(hours=3), risk_grading="low"),
    )
    regrade_risk(actor=police, episode_id=episode.pk, grading="high")
    assert [c.grading for c in episode.grading_history.all()] == ["low", "high"]
    with pytest.raises(PermissionDeniedError):
        regrade_risk(actor=actor(cast, Role.SOCIAL_WORKER), episode_id=episode.pk, grading="low")


def test_people_who_cannot_see_the_child_cannot_report_them(cast: Cast) -> None:
    stranger = PersonFactory(area=cast.area)
    with pytest.raises(NotFoundError):
        report_missing(
            actor=actor(cast, Role.SOCIAL_WORKER),
            person_id=stranger.pk,
            data=NewEpisode(started_at=timezone.now()),
        )
    with pytest.raises(PermissionDeniedError):
        report_missing(
            actor=actor(cast, Role.PRACTITIONER),
            person_id=stranger.pk,
            data=NewEpisode(started_at=timezone.now()),
        )


def test_episodes_appear_on_the_child_timeline(cast: Cast, child, client_for) -> None:  # type: ignore[no-untyped-def]
    police = actor(cast, Role.POLICE_OFFICER)
    episode = report_missing(
        actor=police,
        person_id=child.pk,
        data=NewEpisode(
            started_at=timezone.now() - timedelta(hours=3), last_seen_place="Bus station"
        ),
    )
    record_return(
        actor=police,
        episode_id=episode.pk,
        expected_version=1,
        data=Return(
            returned_at=timezone.now(),
            found_place="Otherton",
            found_out_of_area=True,
            found_area_name="Otherton",
        ),
    )
    page = (
        client_for(Role.SOCIAL_WORKER)
        .get(f"/people/{child.pk}/", {"type": "missing"})
        .content.decode()
    )
    assert "Missing: last seen" in page and "Bus station" in page
    assert "Returned (found out of area)" in page
    assert "Added to Clearsight" not in page
    assert "Found out of area: Otherton" in page
    assert "Missing history" in page


def returned_episode(cast: Cast, child):  # type: ignore[no-untyped-def]
    police = actor(cast, Role.POLICE_OFFICER)
    episode = report_missing(
        actor=police,
        person_id=child.pk,
        data=NewEpisode(started_at=timezone.now() - timedelta(hours=3)),
    )
    return record_return(
        actor=police,
        episode_id=episode.pk,
        expected_version=1,
        data=Return(returned_at=timezone.now()),
    )


def test_an_rhi_is_offered_to_a_worker_then_accepted(cast: Cast, child) -> None:  # type: ignore[no-untyped-def]
    from clearsight.missing.services import move_interview

    interview = returned_episode(cast, child)
    sw = actor(cast, Role.SOCIAL_WORKER)
    worker = cast.members[Role.RHI_WORKER]
    interview = move_interview(
        actor=sw, interview_id=interview.pk, expected_version=1, target="offered", worker=worker
    )
    assert interview.worker == worker and interview.offered_at
    from clearsight.access.policy import visible_persons

    assert visible_persons(actor(cast, Role.RHI_WORKER)).filter(pk=child.pk).exists()
    interview = move_interview(
        actor=sw, interview_id=interview.pk, expected_version=2, target="accepted"
    )
    assert interview.state == "accepted"
    assert AuditEvent.objects.filter(action="rhi.accepted", person_id=child.pk).exists()
    # Completing needs the interview itself (complete_interview, with its disclosures).
    with pytest.raises(InvalidInput, match="interview form"):
        move_interview(actor=sw, interview_id=interview.pk, expected_version=3, target="completed")


def test_bad_rhi_moves_are_explained(cast: Cast, child) -> None:  # type: ignore[no-untyped-def]
    from clearsight.accounts.models import User
    from clearsight.missing.services import move_interview

    interview = returned_episode(cast, child)
    sw = actor(cast, Role.SOCIAL_WORKER)
    with pytest.raises(InvalidInput, match="once the child has accepted it"):
        move_interview(actor=sw, interview_id=interview.pk, expected_version=1, target="completed")
    with pytest.raises(InvalidInput, match="return home interview worker"):
        move_interview(
            actor=sw,
            interview_id=interview.pk,
            expected_version=1,
            target="offered",
            worker=cast.members[Role.PRACTITIONER],
        )
    User.objects.filter(pk=cast.user(Role.RHI_WORKER).pk).update(is_active=False)
    with pytest.raises(InvalidInput, match="current return home interview worker"):
        move_interview(
            actor=sw,
            interview_id=interview.pk,
            expected_version=1,
            target="offered",
            worker=cast.members[Role.RHI_WORKER]
            .__class__.objects.select_related("user")
            .get(pk=cast.members[Role.RHI_WORKER].pk),
        )
    with pytest.raises(StaleVersionError):
        move_interview(
            actor=sw,
            interview_id=interview.pk,
            expected_version=7,
            target="offered",
            worker=cast.members[Role.RHI_WORKER],
        )
