"""The Return Home Interview form: what happened, the child's words, and disclosures that
become observations on the child's record (source "return home interview")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.roles import Capability, Role, role_can
from clearsight.audit.models import AuditEvent
from clearsight.core.errors import (
    InvalidInput,
    NotFoundError,
    PermissionDeniedError,
    StaleVersionError,
)
from clearsight.missing.models import ReturnHomeInterview, RhiState
from clearsight.missing.services import (
    InterviewRecord,
    NewEpisode,
    Return,
    complete_interview,
    move_interview,
    record_return,
    report_missing,
)
from clearsight.risk.models import Observation, ObservationSource
from tests.conftest import Cast
from tests.factories import AgencyFactory, MembershipFactory, PersonFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


def actor(cast: Cast, role: Role) -> Actor:
    membership = cast.members[role]
    return Actor(user=membership.user, membership=membership)


@pytest.fixture
def child(cast: Cast):  # type: ignore[no-untyped-def]
    person = PersonFactory(area=cast.area, given_names="Rhys", family_name="Calloway")
    TeamMemberFactory(person=person, membership=cast.members[Role.SOCIAL_WORKER])
    return person


@pytest.fixture
def accepted(cast: Cast, child) -> ReturnHomeInterview:  # type: ignore[no-untyped-def]
    police = actor(cast, Role.POLICE_OFFICER)
    now = timezone.now()
    episode = report_missing(
        actor=police, person_id=child.pk, data=NewEpisode(started_at=now - timedelta(days=2))
    )
    interview = record_return(
        actor=police,
        episode_id=episode.pk,
        expected_version=1,
        data=Return(returned_at=now - timedelta(days=1)),
    )
    coordinator = actor(cast, Role.MISSING_COORDINATOR)
    interview = move_interview(
        actor=coordinator,
        interview_id=interview.pk,
        expected_version=1,
        target="offered",
        worker=cast.members[Role.RHI_WORKER],
    )
    return move_interview(
        actor=actor(cast, Role.RHI_WORKER),
        interview_id=interview.pk,
        expected_version=2,
        target="accepted",
    )


def record(**changes: object) -> InterviewRecord:
    data = InterviewRecord(
        held_on=timezone.localdate(),
        where_child_was="A flat in another town",
        who_with="Two older boys",
        what_happened="Was asked to carry a bag on the train",
        childs_words="I didn't want to go but they said I owed them",
        disclosure_codes=["MON-01", "MIS-02"],
        disclosure_notes="Said he was given a new phone",
    )
    for name, value in changes.items():
        setattr(data, name, value)
    return data


def test_completing_the_interview_turns_each_disclosure_into_an_observation(
    cast: Cast, child, accepted: ReturnHomeInterview, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=False):
        done = complete_interview(
            actor=actor(cast, Role.RHI_WORKER),
            interview_id=accepted.pk,
            expected_version=accepted.version,
            data=record(),
        )
    assert done.state == RhiState.COMPLETED and done.finished_at
    assert done.disclosure_codes == ["MIS-02", "MON-01"]
    observations = Observation.objects.filter(person=child).order_by("indicator_code")
    assert [o.indicator_code for o in observations] == ["MIS-02", "MON-01"]
    for observation in observations:
        assert observation.source == ObservationSource.RETURN_HOME_INTERVIEW
        assert observation.source_ref == str(done.pk)
        assert observation.agency == cast.members[Role.RHI_WORKER].agency
        assert observation.author == cast.user(Role.RHI_WORKER)
        assert "new phone" in observation.note
    assert AuditEvent.objects.filter(action="rhi.completed", person_id=child.pk).exists()


def test_a_bad_disclosure_code_saves_nothing(cast: Cast, accepted: ReturnHomeInterview) -> None:
    with pytest.raises(InvalidInput) as error:
        complete_interview(
            actor=actor(cast, Role.RHI_WORKER),
            interview_id=accepted.pk,
            expected_version=accepted.version,
            data=record(disclosure_codes=["MON-01", "NOPE-99"]),
        )
    assert "disclosure_codes" in error.value.errors
    accepted.refresh_from_db()
    assert accepted.state == RhiState.ACCEPTED and accepted.what_happened == ""
    assert not Observation.objects.exists()


def test_dates_and_required_text_are_checked(cast: Cast, accepted: ReturnHomeInterview) -> None:
    worker = actor(cast, Role.RHI_WORKER)
    for data, field in (
        (record(held_on=timezone.localdate() + timedelta(days=1)), "held_on"),
        (record(held_on=timezone.localdate() - timedelta(days=5)), "held_on"),
        (record(what_happened="  "), "what_happened"),
        (record(childs_words="x" * 5001), "childs_words"),
    ):
        with pytest.raises(InvalidInput) as error:
            complete_interview(
                actor=worker, interview_id=accepted.pk, expected_version=accepted.version, data=data
            )
        assert field in error.value.errors


def test_only_the_worker_it_was_offered_to_records_it_and_only_once(
    cast: Cast, accepted: ReturnHomeInterview
) -> None:
    colleague = MembershipFactory(agency=cast.members[Role.RHI_WORKER].agency, role=Role.RHI_WORKER)
    TeamMemberFactory(person=accepted.episode.person, membership=colleague)
    with pytest.raises(PermissionDeniedError):
        complete_interview(
            actor=Actor(user=colleague.user, membership=colleague),
            interview_id=accepted.pk,
            expected_version=accepted.version,
            data=record(),
        )
    worker = actor(cast, Role.RHI_WORKER)
    with pytest.raises(StaleVersionError):
        complete_interview(
            actor=worker, interview_id=accepted.pk, expected_version=1, data=record()
        )
    complete_interview(
        actor=worker, interview_id=accepted.pk, expected_version=accepted.version, data=record()
    )
    with pytest.raises(InvalidInput, match="already been completed"):
        complete_interview(
            actor=worker,
            interview_id=accepted.pk,
            expected_version=accepted.version + 1,
            data=record(),
        )


def test_an_interview_never_offered_cannot_be_completed(cast: Cast, child) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    police = actor(cast, Role.POLICE_OFFICER)
    episode = report_missing(
        actor=police, person_id=child.pk, data=NewEpisode(started_at=now - timedelta(days=2))
    )
    interview = record_return(
        actor=police, episode_id=episode.pk, expected_version=1, data=Return(returned_at=now)
    )
    # Nobody was offered it: even the area's coordinator cannot record it as completed,
    # and an RHI worker not yet offered it cannot see the child at all.
    with pytest.raises(PermissionDeniedError, match="offered to"):
        complete_interview(
            actor=actor(cast, Role.MISSING_COORDINATOR),
            interview_id=interview.pk,
            expected_version=1,
            data=record(),
        )
    with pytest.raises(NotFoundError):
        complete_interview(
            actor=actor(cast, Role.RHI_WORKER),
            interview_id=interview.pk,
            expected_version=1,
            data=record(),
        )
    assert not Observation.objects.exists()


def form_data(interview: ReturnHomeInterview, **changes: object) -> dict[str, object]:
    today = timezone.localdate()
    data: dict[str, object] = {
        "version": interview.version,
        "held_day": today.day,
        "held_month": today.month,
        "held_year": today.year,
        "what_happened": "Stayed at a flat; was asked to hold money",
        "childs_words": "I want to stay at school",
        "disclosure_codes": ["MON-01", "REL-01"],
    }
    data.update(changes)
    return data


def test_the_worker_records_the_interview_from_the_form(
    cast: Cast, child, accepted: ReturnHomeInterview, client_for
) -> None:  # type: ignore[no-untyped-def]
    worker = client_for(Role.RHI_WORKER)
    url = f"/missing/interviews/{accepted.pk}/record/"
    page = worker.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'value="MON-01"' in text and "Money and possessions" in text
    bad = worker.post(url, form_data(accepted, held_day="", disclosure_codes=["BAD-1"]))
    assert bad.status_code == 400
    assert "govuk-error-summary" in bad.content.decode()
    assert "Choose disclosures from the list" in bad.content.decode()
    response = worker.post(url, form_data(accepted))
    assert response.status_code == 302
    assert Observation.objects.filter(person=child).count() == 2
    episode_page = worker.get(response["Location"]).content.decode()
    assert "2 disclosures added to the child" in episode_page
    assert 'data-testid="interview-record"' in episode_page
    timeline = client_for(Role.SOCIAL_WORKER).get(f"/people/{child.pk}/").content.decode()
    assert "Signs seen: Unexplained money" in timeline
    assert "(Return home interview)" in timeline


def test_the_form_is_for_the_assigned_worker_only(
    cast: Cast, accepted: ReturnHomeInterview, client_for
) -> None:  # type: ignore[no-untyped-def]
    url = f"/missing/interviews/{accepted.pk}/record/"
    for role in Role:
        status = client_for(role).get(url).status_code
        if role is Role.RHI_WORKER:
            assert status == 200
        elif not role_can(role, Capability.RECORD_RETURN_INTERVIEWS):
            assert status == 403
        else:
            # The missing coordinator may see the child but was not offered the interview.
            assert status == 403


def test_a_worker_from_the_childs_placement_agency_is_warned(
    cast: Cast, child, accepted: ReturnHomeInterview, client_for
) -> None:  # type: ignore[no-untyped-def]
    child.placement_agency = cast.members[Role.RHI_WORKER].agency
    child.save()
    page = client_for(Role.RHI_WORKER).get(f"/missing/interviews/{accepted.pk}/record/")
    assert 'data-testid="independence-warning"' in page.content.decode()
    episode = client_for(Role.MISSING_COORDINATOR).get(f"/missing/{accepted.episode_id}/")
    assert 'data-testid="independence-warning"' in episode.content.decode()


def test_offering_to_a_worker_in_the_placement_agency_warns_and_marks_the_choice(
    cast: Cast, child, client_for
) -> None:  # type: ignore[no-untyped-def]
    home = AgencyFactory(area=cast.area, name="Willow House", agency_type="voluntary_sector")
    in_home = MembershipFactory(agency=home, role=Role.RHI_WORKER, user__full_name="Home Worker")
    child.placement_agency = home
    child.save()
    police = actor(cast, Role.POLICE_OFFICER)
    now = timezone.now()
    episode = report_missing(
        actor=police, person_id=child.pk, data=NewEpisode(started_at=now - timedelta(days=2))
    )
    interview = record_return(
        actor=police, episode_id=episode.pk, expected_version=1, data=Return(returned_at=now)
    )
    coordinator = client_for(Role.MISSING_COORDINATOR)
    page = coordinator.get(f"/missing/{episode.pk}/").content.decode()
    assert "Home Worker, Willow House (runs the child&#x27;s placement: not independent)" in page
    response = coordinator.post(
        f"/missing/interviews/{interview.pk}/",
        {"version": "1", "target": "offered", "worker": in_home.pk},
        follow=True,
    )
    assert "should be held by someone independent" in response.content.decode()
