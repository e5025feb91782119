"""Journey: police report a child missing, the area's missing children coordinator sees
them on the live board, records the return and offers the Return Home Interview, and the
RHI worker completes it with two disclosures, which appear as observations on the
child's timeline."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from clearsight.access.roles import Role
from clearsight.areas.models import AgencyType
from clearsight.risk.models import Observation, ObservationSource
from tests.browser.conftest import Journey
from tests.factories import (
    AgencyFactory,
    AreaFactory,
    MembershipFactory,
    PersonFactory,
    TeamMemberFactory,
    TOTPDeviceFactory,
)

pytestmark = pytest.mark.browser
UK = ZoneInfo("Europe/London")


@pytest.fixture
def area_staff():  # type: ignore[no-untyped-def]
    area = AreaFactory(name="Testshire Safeguarding Partnership", code="testshire")

    def member(role: Role, agency_name: str, kind: str, name: str):  # type: ignore[no-untyped-def]
        agency = AgencyFactory(area=area, name=agency_name, agency_type=kind)
        membership = MembershipFactory(agency=agency, role=role.value, user__full_name=name)
        TOTPDeviceFactory(user=membership.user)
        return membership

    police = member(Role.POLICE_OFFICER, "Testshire Police", AgencyType.POLICE, "PC Ava Reid")
    coordinator = member(
        Role.MISSING_COORDINATOR,
        "Testshire Children's Services",
        AgencyType.CHILDRENS_SOCIAL_CARE,
        "Nadia Coordinator",
    )
    worker = member(
        Role.RHI_WORKER, "Testshire Safe Steps", AgencyType.VOLUNTARY_SECTOR, "Sam Interviewer"
    )
    child = PersonFactory(area=area, given_names="Tyler", family_name="Brookes")
    TeamMemberFactory(person=child, membership=police)
    return police, coordinator, worker, child


def fill_moment(page: Page, prefix: str, moment: datetime) -> None:
    local = moment.astimezone(UK)
    page.locator(f"#id_{prefix}_day").fill(str(local.day))
    page.locator(f"#id_{prefix}_month").fill(str(local.month))
    page.locator(f"#id_{prefix}_year").fill(str(local.year))
    page.locator("#id_time").fill(f"{local:%H:%M}")


def sign_out(page: Page) -> None:
    page.get_by_test_id("acting-as").get_by_role("button", name="Sign out").click()


def test_report_board_return_and_interview_with_disclosures(
    page: Page,
    area_staff,
    sign_in: Callable[..., None],
    journey: Callable[[str], Journey],
) -> None:  # type: ignore[no-untyped-def]
    police, coordinator, worker, child = area_staff
    steps = journey("missing")
    now = datetime.now(tz=UK)

    # Police report the child missing from the child's page.
    sign_in(police.user)
    page.goto(f"/people/{child.pk}/")
    page.get_by_role("link", name=re.compile("Report missing")).click()
    steps.checkpoint("report form")
    page.get_by_role("button", name="Report missing").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    steps.checkpoint("report form errors")
    fill_moment(page, "last_seen", now - timedelta(hours=6))
    page.locator("#id_last_seen_place").fill("Northgate bus station")
    page.locator("#id_clothing").fill("Black puffer jacket, grey joggers")
    page.locator("#id_risk_grading").select_option("medium")
    page.get_by_role("button", name="Report missing").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("reported missing")
    steps.checkpoint("episode reported")
    sign_out(page)

    # The coordinator sees the child on the live board and records the return.
    sign_in(coordinator.user)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Missing now").click()
    expect(page.get_by_test_id("missing-board")).to_contain_text("Tyler Brookes")
    steps.checkpoint("missing board")
    page.get_by_test_id("missing-board").get_by_role("link", name=re.compile("Tyler")).click()
    fill_moment(page, "returned", now - timedelta(hours=1))
    page.locator("#id_found_place").fill("A flat on Tower Court")
    page.locator("#id_found_with").fill("Two older boys")
    page.get_by_role("button", name="Record return").click()
    expect(page.get_by_test_id("rhi-status")).to_contain_text("To offer")
    steps.checkpoint("return recorded")
    page.locator("#rhi-worker").select_option(str(worker.pk))
    page.get_by_role("button", name="Offer the interview").click()
    expect(page.get_by_test_id("rhi-status")).to_contain_text("Offered")
    steps.checkpoint("interview offered")
    sign_out(page)

    # The RHI worker: the child accepts, and the interview is recorded with two disclosures.
    sign_in(worker.user)
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Return interviews"
    ).click()
    expect(page.get_by_test_id("interviews")).to_contain_text("Tyler Brookes")
    steps.checkpoint("interviews list")
    page.get_by_test_id("interviews").get_by_role("link", name=re.compile("Tyler")).click()
    page.get_by_role("button", name="The child accepted").click()
    page.get_by_test_id("record-interview").click()
    steps.checkpoint("interview form")
    page.get_by_role("button", name="Save and complete the interview").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date of the interview")
    steps.checkpoint("interview form errors")
    today = now.date()
    page.locator("#id_held_day").fill(str(today.day))
    page.locator("#id_held_month").fill(str(today.month))
    page.locator("#id_held_year").fill(str(today.year))
    page.locator("#id_where_child_was").fill("A flat in another town")
    page.locator("#id_what_happened").fill("Was given a phone and asked to carry a bag")
    page.locator("#id_childs_words").fill("I owe them money so I have to go back")
    page.get_by_label("Unexplained money").check()
    page.locator("#disclosure-PHN-01").check()
    page.get_by_role("button", name="Save and complete the interview").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("2 disclosures")
    expect(page.get_by_test_id("interview-record")).to_contain_text("Unexplained money")
    steps.checkpoint("interview completed")

    # The disclosures are observations on the child's timeline, from the interview.
    page.get_by_role("link", name="Tyler Brookes").first.click()
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("Signs seen:")
    expect(timeline).to_contain_text("Unexplained money")
    expect(timeline).to_contain_text("Return home interview")
    steps.checkpoint("child timeline")
    observations = Observation.objects.filter(person=child)
    assert observations.count() == 2
    assert {o.source for o in observations} == {ObservationSource.RETURN_HOME_INTERVIEW}
