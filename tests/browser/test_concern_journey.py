"""Journey: a member of the public reports a concern on a phone (with JavaScript off and
on), then the area's triage officer links it to a child and records what was seen as
observations on the child's record. Every public page is checked with axe-core."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from clearsight.access.roles import Role
from clearsight.areas.models import AgencyType
from clearsight.concerns.models import Concern, DecisionKind
from clearsight.risk import library
from clearsight.risk.models import (
    Indicator,
    LibraryVersion,
    Observation,
    ObservationSource,
    ProtectiveFactorKind,
)
from tests.browser.conftest import SCREENSHOT_DIR, Journey, PageProblems
from tests.factories import (
    AgencyFactory,
    AreaFactory,
    MembershipFactory,
    PersonFactory,
    TOTPDeviceFactory,
)

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def triage_area(db: None):  # type: ignore[no-untyped-def]
    # The browser tests empty every table between tests, the library included.
    library.install_national(
        1, version_model=LibraryVersion, indicator_model=Indicator, kind_model=ProtectiveFactorKind
    )
    area = AreaFactory(name="Testshire Safeguarding Partnership", code="testshire")
    agency = AgencyFactory(
        area=area, name="Testshire Front Door", agency_type=AgencyType.CHILDRENS_SOCIAL_CARE
    )
    officer = MembershipFactory(
        agency=agency, role=Role.TRIAGE_OFFICER.value, user__full_name="Marcus Triage"
    )
    TOTPDeviceFactory(user=officer.user)
    child = PersonFactory(area=area, given_names="Tyler", family_name="Brookes")
    return officer, child


@pytest.fixture
def phone_page(
    browser: Browser, live_server: Any, page_problems: PageProblems, request: pytest.FixtureRequest
) -> Iterator[Page]:
    """A phone-sized page; JavaScript on or off as the test's parameter says."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        java_script_enabled=request.param,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("pageerror", lambda error: page_problems.page_errors.append(f"JS error: {error}"))
    yield page
    context.close()


class NoScriptJourney(Journey):
    """With JavaScript off, axe-core cannot run in the page: screenshots only. The same
    pages are checked with axe-core in the JavaScript-on run."""

    def checkpoint(self, step: str) -> None:
        self.step += 1
        self.page.wait_for_load_state("load")
        slug = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
        self.page.screenshot(
            path=str(SCREENSHOT_DIR / f"{self.name}-{self.step:02d}-{slug}.png"), full_page=True
        )
        problems = self.problems.all()
        self.problems.clear()
        assert not problems, "\n".join(problems)


def drop_a_pin(page: Page, steps: Journey) -> None:
    """JavaScript on: tap the map, take the pin away, tap again; the boxes stay."""
    expect(page.get_by_test_id("report-map-note")).to_be_visible()
    map_region = page.get_by_role("region", name=re.compile("show us on a map"))
    box = map_region.bounding_box()
    assert box is not None
    # Near the middle: the map opens on the UK, and a tap outside it is refused.
    middle = {"x": box["width"] / 2, "y": box["height"] / 2}
    map_region.click(position={"x": middle["x"] - 20, "y": middle["y"] - 10})
    expect(page.get_by_test_id("report-map-status")).to_contain_text("Pin dropped at")
    page.get_by_role("button", name="Remove the pin").click()
    expect(page.get_by_test_id("report-map-status")).to_contain_text("Pin removed")
    expect(page.locator("input[name=latitude]")).to_have_value("")
    map_region.click(position={"x": middle["x"] + 10, "y": middle["y"] + 20})
    expect(page.get_by_test_id("report-map-status")).to_contain_text("Pin dropped at")
    expect(page.locator(".app-report-map__pin")).to_have_count(1)
    steps.checkpoint("where with a pin")


def report_a_concern(page: Page, steps: Journey, *, with_pin: bool = False) -> str:
    yesterday = timezone.localdate() - timedelta(days=1)
    page.goto("/look-closer/")
    steps.checkpoint("look closer")
    page.get_by_role("link", name=re.compile("Transport")).first.click()
    expect(page.get_by_test_id("sector-signs")).to_be_visible()
    steps.checkpoint("transport guidance")
    page.get_by_role("button", name="Report a worry about a child").first.click()
    expect(page.get_by_test_id("call-999")).to_contain_text("call 999")
    steps.checkpoint("start")
    page.get_by_role("button", name="Start now").click()

    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Tell us what you saw")
    steps.checkpoint("what you saw error")
    page.get_by_label("What did you see or hear?").fill(
        "A boy of about 14 was handed a parcel by two older men and got on the 21:40 train. "
        "He kept checking his phone and looked scared. <script>alert('x')</script>"
    )
    page.get_by_role("button", name="Continue").click()
    steps.checkpoint("signs")
    page.get_by_label("Carrying money or parcels for someone else").check()
    page.get_by_label("With older people who seem to be in charge of them").check()
    page.get_by_role("button", name="Continue").click()
    steps.checkpoint("where")
    page.get_by_label("Place").fill("Platform 2, Northgate station")
    page.get_by_label("Postcode (if you know it)").fill("NG1 1AA")
    if with_pin:
        drop_a_pin(page, steps)
    else:
        expect(page.get_by_test_id("report-map-section")).to_be_hidden()
    page.get_by_role("button", name="Continue").click()
    steps.checkpoint("when")
    page.get_by_label("Day").fill(str(yesterday.day))
    page.get_by_label("Month").fill(str(yesterday.month))
    page.get_by_label("Year").fill(str(yesterday.year))
    page.get_by_label("Time (if you know it)").fill("9.30pm")
    page.get_by_role("button", name="Continue").click()
    steps.checkpoint("who")
    page.get_by_label("What did the young person or people look like?").fill(
        "Grey tracksuit, black rucksack, short dark hair"
    )
    page.get_by_role("button", name="Continue").click()
    steps.checkpoint("danger")
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    steps.checkpoint("work")
    page.get_by_label(re.compile("Yes: transport")).check()
    page.get_by_role("button", name="Continue").click()
    steps.checkpoint("contact")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_test_id("answers")).to_contain_text("Platform 2, Northgate station")
    expect(page.get_by_test_id("answers")).to_contain_text("<script>alert('x')</script>")
    if with_pin:
        expect(page.get_by_test_id("map-point")).to_contain_text(
            re.compile(r"A point on the map\s*5\d\.\d\d, -?\d\.\d\d")
        )
    else:
        expect(page.get_by_test_id("map-point")).to_have_count(0)
    steps.checkpoint("check answers")
    page.get_by_role("button", name="Send report").dblclick()
    expect(page.get_by_role("heading", name="Report sent")).to_be_visible()
    steps.checkpoint("sent")
    return page.get_by_test_id("reference").inner_text().strip()


