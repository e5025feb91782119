"""Journey: a triage officer refers a child to MACE; the MACE coordinator schedules a
meeting, invites police, puts the referred child on the agenda and downloads the pack;
at the meeting a decision and an action are recorded; the action appears on the child's
plan, owned by the social worker. axe-core clean at every step."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from clearsight.access.roles import Role
from clearsight.areas.models import AgencyType
from clearsight.audit.models import AuditEvent
from clearsight.cases.models import PlanAction, ReferralStatus
from tests.browser.conftest import Journey
from tests.factories import (
    AgencyFactory,
    AreaFactory,
    MembershipFactory,
    ObservationFactory,
    PersonFactory,
    TeamMemberFactory,
    TOTPDeviceFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def area_staff():  # type: ignore[no-untyped-def]
    area = AreaFactory(name="Testshire Safeguarding Partnership", code="testshire")

    def member(role: Role, agency_name: str, kind: str, name: str):  # type: ignore[no-untyped-def]
        agency = AgencyFactory(area=area, name=agency_name, agency_type=kind)
        membership = MembershipFactory(agency=agency, role=role.value, user__full_name=name)
        TOTPDeviceFactory(user=membership.user)
        return membership

    triage = member(
        Role.TRIAGE_OFFICER, "Testshire MASH", AgencyType.CHILDRENS_SOCIAL_CARE, "Tara Triage"
    )
    coordinator = member(
        Role.MACE_COORDINATOR,
        "Testshire Community Safety",
        AgencyType.LOCAL_AUTHORITY_OTHER,
        "Maya Coordinator",
    )
    police = member(Role.POLICE_OFFICER, "Testshire Police", AgencyType.POLICE, "PC Ava Reid")
    social_worker = member(
        Role.SOCIAL_WORKER,
        "Testshire Children's Services",
        AgencyType.CHILDRENS_SOCIAL_CARE,
        "Sol Worker",
    )
    child = PersonFactory(area=area, given_names="Tyler", family_name="Brookes")
    TeamMemberFactory(person=child, membership=social_worker)
    ObservationFactory(
        person=child,
        membership=police,
        indicator_code="MIS-01",
        indicator_title="Goes missing repeatedly",
        note="Found at Northgate station with two older males",
    )
    return triage, coordinator, police, social_worker, child


def sign_out(page: Page) -> None:
    page.get_by_test_id("acting-as").get_by_role("button", name="Sign out").click()


def test_refer_to_mace_agenda_pack_decision_and_action_on_the_plan(
    page: Page,
    area_staff,
    sign_in: Callable[..., None],
    journey: Callable[[str], Journey],
) -> None:  # type: ignore[no-untyped-def]
    triage, coordinator, police, social_worker, child = area_staff
    steps = journey("mace")

    # The triage officer refers the child to MACE from the child's page.
    sign_in(triage.user)
    page.goto(f"/people/{child.pk}/")
    page.get_by_role("link", name=re.compile("Make a referral")).click()
    steps.checkpoint("referral form")
    page.get_by_role("button", name="Send the referral").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the service")
    steps.checkpoint("referral form errors")
    page.get_by_label("Multi-agency child exploitation (MACE) meeting").check()
    page.get_by_label("Why are you referring?").fill(
        "Missing three times this month, found out of area with older males."
    )
    page.get_by_label(re.compile("Goes missing repeatedly")).check()
    page.get_by_role("button", name="Send the referral").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Referral made")
    expect(page.get_by_test_id("referrals")).to_contain_text("Multi-agency child exploitation")
    steps.checkpoint("referral made")
    sign_out(page)

    # The coordinator schedules a meeting, invites police and builds the agenda.
    sign_in(coordinator.user)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="MACE meetings").click()
    expect(page.get_by_test_id("mace-referrals")).to_contain_text("Tyler Brookes")
    steps.checkpoint("meetings and waiting referrals")
    page.get_by_role("link", name="Schedule a meeting").click()
    page.get_by_label("Title").fill("Testshire MACE, December")
    starts = timezone.localtime() + timedelta(days=7)
    meeting_date = page.get_by_role("group", name="Date")
    meeting_date.get_by_label("Day").fill(str(starts.day))
    meeting_date.get_by_label("Month").fill(str(starts.month))
    meeting_date.get_by_label("Year").fill(str(starts.year))
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Place (optional)").fill("Civic Centre, room 2")
    page.get_by_role("button", name="Schedule the meeting").click()
    expect(page.get_by_test_id("meeting-title")).to_have_text("Testshire MACE, December")
    page.get_by_label("Who should sit on this meeting?").select_option(str(police.pk))
    page.get_by_role("button", name="Add to the meeting").click()
    expect(page.get_by_test_id("members")).to_contain_text("PC Ava Reid")
    page.get_by_label("Child", exact=True).check()
    page.get_by_label("Child referred to MACE").select_option(str(child.referrals.get().pk))
    page.get_by_role("button", name="Add to the agenda").click()
    expect(page.get_by_test_id("agenda-item")).to_contain_text("Tyler Brookes")
    steps.checkpoint("agenda built")

    # The pack, for the meeting's members only.
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Download the pack")).click()
    download = download_info.value
    assert download.suggested_filename.startswith("mace-pack-")
    assert "Brookes" not in download.suggested_filename
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert AuditEvent.objects.filter(action="mace.pack_downloaded", person_id=child.pk).exists()

    # At the meeting: a decision and an action against the child's item.
    page.get_by_text("Record a decision").click()
    page.get_by_label("Decision").fill(
        "Refer to the National Referral Mechanism; treat as a victim."
    )
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_test_id("decisions")).to_contain_text("National Referral Mechanism")
    page.get_by_text("Agree an action").click()
    page.get_by_label("Action", exact=True).fill("Submit the NRM referral")
    page.get_by_label("Owner").select_option(str(social_worker.pk))
    due = timezone.localdate() + timedelta(days=5)
    due_date = page.get_by_role("group", name="Due date")  # the GOV.UK date input
    due_date.get_by_label("Day").fill(str(due.day))
    due_date.get_by_label("Month").fill(str(due.month))
    due_date.get_by_label("Year").fill(str(due.year))
    page.get_by_role("button", name="Add to the child's plan").click()
    expect(page.get_by_test_id("actions")).to_contain_text("Submit the NRM referral")
    steps.checkpoint("decision and action recorded")
    sign_out(page)

    # The social worker is told, and finds the action on the child's plan.
    sign_in(social_worker.user)
    page.goto("/notifications/")
    expect(page.locator("main")).to_contain_text("You own a new action on a child's plan")
    page.goto(f"/people/{child.pk}/")
    expect(page.get_by_test_id("case-plan-summary")).to_contain_text("1 open action")
    steps.checkpoint("child page with the plan summary")
    page.get_by_role("link", name=re.compile("See the plan")).click()
    expect(page.get_by_test_id("plan")).to_contain_text("Submit the NRM referral")
    expect(page.get_by_test_id("plan")).to_contain_text("Agreed at the MACE meeting")
    steps.checkpoint("child plan")
    action = PlanAction.objects.get(case__person=child)
    assert action.owner == social_worker and action.agenda_item is not None
    assert child.referrals.get().status == ReferralStatus.ACCEPTED
