"""Professional judgement: overriding a level up or down with a reason, and a manager's
approval of a downward override (risk/override_services.py and its pages)."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.policy import AREA_WIDE_ROLES
from clearsight.access.roles import Role
from clearsight.areas.models import Membership
from clearsight.audit.models import AuditEvent
from clearsight.core.errors import InvalidInput, NotFoundError, PermissionDeniedError
from clearsight.notifications.models import Notification
from clearsight.people.models import Person
from clearsight.risk import override_services
from clearsight.risk.models import LibraryVersion, OverrideApproval, Screening
from clearsight.risk.services import screen_person
from tests.conftest import Cast
from tests.factories import ObservationFactory, PersonFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db

OVERRIDERS = {
    Role.DESIGNATED_SAFEGUARDING_LEAD,
    Role.SOCIAL_WORKER,
    Role.MACE_COORDINATOR,
    Role.POLICE_OFFICER,
}


def actor(cast: Cast, role: Role) -> Actor:
    membership = cast.members[role]
    return Actor(user=membership.user, membership=membership)


@pytest.fixture
def child(cast: Cast, national_library: LibraryVersion) -> Person:
    """A 15-year-old screened medium (two strong signs), on the DSL's and social
    worker's teams."""
    person = PersonFactory(area=cast.area, date_of_birth=date(2011, 1, 1))
    for role in (Role.DESIGNATED_SAFEGUARDING_LEAD, Role.SOCIAL_WORKER):
        TeamMemberFactory(person=person, membership=cast.members[role])
    for code in ("MIS-01", "MIS-02"):
        ObservationFactory(person=person, indicator_code=code, seen_on=timezone.localdate())
    assert screen_person(person.pk).final_level == "medium"
    return person


def manage(cast: Cast, manager: Role, report: Role) -> Membership:
    membership = cast.members[report]
    membership.line_manager = cast.members[manager]
    membership.save()
    return cast.members[manager]


def current(person: Person) -> Screening:
    return Screening.objects.get(person=person, is_current=True)