@pytest.mark.parametrize("phone_page", [False, True], indirect=True, ids=["no-js", "js"])
def test_the_public_report_a_concern_on_a_phone(
    phone_page: Page,
    triage_area: Any,
    page_problems: PageProblems,
    request: pytest.FixtureRequest,
) -> None:
    mode = request.node.callspec.id
    kind = NoScriptJourney if mode == "no-js" else Journey
    steps = kind(name=f"concern-public-{mode}", page=phone_page, problems=page_problems)
    with_pin = mode == "js"
    reference = report_a_concern(phone_page, steps, with_pin=with_pin)
    concern = Concern.objects.get(reference=reference)
    assert concern.sector == "transport" and concern.postcode == "NG1 1AA"
    assert (concern.latitude is not None) is with_pin
    assert set(concern.sign_codes) == {"REL-01", "MON-04"}
    # The send button was double-clicked: still one concern.
    assert Concern.objects.count() == 1
    # The other sector pages, for axe-core and a look on a phone.
    for slug in ["retail", "hotels", "banking", "taxi-and-delivery"]:
        phone_page.goto(f"/look-closer/{slug}/")
        expect(phone_page.get_by_test_id("sector-signs")).to_be_visible()
        steps.checkpoint(f"sector {slug}")


def test_the_triage_officer_links_a_concern_and_records_observations(
    page: Page,
    triage_area: Any,
    sign_in: Callable[..., None],
    journey: Callable[[str], Journey],
    page_problems: PageProblems,
) -> None:
    officer, child = triage_area
    public_steps = Journey(name="concern-triage-public", page=page, problems=page_problems)
    reference = report_a_concern(page, public_steps, with_pin=True)
    steps = journey("concern-triage")

    sign_in(officer.user)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Triage queue").click()
    expect(page.get_by_test_id("triage-queue")).to_contain_text(reference)
    steps.checkpoint("triage queue")
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_test_id("what-seen")).to_contain_text("<script>alert('x')</script>")
    expect(page.get_by_test_id("concern-map-point")).to_contain_text("Point on the map")
    steps.checkpoint("concern")
    page.get_by_role("button", name="Assign to me").click()
    expect(page.get_by_test_id("concern-assignee")).to_contain_text("Marcus Triage")

    page.get_by_label("First name").fill("Tyler")
    page.get_by_label("Last name").fill("Brooks")
    page.get_by_role("button", name="Find likely matches").click()
    expect(page.get_by_test_id("matches")).to_contain_text("Similar name")
    steps.checkpoint("likely matches")
    page.get_by_label(re.compile("Tyler Brookes")).check()
    page.get_by_label("Why do you think it is them?").fill("Same name; known to travel by train")
    page.get_by_role("button", name="Link to this child").click()
    expect(page.get_by_test_id("concern-person")).to_contain_text("Tyler Brookes")
    steps.checkpoint("linked")

    page.get_by_role("button", name="Record signs").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("recorded")
    page.get_by_label("Observation recorded").check()
    page.get_by_label("Why?").fill("Signs recorded on Tyler's record; team told")
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.get_by_test_id("concern-outcome")).to_contain_text("Observation recorded")
    expect(page.get_by_test_id("decisions")).to_contain_text("Linked to Tyler Brookes")
    steps.checkpoint("outcome")

    observations = Observation.objects.filter(person=child)
    assert {o.source for o in observations} == {ObservationSource.CONCERN}
    assert {o.source_ref for o in observations} == {reference}
    assert {o.indicator_code for o in observations} == {"REL-01", "MON-04"}
    kinds = set(Concern.objects.get(reference=reference).decisions.values_list("kind", flat=True))
    assert kinds == {
        DecisionKind.ASSIGNED,
        DecisionKind.LINKED,
        DecisionKind.OBSERVATIONS_RECORDED,
        DecisionKind.OUTCOME,
    }
