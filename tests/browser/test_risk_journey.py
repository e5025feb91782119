"""Journey: a designated safeguarding lead (a teacher) records two signs about a child
from the child page, a police officer records a third, the background re-screen runs,
the level rises, and the "why" names all three signs with the agencies that saw them.
Then the triage officer finds the child on the rising-risk list, and a member of the
public reads the spot-the-signs pages without signing in."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from clearsight.access.roles import Role
from clearsight.areas.models import AgencyType
from clearsight.risk import library
from clearsight.risk.models import (
    Indicator,
    LibraryVersion,
    Observation,
    ProtectiveFactorKind,
    Screening,
)
from clearsight.risk.tasks import rescreen_person
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
    # Tests with real transactions empty the tables afterwards, the library included.
    library.install_national(
        1, version_model=LibraryVersion, indicator_model=Indicator, kind_model=ProtectiveFactorKind
    )
    area = AreaFactory(name="Testshire Safeguarding Partnership", code="testshire")

    def member(role: Role, agency_name: str, kind: str, name: str):  # type: ignore[no-untyped-def]
        agency = AgencyFactory(area=area, name=agency_name, agency_type=kind)
        membership = MembershipFactory(agency=agency, role=role.value, user__full_name=name)
        TOTPDeviceFactory(user=membership.user)
        return membership

    teacher = member(
        Role.DESIGNATED_SAFEGUARDING_LEAD, "Testshire Academy", AgencyType.SCHOOL, "Dana Lowe"
    )
    police = member(Role.POLICE_OFFICER, "Testshire Police", AgencyType.POLICE, "PC Ava Reid")
    triage = member(
        Role.TRIAGE_OFFICER,
        "Testshire Children's Services",
        AgencyType.CHILDRENS_SOCIAL_CARE,
        "Tom Triage",
    )
    child = PersonFactory(
        area=area, given_names="Jade", family_name="Okoro", date_of_birth=date(2011, 2, 3)
    )
    TeamMemberFactory(person=child, membership=teacher)
    return teacher, police, triage, child


def sign_out(page: Page) -> None:
    page.get_by_test_id("acting-as").get_by_role("button", name="Sign out").click()


def record_signs(page: Page, labels: list[str], confidence: str) -> None:
    page.get_by_role("button", name="Record signs you have seen").click()
    for label in labels:
        page.get_by_label(label, exact=True).check()
    page.get_by_label(confidence).check()


def open_why(page: Page) -> None:
    page.get_by_test_id("risk-why").locator("summary").click()


def test_a_teacher_and_a_police_officer_record_signs_and_the_explanation_names_them(
    page: Page,
    area_staff,
    sign_in: Callable[..., None],
    journey: Callable[[str], Journey],
) -> None:  # type: ignore[no-untyped-def]
    teacher, police, triage, child = area_staff
    steps = journey("risk")

    # The teacher opens the child page: no known risk yet.
    sign_in(teacher.user)
    page.goto(f"/people/{child.pk}/")
    expect(page.get_by_test_id("risk-level")).to_have_text("No known risk")
    open_why(page)
    expect(page.get_by_test_id("risk-why")).to_contain_text("No signs of exploitation")
    steps.checkpoint("child page no known risk")

    # A form sent with nothing ticked is refused with a clear message.
    page.get_by_role("button", name="Record signs you have seen").click()
    expect(page.get_by_role("heading", name="Record signs you have seen")).to_be_visible()
    steps.checkpoint("record form")
    page.get_by_role("button", name="Save the signs").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose at least one sign you saw")
    expect(summary).to_contain_text("Choose how sure you are")
    steps.checkpoint("record form errors")
    assert not Observation.objects.exists()

    page.get_by_label("New clothes, trainers or goods", exact=True).check()
    page.get_by_label("Several phones or SIM cards", exact=True).check()
    page.get_by_label("4 – Very likely").check()
    page.locator("#id_note").fill("New designer trainers; two phones seen in class")
    page.get_by_role("button", name="Save the signs").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "2 signs have been added to the record. The child's risk is being screened again"
    )
    expect(page.get_by_test_id("risk-rescreening")).to_be_visible()
    steps.checkpoint("two signs recorded")
    rescreen_person(person_id=child.pk)
    page.reload()
    expect(page.get_by_test_id("risk-level")).to_have_text("Low")
    sign_out(page)

    # A police officer (who sees every child of the area) records a third sign.
    sign_in(police.user)
    page.goto(f"/people/{child.pk}/")
    record_signs(page, ["Found out of area"], "5 – Certain")
    page.get_by_role("button", name="Save the signs").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("1 sign has")
    rescreen_person(person_id=child.pk)
    page.reload()

    # The level rose, and the explanation names all three signs with their sources.
    expect(page.get_by_test_id("risk-level")).to_have_text("Medium")
    open_why(page)
    why = page.get_by_test_id("risk-why")
    expect(why).to_contain_text("Why is the risk medium?")
    factors = why.get_by_test_id("risk-factor")
    expect(factors).to_have_count(3)
    expect(factors.nth(0)).to_contain_text("Found out of area: seen by Testshire Police")
    expect(why).to_contain_text("New clothes, trainers or goods: seen by Testshire Academy")
    expect(why).to_contain_text("Several phones or SIM cards: seen by Testshire Academy")
    expect(why).to_contain_text("National indicator library version 1")
    screening = Screening.objects.get(person=child, is_current=True)
    assert (screening.previous_level, screening.final_level) == ("low", "medium")
    assert {f["code"] for f in screening.factors} == {"MIS-02", "MON-02", "PHN-01"}
    expect(page.locator("#risk-chart")).to_be_visible()
    page.get_by_text("Show the figures as a table").click()
    expect(page.get_by_test_id("risk-observations-table")).to_contain_text("Testshire Police")
    page.locator("#risk").scroll_into_view_if_needed()
    steps.checkpoint("level rose with explanation")

    # The police officer judges the risk higher than the screening: it applies at once.
    page.get_by_text("Change the risk level by professional judgement").click()
    page.get_by_label("High", exact=True).check()
    page.locator("#override-reason").fill("Stopped with older males at a known cuckooed flat")
    page.get_by_role("button", name="Set the risk level").click()
    expect(page.get_by_test_id("risk-level")).to_have_text("High")
    expect(page.get_by_test_id("risk-computed-level")).to_contain_text("medium")
    steps.checkpoint("override up")
    sign_out(page)

    # The triage officer sees the child on the rising-risk list.
    sign_in(triage.user)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Rising risk").click()
    expect(page.get_by_test_id("rising-risk")).to_contain_text("Jade Okoro")
    steps.checkpoint("rising risk list")
    page.get_by_role("link", name="Jade Okoro").click()
    expect(page.get_by_test_id("person-name")).to_have_text("Jade Okoro")
    sign_out(page)

    # Anyone can read the signs without signing in.
    page.goto("/signs/")
    expect(page.get_by_test_id("call-999")).to_contain_text("call 999")
    steps.checkpoint("public signs")
    page.get_by_role("link", name="Money and possessions").click()
    expect(page.get_by_role("heading", name="New clothes, trainers or goods")).to_be_visible()
    steps.checkpoint("public signs category")
    assert re.search(r"/signs/money-and-possessions/$", page.url)


def test_a_lower_level_waits_for_a_manager_and_an_area_publishes_its_own_library(
    page: Page,
    area_staff,
    sign_in: Callable[..., None],
    journey: Callable[[str], Journey],
) -> None:  # type: ignore[no-untyped-def]
    teacher, police, _triage, child = area_staff
    manager = MembershipFactory(
        agency=teacher.agency, role=Role.MACE_COORDINATOR.value, user__full_name="Mo Manager"
    )
    TOTPDeviceFactory(user=manager.user)
    teacher.line_manager = manager
    teacher.save()
    for code in ("MIS-01", "MIS-02"):
        ObservationFactory(person=child, membership=police, indicator_code=code)
    rescreen_person(person_id=child.pk)
    steps = journey("risk-approval")

    # The teacher judges the risk lower than the screening: it waits for a manager.
    sign_in(teacher.user)
    page.goto(f"/people/{child.pk}/")
    expect(page.get_by_test_id("risk-level")).to_have_text("Medium")
    page.get_by_text("Change the risk level by professional judgement").click()
    page.get_by_role("button", name="Set the risk level").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why you judge")
    steps.checkpoint("override errors")
    page.get_by_label("Low", exact=True).check()
    page.locator("#id_reason").fill("Moved to live with her aunt; attending every day")
    page.get_by_role("button", name="Set the risk level").click()
    expect(page.get_by_test_id("risk-override-pending")).to_be_visible()
    expect(page.get_by_test_id("risk-level")).to_have_text("Medium")
    steps.checkpoint("override waiting for approval")
    sign_out(page)

    # The manager approves it from the list of requests.
    sign_in(manager.user)
    page.goto("/risk/approvals/")
    expect(page.get_by_test_id("approvals")).to_contain_text("Jade Okoro")
    steps.checkpoint("approvals list")
    page.get_by_role("link", name=re.compile("Decide")).click()
    page.get_by_label("Yes, approve it").check()
    steps.checkpoint("approval decision")
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_test_id("approvals-empty")).to_be_visible()
    page.goto(f"/people/{child.pk}/")
    expect(page.get_by_test_id("risk-level")).to_have_text("Low")

    # The manager copies the library, changes a weight and publishes it.
    page.goto("/risk/library/")
    steps.checkpoint("library versions")
    page.get_by_role("button", name="Create a draft from the current version").click()
    expect(page.get_by_role("heading", name=re.compile("version 2"))).to_be_visible()
    steps.checkpoint("library draft")
    page.get_by_role("link", name="Change Unexplained money").click()
    page.locator("#id_weight").fill("12")
    page.get_by_role("button", name="Save the sign").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a weight from 1")
    steps.checkpoint("library sign errors")
    page.locator("#id_weight").fill("8")
    page.get_by_role("button", name="Save the sign").click()
    page.get_by_role("button", name="Publish version 2").click()
    expect(page.get_by_test_id("library-read-only")).to_be_visible()
    steps.checkpoint("library published")
