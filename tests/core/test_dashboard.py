"""The area dashboard: who may open it, which sections each role sees (only those whose
detailed figures the role may open), that it reuses each module's figures, is audited
and takes a bounded number of queries however much there is to count."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from clearsight.access.navigation import AREA_DASHBOARD_CAPABILITIES
from clearsight.access.roles import Capability, Role, role_can
from clearsight.audit.models import AuditEvent
from tests.conftest import Cast
from tests.factories import (
    ConcernFactory,
    HelplineContactFactory,
    MissingEpisodeFactory,
    PersonFactory,
    ReturnHomeInterviewFactory,
)

pytestmark = pytest.mark.django_db

SECTIONS = {
    "dashboard-concerns": Capability.TRIAGE_CONCERNS,
    "dashboard-missing": Capability.COORDINATE_MISSING,
    "dashboard-help": Capability.MANAGE_CASES,
}


def area_work(cast: Cast, children: int) -> None:
    """Concerns (some triaged), helpline contacts, returns with interviews."""
    now = timezone.now()
    helpline = cast.members[Role.HELPLINE_WORKER]
    for n in range(children):
        child = PersonFactory(area=cast.area)
        ConcernFactory(
            area=cast.area,
            person=child,
            sector="retail",
            outcome="referral",
            triaged_at=now - timedelta(hours=n),
            created_at=now - timedelta(hours=n + 5),
        )
        ConcernFactory(area=cast.area, source="public")
        HelplineContactFactory(membership=helpline, caller_type="professional")
        episode = MissingEpisodeFactory(
            person=child,
            started_at=now - timedelta(hours=30),
            ended_at=now - timedelta(hours=10),
        )
        ReturnHomeInterviewFactory(episode=episode, due_at=now - timedelta(hours=1))


@pytest.mark.parametrize("role", list(Role))
def test_the_dashboard_by_role(role: Role, cast: Cast, client_for: Any) -> None:
    response = client_for(role).get("/dashboard/")
    allowed = any(role_can(role, c) for c in AREA_DASHBOARD_CAPABILITIES)
    assert response.status_code == (200 if allowed else 403)
    if not allowed:
        assert AuditEvent.objects.filter(action="access.denied").exists()
        return
    page = response.content.decode()
    for testid, capability in SECTIONS.items():
        assert (f'data-testid="{testid}"' in page) == role_can(role, capability), testid
    event = AuditEvent.objects.get(action="core.dashboard_viewed")
    assert event.details["sections"]


def test_the_roles_that_run_the_area_have_it() -> None:
    holders = {r for r in Role if any(role_can(r, c) for c in AREA_DASHBOARD_CAPABILITIES)}
    assert holders == {Role.TRIAGE_OFFICER, Role.MACE_COORDINATOR, Role.MISSING_COORDINATOR}


def test_the_triage_officer_sees_the_concern_figures(cast: Cast, client_for: Any) -> None:
    area_work(cast, children=3)
    page = client_for(Role.TRIAGE_OFFICER).get("/dashboard/").content.decode()
    assert 'data-testid="dashboard-concerns-total">6<' in page
    assert "median time to triage" in page
    assert "/concerns/figures/" in page
    # Helpline contacts by caller type, counted without detail.
    helpline = page.split('data-testid="dashboard-helpline"', 1)[1].split("</table>", 1)[0]
    assert "Professional" in helpline and ">3<" in helpline
    assert "Chicken" not in page and "parcels" not in page


def test_the_missing_coordinator_sees_this_months_interviews(cast: Cast, client_for: Any) -> None:
    area_work(cast, children=2)
    page = client_for(Role.MISSING_COORDINATOR).get("/dashboard/").content.decode()
    assert 'data-testid="dashboard-rhi-open">2<' in page
    assert 'data-testid="dashboard-rhi-overdue">2<' in page
    assert "/missing/figures/" in page


@pytest.mark.parametrize(
    "role", [Role.TRIAGE_OFFICER, Role.MACE_COORDINATOR, Role.MISSING_COORDINATOR]
)
def test_the_query_count_does_not_grow_with_the_area(
    role: Role, cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(role)
    area_work(cast, children=12)
    with django_assert_max_num_queries(30):
        assert client.get("/dashboard/").status_code == 200


def test_more_children_do_not_mean_more_queries(cast: Cast, client_for: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(Role.TRIAGE_OFFICER)
    area_work(cast, children=1)
    with CaptureQueriesContext(connection) as few:
        client.get("/dashboard/")
    area_work(cast, children=10)
    with CaptureQueriesContext(connection) as many:
        client.get("/dashboard/")
    assert len(many) == len(few)