@pytest.mark.parametrize("role", list(Role))
def test_override_access_by_role(role: Role, cast: Cast, child: Person, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(role)
    page = client.get(f"/people/{child.pk}/risk-level/")
    posted = client.post(
        f"/people/{child.pk}/risk-level/", {"level": "high", "reason": "Found with a knife"}
    )
    sees = role in AREA_WIDE_ROLES or role in {
        Role.DESIGNATED_SAFEGUARDING_LEAD,
        Role.SOCIAL_WORKER,
    }
    if role not in OVERRIDERS:
        assert (page.status_code, posted.status_code) == (403, 403)
    elif not sees:
        assert (page.status_code, posted.status_code) == (404, 404)
    else:
        assert (page.status_code, posted.status_code) == (200, 302)
    assert (current(child).final_level == "high") == (role in OVERRIDERS and sees)


def test_an_upward_override_applies_at_once_and_keeps_both_levels(
    cast: Cast, child: Person, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.POLICE_OFFICER)
    response = client.post(
        f"/people/{child.pk}/risk-level/",
        {"level": "high", "reason": "Arrested last night in another county with others"},
    )
    assert response["Location"] == f"/people/{child.pk}/#risk"
    screening = current(child)
    assert (screening.computed_level, screening.final_level) == ("medium", "high")
    assert screening.approval_status == OverrideApproval.NOT_NEEDED
    assert Screening.objects.filter(person=child).count() == 2
    before = Screening.objects.get(person=child, is_current=False)
    assert screening.factors == before.factors
    page = client.get(f"/people/{child.pk}/").content.decode()
    assert 'data-testid="risk-level">High<' in page
    assert "The screening gave <strong>medium</strong>" in page
    assert "Arrested last night in another county with others" in page
    assert "The risk level is now high" in page
    event = AuditEvent.objects.get(action="screening.overridden")
    assert event.details["needs_approval"] is False and event.person_id == child.pk


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"level": "high", "reason": "  "}, "Enter why you judge the risk to be at this level"),
        ({"level": "high"}, "Enter why you judge the risk to be at this level"),
        ({"level": "", "reason": "Because"}, "Choose the risk level you judge to be right"),
        ({"level": "extreme", "reason": "Because"}, "Choose the risk level you judge to be right"),
        ({"level": "medium", "reason": "Because"}, "The risk is already medium"),
        ({"level": "low", "reason": "x" * 501}, "Keep the reason to 500 characters or fewer"),
    ],
)
def test_an_override_without_a_reason_or_level_is_refused_and_nothing_changes(
    data: dict[str, str], message: str, cast: Cast, child: Person, client_for
) -> None:  # type: ignore[no-untyped-def]
    response = client_for(Role.SOCIAL_WORKER).post(f"/people/{child.pk}/risk-level/", data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text and message in text
    assert Screening.objects.filter(person=child).count() == 1
    assert not AuditEvent.objects.filter(action="screening.overridden").exists()


def test_a_downward_override_waits_for_the_line_managers_approval(
    cast: Cast, child: Person, client_for
) -> None:  # type: ignore[no-untyped-def]
    manager = manage(cast, Role.MACE_COORDINATOR, Role.SOCIAL_WORKER)
    worker = client_for(Role.SOCIAL_WORKER)
    response = worker.post(
        f"/people/{child.pk}/risk-level/",
        {"level": "low", "reason": "Back at home, engaging well with the youth worker"},
    )
    page = worker.get(response["Location"]).content.decode()
    assert "sent to a manager to approve. Until they do, the level stays at medium" in page
    assert "Waiting for approval" in page
    screening = current(child)
    assert (screening.final_level, screening.override_level) == ("medium", "low")
    assert screening.approval_status == OverrideApproval.PENDING
    note = Notification.objects.get(kind="risk_override_approval")
    assert note.recipient == manager.user and note.url == "/risk/approvals/"
    assert child.family_name not in note.title

    assert "Decide whether to approve it" not in page
    boss = client_for(Role.MACE_COORDINATOR)
    child_page = boss.get(f"/people/{child.pk}/").content.decode()
    assert f'href="/risk/approvals/{screening.pk}/">Decide whether to approve it' in child_page
    listing = boss.get("/risk/approvals/").content.decode()
    assert child.display_name in listing
    assert boss.get(f"/risk/approvals/{screening.pk}/").status_code == 200
    decided = boss.post(f"/risk/approvals/{screening.pk}/", {"decision": "approve"})
    assert decided["Location"] == "/risk/approvals/"
    screening.refresh_from_db()
    assert (screening.computed_level, screening.final_level) == ("medium", "low")
    assert screening.approval_status == OverrideApproval.APPROVED
    assert screening.approved_by == manager.user
    assert Notification.objects.filter(
        kind="risk_override_decided", recipient=cast.user(Role.SOCIAL_WORKER)
    ).exists()
    assert (
        "Approved by Test MACE coordinator" in worker.get(f"/people/{child.pk}/").content.decode()
    )


def test_a_rejection_needs_a_note_and_keeps_the_level(
    cast: Cast, child: Person, client_for
) -> None:  # type: ignore[no-untyped-def]
    manage(cast, Role.MACE_COORDINATOR, Role.SOCIAL_WORKER)
    client_for(Role.SOCIAL_WORKER).post(
        f"/people/{child.pk}/risk-level/", {"level": "none", "reason": "Moved away"}
    )
    screening = current(child)
    boss = client_for(Role.MACE_COORDINATOR)
    refused = boss.post(f"/risk/approvals/{screening.pk}/", {"decision": "reject"})
    assert refused.status_code == 400
    assert "Enter why you are not approving the lower level" in refused.content.decode()
    assert boss.post(f"/risk/approvals/{screening.pk}/", {}).status_code == 400
    boss.post(
        f"/risk/approvals/{screening.pk}/",
        {"decision": "reject", "note": "Still going missing at weekends"},
    )
    screening.refresh_from_db()
    assert (screening.final_level, screening.approval_status) == ("medium", "rejected")
    assert AuditEvent.objects.get(action="screening.override_rejected").reason == (
        "Still going missing at weekends"
    )


def test_approval_by_a_non_manager_or_by_the_overrider_is_refused(
    cast: Cast, child: Person, client_for
) -> None:  # type: ignore[no-untyped-def]
    manage(cast, Role.MACE_COORDINATOR, Role.SOCIAL_WORKER)
    override_services.override_level(
        actor=actor(cast, Role.SOCIAL_WORKER), person_id=child.pk, level="low", reason="Settled"
    )
    screening = current(child)
    for role in (Role.DESIGNATED_SAFEGUARDING_LEAD, Role.POLICE_OFFICER, Role.SOCIAL_WORKER):
        client = client_for(role)
        assert client.get("/risk/approvals/").status_code == 403
        assert (
            client.post(f"/risk/approvals/{screening.pk}/", {"decision": "approve"}).status_code
            == 403
        )
        with pytest.raises(PermissionDeniedError):
            override_services.decide_override(
                actor=actor(cast, role), screening_id=screening.pk, approve=True
            )
    # A manager who made the override themselves cannot approve it either.
    manage(cast, Role.SOCIAL_WORKER, Role.PRACTITIONER)
    with pytest.raises(NotFoundError):
        override_services.decide_override(
            actor=actor(cast, Role.SOCIAL_WORKER), screening_id=screening.pk, approve=True
        )
    screening.refresh_from_db()
    assert (screening.final_level, screening.approval_status) == ("medium", "pending")


def test_any_manager_of_the_area_may_approve_when_the_overrider_has_no_line_manager(
    cast: Cast, child: Person
) -> None:
    manage(cast, Role.DESIGNATED_SAFEGUARDING_LEAD, Role.PRACTITIONER)
    override_services.override_level(
        actor=actor(cast, Role.SOCIAL_WORKER), person_id=child.pk, level="low", reason="Settled"
    )
    note = Notification.objects.get(kind="risk_override_approval")
    assert note.recipient == cast.user(Role.DESIGNATED_SAFEGUARDING_LEAD)
    screening = override_services.decide_override(
        actor=actor(cast, Role.DESIGNATED_SAFEGUARDING_LEAD),
        screening_id=current(child).pk,
        approve=True,
    )
    assert screening.final_level == "low"


def test_an_override_of_a_child_never_screened_screens_them_first(
    cast: Cast, national_library: LibraryVersion
) -> None:
    person = PersonFactory(area=cast.area, date_of_birth=date(2011, 1, 1))
    screening = override_services.override_level(
        actor=actor(cast, Role.POLICE_OFFICER),
        person_id=person.pk,
        level="medium",
        reason="Intelligence that the child is running drugs",
    )
    assert (screening.computed_level, screening.final_level) == ("none", "medium")
    assert screening.level_rose_at is not None


def test_bad_override_input_saves_nothing(cast: Cast, child: Person) -> None:
    with pytest.raises(InvalidInput) as error:
        override_services.override_level(
            actor=actor(cast, Role.SOCIAL_WORKER), person_id=child.pk, level="x", reason=""
        )
    assert set(error.value.errors) == {"level", "reason"}
    assert Screening.objects.filter(person=child).count() == 1
