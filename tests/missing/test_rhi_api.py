"""/api/v1/return-interviews/: list, read and move a return home interview on, with
If-Match, problem+json errors and nothing saved half-way."""

from __future__ import annotations

import pytest
from django.test import Client

from clearsight.access.roles import Role
from clearsight.audit.models import AuditEvent
from clearsight.missing.models import ReturnHomeInterview, RhiState
from clearsight.people.models import TeamMember
from tests.conftest import Cast
from tests.factories import (
    AreaFactory,
    MembershipFactory,
    PersonFactory,
    ReturnHomeInterviewFactory,
    TeamMemberFactory,
)
from tests.missing.test_api import token_client

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.fixture
def interview(cast: Cast) -> ReturnHomeInterview:
    return ReturnHomeInterviewFactory(episode__person=PersonFactory(area=cast.area))


def move(api: Client, pk: int, body: dict, etag: str | None = '"1"'):  # type: ignore[no-untyped-def]
    headers = {"HTTP_IF_MATCH": etag} if etag else {}
    return api.post(
        f"/api/v1/return-interviews/{pk}/transition/",
        body,
        content_type="application/json",
        **headers,
    )


def test_a_coordinator_offers_then_the_child_accepts(
    cast: Cast, interview: ReturnHomeInterview
) -> None:
    api = token_client(cast, Role.MISSING_COORDINATOR)
    worker = cast.members[Role.RHI_WORKER]
    read = api.get(f"/api/v1/return-interviews/{interview.pk}/")
    assert read.status_code == 200 and read["ETag"] == '"1"'
    assert read.json()["person"] == interview.episode.person_id

    offered = move(api, interview.pk, {"state": "offered", "worker": worker.pk}, read["ETag"])
    assert offered.status_code == 200, offered.content
    assert offered.json()["worker"] == worker.pk and offered["ETag"] == '"2"'
    accepted = move(api, interview.pk, {"state": "accepted"}, offered["ETag"])
    assert accepted.json()["state"] == "accepted"
    assert AuditEvent.objects.filter(action="rhi.accepted", person_id=interview.episode.person_id)
    # Completing needs what the child said, recorded in the interview form.
    completed = move(api, interview.pk, {"state": "completed"}, accepted["ETag"])
    assert completed.status_code == 400
    assert completed.json()["errors"][0]["field"] == "state"


def test_declining_needs_a_reason(cast: Cast, interview: ReturnHomeInterview) -> None:
    api = token_client(cast, Role.MISSING_COORDINATOR)
    worker = cast.members[Role.RHI_WORKER].pk
    move(api, interview.pk, {"state": "offered", "worker": worker})
    refused = move(api, interview.pk, {"state": "declined"}, '"2"')
    assert refused.json()["errors"] == [{"field": "state", "message": "Enter the reason"}]
    declined = move(api, interview.pk, {"state": "declined", "reason": "Asleep"}, '"2"')
    assert declined.json()["reason"] == "Asleep"


def test_the_list_shows_interviews_of_children_you_may_see_filtered_by_state(
    cast: Cast, interview: ReturnHomeInterview
) -> None:
    done = ReturnHomeInterviewFactory(
        episode__person=PersonFactory(area=cast.area), state=RhiState.COMPLETED
    )
    ReturnHomeInterviewFactory(episode__person=PersonFactory(area=AreaFactory()))
    api = token_client(cast, Role.MISSING_COORDINATOR)

    everything = api.get("/api/v1/return-interviews/").json()["results"]
    assert {i["id"] for i in everything} == {interview.pk, done.pk}
    only_done = api.get("/api/v1/return-interviews/", {"state": "completed"}).json()["results"]
    assert [i["id"] for i in only_done] == [done.pk]
    bad = api.get("/api/v1/return-interviews/", {"state": "lost"})
    assert bad.status_code == 400 and bad["Content-Type"] == PROBLEM
    listed = AuditEvent.objects.filter(action="rhi.listed").first()
    assert listed is not None and listed.details["via"] == "api"


def test_completing_an_interview_never_offered_is_a_field_error(
    cast: Cast, interview: ReturnHomeInterview
) -> None:
    response = move(
        token_client(cast, Role.MISSING_COORDINATOR), interview.pk, {"state": "completed"}
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"] == [
        {
            "field": "state",
            "message": "An interview can only be completed once the child has accepted it",
        }
    ]
    interview.refresh_from_db()
    assert (interview.state, interview.version) == (RhiState.TO_OFFER, 1)


