"""The cases API: access by role, audit, problem+json errors and If-Match."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clearsight.access.policy import AREA_WIDE_ROLES
from clearsight.access.roles import Capability, Role, role_can
from clearsight.audit.models import AuditEvent
from tests.cases.helpers import child_on_team
from tests.conftest import Cast
from tests.factories import (
    AgendaItemFactory,
    CaseFactory,
    MaceMeetingFactory,
    MeetingMemberFactory,
    PlanActionFactory,
    ReferralFactory,
)
from tests.missing.test_api import token_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role))
def test_api_access_by_role(role: Role, cast: Cast) -> None:
    child = child_on_team(cast, Role.SOCIAL_WORKER)
    referral = ReferralFactory(
        person=child, referred_by_membership=cast.members[Role.SOCIAL_WORKER]
    )
    case = CaseFactory(person=child)
    meeting = MaceMeetingFactory(area=cast.area)
    MeetingMemberFactory(meeting=meeting, membership=cast.members[Role.POLICE_OFFICER])
    AgendaItemFactory(meeting=meeting, person=child)
    api = token_client(cast, role)
    allowed = role_can(role, Capability.VIEW_CHILDREN)
    sees = allowed and (role == Role.SOCIAL_WORKER or role in AREA_WIDE_ROLES)
    in_meeting = allowed and role in (Role.POLICE_OFFICER, Role.MACE_COORDINATOR)
    for url, visible in [
        (f"/api/v1/referrals/{referral.pk}/", sees),
        (f"/api/v1/cases/{case.pk}/", sees),
        (f"/api/v1/meetings/{meeting.pk}/", in_meeting),
    ]:
        response = api.get(url)
        expected = 403 if not allowed else (200 if visible else 404)
        assert response.status_code == expected, (url, role)
        if expected != 200:
            assert response["Content-Type"] == "application/problem+json"
    for url in ("/api/v1/referrals/", "/api/v1/cases/", "/api/v1/meetings/"):
        response = api.get(url)
        assert response.status_code == (200 if allowed else 403), (url, role)
        if allowed:
            count = response.json()["count"]
            expected_count = 1 if (in_meeting if "meetings" in url else sees) else 0
            assert count == expected_count, (url, role)


def test_a_referral_is_made_and_answered_through_the_api(cast: Cast) -> None:
    child = child_on_team(cast, Role.SOCIAL_WORKER)
    api = token_client(cast, Role.SOCIAL_WORKER)
    made = api.post(
        "/api/v1/referrals/",
        {"person": child.pk, "service": "early_help", "reason": "Worried"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made["ETag"] == '"1"'
    pk = made.json()["id"]
    no_match = api.patch(
        f"/api/v1/referrals/{pk}/", {"status": "accepted"}, content_type="application/json"
    )
    assert no_match.status_code == 428
    accepted = api.patch(
        f"/api/v1/referrals/{pk}/",
        {"status": "accepted"},
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
    )
    assert accepted.status_code == 200 and accepted.json()["accepted_at"]
    stale = api.patch(
        f"/api/v1/referrals/{pk}/",
        {"status": "closed", "outcome": "x"},
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
    )
    assert stale.status_code == 412
    assert AuditEvent.objects.filter(action="referral.updated", person_id=child.pk).count() == 1


def test_an_action_due_in_the_past_is_a_problem_with_the_field(cast: Cast) -> None:
    child = child_on_team(cast, Role.SOCIAL_WORKER)
    case = CaseFactory(person=child)
    api = token_client(cast, Role.SOCIAL_WORKER)
    response = api.post(
        f"/api/v1/cases/{case.pk}/actions/",
        {
            "title": "Visit",
            "owner": cast.members[Role.PRACTITIONER].pk,
            "due_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "due_on"


def test_an_action_owner_moves_it_on_through_the_api(cast: Cast) -> None:
    child = child_on_team(cast, Role.SOCIAL_WORKER, Role.PRACTITIONER)
    action = PlanActionFactory(
        case=CaseFactory(person=child), owner=cast.members[Role.PRACTITIONER]
    )
    api = token_client(cast, Role.PRACTITIONER)
    assert api.get(f"/api/v1/actions/{action.pk}/").status_code == 200
    response = api.patch(
        f"/api/v1/actions/{action.pk}/",
        {"status": "in_progress"},
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 200 and response.json()["started_at"]
