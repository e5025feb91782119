"""Journey: a member of staff with two roles signs in, chooses a role, changes it and
signs out; plus a wrong authenticator code, and navigation that follows the role."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Locator, Page, expect

from clearsight.access.roles import Role
from clearsight.accounts.models import User
from clearsight.areas.models import AgencyType
from tests.browser.conftest import Journey, current_code, enter_code, enter_password
from tests.conftest import totp_code
from tests.factories import (
    AgencyFactory,
    AreaFactory,
    MembershipFactory,
    TOTPDeviceFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

PASSWORD = "plum orchard lantern seventeen"
AREA_NAME = "Testshire Safeguarding Partnership"
SOCIAL_CARE = "Testshire Children's Social Care"
FRONT_DOOR = "Testshire Multi-Agency Safeguarding Hub"


@dataclass
class Staff:
    user: User
    device: TOTPDevice


def make_staff(*roles: tuple[Role, str], name: str, email: str) -> Staff:
    """A user with a confirmed authenticator app and one membership per (role, agency)."""
    area = AreaFactory(name=AREA_NAME, code="testshire")
    user = UserFactory(email=email, full_name=name, password=PASSWORD)
    for role, agency_name in roles:
        agency = AgencyFactory(
            area=area, name=agency_name, agency_type=AgencyType.CHILDRENS_SOCIAL_CARE
        )
        MembershipFactory(user=user, agency=agency, role=role.value)
    return Staff(user=user, device=TOTPDeviceFactory(user=user))


@pytest.fixture
def two_role_staff() -> Staff:
    # Listed on the role chooser by agency name: social worker first, triage officer second.
    return make_staff(
        (Role.SOCIAL_WORKER, SOCIAL_CARE),
        (Role.TRIAGE_OFFICER, FRONT_DOOR),
        name="Robin Ashworth",
        email="robin.ashworth@testshire.example.org",
    )


def acting_as(page: Page) -> Locator:
    return page.get_by_test_id("acting-as")


def service_navigation_links(page: Page) -> list[str]:
    menu = page.get_by_role("navigation", name="Menu")
    return [" ".join(text.split()) for text in menu.get_by_role("link").all_inner_texts()]


def test_sign_in_choose_a_role_change_it_and_sign_out(
    page: Page, journey: Callable[[str], Journey], two_role_staff: Staff
) -> None:
    steps = journey("sign-in")
    user = two_role_staff.user

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Clearsight")
    expect(acting_as(page)).to_have_count(0)
    steps.checkpoint("start page")

    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/sign-in/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Clearsight")
    steps.checkpoint("sign-in page")

    page.locator("#id_email").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/sign-in/code/\?next=%2Fhome%2F$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    steps.checkpoint("code page")

    page.locator("#id_code").fill(current_code(user))
    page.get_by_role("button", name="Continue").click()

    # Two roles and none chosen yet: the role chooser, then back to where the user was going.
    expect(page).to_have_url(re.compile(r"/role/\?next=%2Fhome%2F$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose the role you are acting in")
    radios = page.get_by_role("radio")
    expect(radios).to_have_count(2)
    expect(page.locator(".govuk-radios__label")).to_have_text(
        [
            f"Social worker, {SOCIAL_CARE} ({AREA_NAME})",
            f"Triage officer, {FRONT_DOOR} ({AREA_NAME})",
        ]
    )
    expect(radios.nth(0)).not_to_be_checked()
    expect(radios.nth(1)).not_to_be_checked()
    steps.checkpoint("role chooser")

    radios.nth(1).check()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/home/$"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"You are now acting as Triage officer, {FRONT_DOOR}."
    )
    expect(acting_as(page)).to_contain_text("Signed in as Robin Ashworth")
    expect(acting_as(page)).to_contain_text(f"Acting as Triage officer, {FRONT_DOOR}")
    expect(page.locator(".app-acting-as__role")).to_have_text("Triage officer")
    steps.checkpoint("home as triage officer")

    # Change role from the header bar: the current role is preselected.
    acting_as(page).get_by_role("link", name="Change role").click()
    expect(page).to_have_url(re.compile(r"/role/$"))
    expect(page.get_by_role("radio", name=re.compile(r"^Triage officer"))).to_be_checked()
    steps.checkpoint("change role")

    page.get_by_role("radio", name=re.compile(r"^Social worker")).check()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/home/$"))
    expect(page.locator(".app-acting-as__role")).to_have_text("Social worker")
    expect(acting_as(page)).to_contain_text(f"Acting as Social worker, {SOCIAL_CARE}")
    expect(acting_as(page)).not_to_contain_text("Triage officer")
    expect(page.get_by_role("main")).to_contain_text(
        f"You are acting as Social worker in {SOCIAL_CARE}, {AREA_NAME}."
    )
    steps.checkpoint("home as social worker")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Your account").click()
    expect(page).to_have_url(re.compile(r"/account/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    roles = page.locator(".govuk-summary-list__row", has_text="Roles")
    expect(roles).to_contain_text(f"Social worker, {SOCIAL_CARE}")
    expect(roles).to_contain_text(f"Triage officer, {FRONT_DOOR}")
    steps.checkpoint("account page")

    acting_as(page).get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"^http://[^/]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Clearsight")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have signed out.")
    expect(acting_as(page)).to_have_count(0)
    expect(page.get_by_role("navigation", name="Menu")).to_have_count(0)
    steps.checkpoint("signed out")

    page.goto("/home/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=(/|%2F)home(/|%2F)$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Clearsight")


def wrong_code_for(staff: Staff) -> str:
    """A code the server will not accept now, whatever the clock drift allowed."""
    device = TOTPDevice.objects.get(pk=staff.device.pk)
    accepted = {totp_code(device, offset_steps=step) for step in range(-2, 3)}
    return next(code for code in ("000000", "111111", "222222") if code not in accepted)


WRONG_CODE_MESSAGE = "The code is not correct. Enter the code your authenticator app shows now."


def test_a_wrong_code_is_explained_and_the_right_one_still_works(
    page: Page, journey: Callable[[str], Journey], two_role_staff: Staff
) -> None:
    steps = journey("wrong-code")
    user = two_role_staff.user

    enter_password(page, user, PASSWORD)
    enter_code(page, wrong_code_for(two_role_staff))

    expect(page).to_have_url(re.compile(r"/sign-in/code/"))
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", level=2)).to_have_text("There is a problem")
    expect(summary.get_by_role("listitem")).to_have_text([WRONG_CODE_MESSAGE])
    expect(summary.get_by_role("link", name=WRONG_CODE_MESSAGE)).to_have_attribute(
        "href", "#id_code"
    )
    # GOV.UK Frontend moves focus to the summary, and its link moves focus to the field.
    expect(summary).to_be_focused()
    expect(page.locator("#id_code-error")).to_have_text(f"Error: {WRONG_CODE_MESSAGE}")
    steps.checkpoint("wrong code")
    summary.get_by_role("link", name=WRONG_CODE_MESSAGE).click()
    expect(page.locator("#id_code")).to_be_focused()

    # Each wrong code locks the device for a moment (django-otp throttling, 1 s here).
    page.wait_for_timeout(1_200)
    enter_code(page, current_code(user))
    expect(page).to_have_url(re.compile(r"/role/\?next=%2Fhome%2F$"))


def test_the_code_field_is_marked_as_in_error(page: Page, two_role_staff: Staff) -> None:
    enter_password(page, two_role_staff.user, PASSWORD)
    enter_code(page, wrong_code_for(two_role_staff))

    code = page.locator("#id_code")
    expect(page.locator("#id_code-error")).to_have_text(f"Error: {WRONG_CODE_MESSAGE}")
    expect(code).to_have_attribute("aria-invalid", "true")
    expect(code).to_have_class(re.compile(r"\bgovuk-input--error\b"), timeout=1_000)
    expect(code).to_have_attribute("aria-describedby", "id_code-hint id_code-error")


@pytest.mark.parametrize(
    ("role", "sees_users"),
    [(Role.AREA_ADMINISTRATOR, True), (Role.PRACTITIONER, False)],
    ids=["area-administrator", "practitioner"],
)
def test_service_navigation_follows_the_role(
    page: Page,
    journey: Callable[[str], Journey],
    sign_in: Callable[..., None],
    role: Role,
    sees_users: bool,
) -> None:
    steps = journey(f"navigation-{role.value.replace('_', '-')}")
    staff = make_staff(
        (role, SOCIAL_CARE), name="Jo Pemberton", email="jo.pemberton@testshire.example.org"
    )

    sign_in(staff.user, PASSWORD)

    # A single role is chosen without asking, and there is nothing to change to.
    expect(page).to_have_url(re.compile(r"/home/$"))
    expect(page.locator(".app-acting-as__role")).to_have_text(role.label)
    expect(acting_as(page).get_by_role("link", name="Change role")).to_have_count(0)
    links = service_navigation_links(page)
    assert {"Home", "Your account"} <= set(links), links
    assert ("Users" in links) is sees_users, links
    steps.checkpoint("home")

    if sees_users:
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Users").click()
        expect(page).to_have_url(re.compile(r"/users/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Users in {AREA_NAME}")
        expect(page.get_by_test_id("user-table")).to_contain_text("Jo Pemberton")
        steps.checkpoint("users")
    else:
        response = page.goto("/users/")
        assert response is not None
        assert response.status == 403
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "You do not have access to this page"
        )
        steps.checkpoint("users refused")
