"""Journey: a designated safeguarding lead searches for a child, starts adding them, is
shown the record that already exists and why it may match, then adds a different child
and opens their page, and a colleague opens a record in an emergency."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from clearsight.access.roles import Role
from clearsight.areas.models import AgencyType
from clearsight.people.models import Person
from tests.browser.conftest import Journey
from tests.factories import (
    AgencyFactory,
    AreaFactory,
    MembershipFactory,
    PersonFactory,
    TeamMemberFactory,
    TOTPDeviceFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def dsl():  # type: ignore[no-untyped-def]
    area = AreaFactory(name="Testshire Safeguarding Partnership", code="testshire")
    school = AgencyFactory(area=area, name="Testshire Academy", agency_type=AgencyType.SCHOOL)
    membership = MembershipFactory(
        user=UserFactory(email="dsl@testshire.example.org", full_name="Dana Lowe"),
        agency=school,
        role=Role.DESIGNATED_SAFEGUARDING_LEAD.value,
    )
    TOTPDeviceFactory(user=membership.user)
    existing = PersonFactory(
        area=area, given_names="Kai", family_name="Morgan", date_of_birth=date(2011, 3, 27)
    )
    TeamMemberFactory(person=existing, membership=membership)
    return membership


def fill_new_child(page: Page, given: str, family: str, day: str, month: str, year: str) -> None:
    page.locator("#id_given_names").fill(given)
    page.locator("#id_family_name").fill(family)
    page.locator("#id_date_of_birth_day").fill(day)
    page.locator("#id_date_of_birth_month").fill(month)
    page.locator("#id_date_of_birth_year").fill(year)
    page.get_by_role("button", name="Continue").click()


def test_search_add_with_a_duplicate_warning_and_open_the_child_page(
    page: Page,
    dsl,
    sign_in: Callable[..., None],
    journey: Callable[[str], Journey],  # type: ignore[no-untyped-def]
) -> None:
    steps = journey("child-record")
    sign_in(dsl.user)
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Children and people"
    ).click()
    page.locator("#id_text").fill("kai morgn")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("search-results")).to_contain_text("Kai Morgan")
    steps.checkpoint("search results")

    page.get_by_role("link", name="Add a new child or person").click()
    steps.checkpoint("add form")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the first name")
    steps.checkpoint("add form errors")

    fill_new_child(page, "Kai", "Morgan", "27", "3", "2011")
    expect(
        page.get_by_role("heading", name="This person may already be in Clearsight")
    ).to_be_visible()
    expect(page.get_by_test_id("likely-matches")).to_contain_text("Same date of birth")
    steps.checkpoint("likely matches")
    page.get_by_role("link", name=re.compile("Open this record")).click()
    expect(page.get_by_test_id("person-name")).to_have_text("Kai Morgan")
    assert Person.objects.count() == 1

    page.goto("/people/new/")
    fill_new_child(page, "Jade", "Okoro", "4", "11", "2012")
    expect(page.get_by_test_id("person-name")).to_have_text("Jade Okoro")
    expect(page.get_by_test_id("team")).to_contain_text("Dana Lowe")
    expect(page.get_by_test_id("timeline")).to_contain_text("Added to Clearsight")
    steps.checkpoint("child page")


def test_a_record_outside_the_team_opens_only_in_an_emergency_with_a_reason(
    page: Page,
    dsl,
    sign_in: Callable[..., None],
    journey: Callable[[str], Journey],  # type: ignore[no-untyped-def]
) -> None:
    steps = journey("break-glass")
    other = PersonFactory(area=dsl.agency.area, given_names="Leo", family_name="Hart")
    sign_in(dsl.user)
    page.goto(f"/people/{other.pk}/")
    expect(
        page.get_by_role("heading", name="You are not on the team around this person")
    ).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Leo Hart")
    steps.checkpoint("not on the team")
    page.locator("#id_reason").fill("Reported missing tonight; police need a description")
    page.get_by_role("button", name="Open the record in an emergency").click()
    expect(page.get_by_test_id("person-name")).to_have_text("Leo Hart")
    expect(page.get_by_test_id("access-basis")).to_contain_text("Emergency (break-glass) access")
    steps.checkpoint("opened in an emergency")
