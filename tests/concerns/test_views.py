"""The staff pages for concerns: raising one, the queue, a concern's page and its
triage steps, and the figures, for every role."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from clearsight.access.roles import Capability, Role, role_can
from clearsight.audit.models import AuditEvent
from clearsight.concerns.models import Concern, ConcernSource, DecisionKind
from tests.conftest import Cast
from tests.factories import ConcernFactory, PersonFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


def raise_data(**changes: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "what_seen": "Saw him get into a car with two older men after school",
        "where_seen": "School gates",
        "seen_on_day": today.day,
        "seen_on_month": today.month,
        "seen_on_year": today.year,
        "sign_codes": ["REL-01"],
        "danger": "no",
        "submission_key": "k-1",
        **changes,
    }


@pytest.mark.parametrize("role", list(Role))
def test_triage_pages_by_role(role: Role, cast: Cast, client_for: Any) -> None:
    concern = ConcernFactory(area=cast.area)
    response = client_for(role).get(f"/concerns/{concern.reference}/")
    assert response.status_code == (200 if role_can(role, Capability.TRIAGE_CONCERNS) else 403)


@pytest.mark.parametrize("action", ["assign", "link", "observations", "outcome"])
@pytest.mark.parametrize("role", [r for r in Role if not role_can(r, Capability.TRIAGE_CONCERNS)])
def test_triage_actions_by_role(role: Role, action: str, cast: Cast, client_for: Any) -> None:
    concern = ConcernFactory(area=cast.area)
    response = client_for(role).post(
        f"/concerns/{concern.reference}/{action}/", {"outcome": "referral", "reason": "x"}
    )
    assert response.status_code == 403
    assert not concern.decisions.exists()


def test_a_concern_of_another_area_is_not_found(cast: Cast, client_for: Any) -> None:
    elsewhere = ConcernFactory()
    client = client_for(Role.TRIAGE_OFFICER)
    assert client.get(f"/concerns/{elsewhere.reference}/").status_code == 404
    assert elsewhere.reference not in client.get("/concerns/").content.decode()


def test_raise_about_needs_sight_of_child(cast: Cast, client_for: Any) -> None:
    child = PersonFactory(area=cast.area)
    TeamMemberFactory(person=child, membership=cast.members[Role.PRACTITIONER])
    assert client_for(Role.PRACTITIONER).get(f"/concerns/raise/{child.pk}/").status_code == 200
    # On the team of another child only: not found; no capability: refused.
    assert client_for(Role.SOCIAL_WORKER).get(f"/concerns/raise/{child.pk}/").status_code == 404
    assert client_for(Role.HELPLINE_WORKER).get(f"/concerns/raise/{child.pk}/").status_code == 404
    refused = client_for(Role.AREA_ADMINISTRATOR).get(f"/concerns/raise/{child.pk}/")
    assert refused.status_code == 403
    page = client_for(Role.PRACTITIONER).get(f"/people/{child.pk}/").content.decode()
    assert f"/concerns/raise/{child.pk}/" in page
    page = client_for(Role.INTELLIGENCE_ANALYST).get(f"/people/{child.pk}/").content.decode()
    assert "/concerns/raise/" not in page


def test_a_professional_raises_a_concern_about_a_known_child_once(
    cast: Cast, client_for: Any
) -> None:
    child = PersonFactory(area=cast.area)
    TeamMemberFactory(person=child, membership=cast.members[Role.PRACTITIONER])
    client = client_for(Role.PRACTITIONER)
    first = client.post(f"/concerns/raise/{child.pk}/", raise_data())
    second = client.post(f"/concerns/raise/{child.pk}/", raise_data())
    assert first.status_code == second.status_code == 302
    concern = Concern.objects.get()
    assert concern.person == child and concern.source == ConcernSource.PROFESSIONAL
    assert concern.raised_by == cast.user(Role.PRACTITIONER)
    assert AuditEvent.objects.filter(action="concern.raised", person_id=child.pk).exists()


def test_a_concern_about_an_unknown_child_needs_what_was_seen(cast: Cast, client_for: Any) -> None:
    client = client_for(Role.HELPLINE_WORKER)
    page = client.post("/concerns/raise/", raise_data(what_seen="", danger=""))
    body = page.content.decode()
    assert "There is a problem" in body and "Tell us what you saw or heard" in body
    assert not Concern.objects.exists()
    client.post("/concerns/raise/", raise_data(description="Girl, about 15, red coat"))
    assert Concern.objects.get().person is None


def test_the_queue_shows_urgent_first_then_oldest_with_the_clock(
    cast: Cast, client_for: Any
) -> None:
    old = ConcernFactory(area=cast.area, what_seen="Oldest concern")
    Concern.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=30))
    ConcernFactory(area=cast.area, what_seen="Newer concern")
    ConcernFactory(area=cast.area, what_seen="Urgent concern", is_child_in_danger_now=True)
    page = client_for(Role.TRIAGE_OFFICER).get("/concerns/").content.decode()
    assert page.index("Urgent concern") < page.index("Oldest concern") < page.index("Newer")
    assert "Over 24 hours" in page
    assert AuditEvent.objects.filter(action="concern.queue_viewed").exists()


def test_likely_matches_are_shown_with_reasons_and_linking_records_why(
    cast: Cast, client_for: Any
) -> None:
    child = PersonFactory(area=cast.area, given_names="Tyler", family_name="Brookes")
    concern = ConcernFactory(area=cast.area)
    client = client_for(Role.TRIAGE_OFFICER)
    page = client.get(
        f"/concerns/{concern.reference}/",
        {"find": "1", "given_names": "Tyler", "family_name": "Brooks"},
    ).content.decode()
    assert "Tyler Brookes" in page and "Similar name" in page
    assert AuditEvent.objects.filter(action="concern.match_shown").exists()
    response = client.post(
        f"/concerns/{concern.reference}/link/",
        {"person": child.pk, "reason": "Same name and school"},
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.person == child
    assert concern.decisions.get().kind == DecisionKind.LINKED


def test_an_outcome_without_a_reason_shows_an_error_summary(cast: Cast, client_for: Any) -> None:
    concern = ConcernFactory(area=cast.area)
    response = client_for(Role.TRIAGE_OFFICER).post(
        f"/concerns/{concern.reference}/outcome/", {"outcome": "referral", "reason": ""}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body and "Enter why" in body
    assert not concern.decisions.exists()


def test_script_in_a_concern_is_escaped_on_the_triage_page(cast: Cast, client_for: Any) -> None:
    concern = ConcernFactory(area=cast.area, what_seen="<script>alert(1)</script>")
    page = client_for(Role.TRIAGE_OFFICER).get(f"/concerns/{concern.reference}/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_figures_show_source_sector_outcomes_and_time_to_triage(
    cast: Cast, client_for: Any
) -> None:
    now = timezone.now()
    for hours in (2, 4, 30):
        concern = ConcernFactory(area=cast.area, sector="transport")
        Concern.objects.filter(pk=concern.pk).update(
            created_at=now - timedelta(hours=hours + 1),
            triaged_at=now - timedelta(hours=1),
            outcome="referral",
            state="closed",
            closed_at=now,
        )
    ConcernFactory(area=cast.area)
    page = client_for(Role.TRIAGE_OFFICER).get("/concerns/figures/").content.decode()
    assert "4.0 h" in page  # median of 2, 4 and 30 hours
    assert "24.8 h" in page  # 90th percentile, interpolated as percentile_cont does
    assert "Transport" in page