def test_a_suspended_worker_cannot_be_given_the_interview_and_nothing_is_saved(
    cast: Cast, interview: ReturnHomeInterview
) -> None:
    worker = cast.members[Role.RHI_WORKER]
    worker.user.is_active = False
    worker.user.save()
    response = move(
        token_client(cast, Role.MISSING_COORDINATOR),
        interview.pk,
        {"state": "offered", "worker": worker.pk},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "worker"
    interview.refresh_from_db()
    assert (interview.state, interview.worker_id, interview.version) == ("to_offer", None, 1)
    assert not TeamMember.objects.filter(membership=worker).exists()


@pytest.mark.parametrize(
    "worker",
    [
        lambda cast: cast.members[Role.SOCIAL_WORKER].pk,  # not an RHI worker
        lambda cast: MembershipFactory(role=Role.RHI_WORKER.value).pk,  # another area
        lambda cast: 999_999,  # no such membership
    ],
)
def test_the_worker_must_be_a_current_rhi_worker_of_the_area(
    cast: Cast, interview: ReturnHomeInterview, worker
) -> None:  # type: ignore[no-untyped-def]
    response = move(
        token_client(cast, Role.MISSING_COORDINATOR),
        interview.pk,
        {"state": "offered", "worker": worker(cast)},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "worker"


def test_two_people_moving_the_same_interview_one_wins_the_other_is_told(
    cast: Cast, interview: ReturnHomeInterview
) -> None:
    worker = cast.members[Role.RHI_WORKER].pk
    first = move(
        token_client(cast, Role.MISSING_COORDINATOR),
        interview.pk,
        {"state": "offered", "worker": worker},
    )
    second = move(
        token_client(cast, Role.POLICE_OFFICER),
        interview.pk,
        {"state": "offered", "worker": worker},
    )
    assert first.status_code == 200
    assert second.status_code == 412 and second["Content-Type"] == PROBLEM
    assert "Someone else changed this interview" in second.json()["detail"]


def test_a_move_without_if_match_is_refused(cast: Cast, interview: ReturnHomeInterview) -> None:
    response = move(
        token_client(cast, Role.MISSING_COORDINATOR), interview.pk, {"state": "offered"}, None
    )
    assert response.status_code == 428
    assert response["Content-Type"] == PROBLEM


def test_an_interview_of_another_area_is_not_found(cast: Cast) -> None:
    elsewhere = ReturnHomeInterviewFactory(episode__person=PersonFactory(area=AreaFactory()))
    api = token_client(cast, Role.MISSING_COORDINATOR)
    assert api.get(f"/api/v1/return-interviews/{elsewhere.pk}/").status_code == 404
    assert move(api, elsewhere.pk, {"state": "offered"}).status_code == 404


@pytest.mark.parametrize("role", list(Role))
def test_access_by_role(cast: Cast, interview: ReturnHomeInterview, role: Role) -> None:
    """Reading needs the children capability and sight of the child; moving needs a role
    that records missing episodes or return home interviews as well."""
    from clearsight.access.roles import Capability, role_can

    TeamMemberFactory(person=interview.episode.person, membership=cast.members[role])
    api = token_client(cast, role)
    sees = role_can(role, Capability.VIEW_CHILDREN)
    moves = sees and (
        role_can(role, Capability.RECORD_MISSING_EPISODES)
        or role_can(role, Capability.RECORD_RETURN_INTERVIEWS)
    )
    assert api.get("/api/v1/return-interviews/").status_code == (200 if sees else 403)
    assert api.get(f"/api/v1/return-interviews/{interview.pk}/").status_code == (
        200 if sees else 403
    )
    response = move(
        api, interview.pk, {"state": "offered", "worker": cast.members[Role.RHI_WORKER].pk}
    )
    assert response.status_code == (200 if moves else 403)


def test_the_schema_describes_the_interview_endpoints(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    schema = client_for(Role.PRACTITIONER).get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/return-interviews/{id}/transition/" in schema.content


def record(api: Client, pk: int, body: dict, etag: str | None):  # type: ignore[no-untyped-def]
    headers = {"HTTP_IF_MATCH": etag} if etag else {}
    return api.post(
        f"/api/v1/return-interviews/{pk}/record/", body, content_type="application/json", **headers
    )


def test_the_worker_records_the_interview_and_disclosures_become_observations(
    cast: Cast, interview: ReturnHomeInterview
) -> None:
    from django.utils import timezone

    from clearsight.risk.models import Observation

    coordinator = token_client(cast, Role.MISSING_COORDINATOR)
    worker = token_client(cast, Role.RHI_WORKER)
    move(
        coordinator, interview.pk, {"state": "offered", "worker": cast.members[Role.RHI_WORKER].pk}
    )
    move(worker, interview.pk, {"state": "accepted"}, '"2"')
    body = {
        "held_on": timezone.localdate().isoformat(),
        "what_happened": "Stayed at a flat with older boys",
        "disclosure_codes": ["MON-01", "UNKNOWN-9"],
    }
    refused = record(worker, interview.pk, body, '"3"')
    assert refused.status_code == 400 and refused["Content-Type"] == PROBLEM
    assert refused.json()["errors"][0]["field"] == "disclosure_codes"
    assert not Observation.objects.exists()
    good = {**body, "disclosure_codes": ["MON-01"]}
    assert record(worker, interview.pk, good, None).status_code == 428
    assert record(worker, interview.pk, good, '"1"').status_code == 412
    # Only the worker it was offered to may record it.
    other = record(coordinator, interview.pk, {**body, "disclosure_codes": ["MON-01"]}, '"3"')
    assert other.status_code == 403
    done = record(worker, interview.pk, {**body, "disclosure_codes": ["MON-01", "PHN-01"]}, '"3"')
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "completed" and done["ETag"] == '"4"'
    assert set(
        Observation.objects.filter(person=interview.episode.person).values_list(
            "indicator_code", flat=True
        )
    ) == {"MON-01", "PHN-01"}
