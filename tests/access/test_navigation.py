"""Every role's navigation shows only what that role may use."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearsight.access.navigation import NAVIGATION
from clearsight.access.roles import ROLE_CAPABILITIES, Capability, Role, role_can

FRONTLINE = ["Home", "Children and people", "Missing now", "Raise a concern", "Your account"]
CASE_WORK = [*FRONTLINE[:-1], "Time to help", "Your account"]
EXPECTED_NAVIGATION = {
    Role.PRACTITIONER: FRONTLINE,
    Role.DESIGNATED_SAFEGUARDING_LEAD: CASE_WORK,
    Role.SOCIAL_WORKER: CASE_WORK,
    Role.POLICE_OFFICER: FRONTLINE,
    Role.INTELLIGENCE_ANALYST: ["Home", "Children and people", "Missing now", "Your account"],
    Role.RHI_WORKER: [
        "Home",
        "Children and people",
        "Missing now",
        "Raise a concern",
        "Return interviews",
        "Your account",
    ],
    Role.MACE_COORDINATOR: [
        "Home",
        "Area dashboard",
        *FRONTLINE[1:-1],
        "MACE meetings",
        "Time to help",
        "Your account",
    ],
    Role.MISSING_COORDINATOR: [
        "Home",
        "Area dashboard",
        "Children and people",
        "Missing now",
        "Raise a concern",
        "Return interviews",
        "Missing figures",
        "Your account",
    ],
    Role.TRIAGE_OFFICER: [
        "Home",
        "Area dashboard",
        "Children and people",
        "Missing now",
        "Raise a concern",
        "Triage queue",
        "Rising risk",
        "Your account",
    ],
    Role.HELPLINE_WORKER: ["Home", "Raise a concern", "Helpline contacts", "Your account"],
    Role.AREA_ADMINISTRATOR: ["Home", "Users", "Imports", "Your account"],
    Role.DATA_PROTECTION_OFFICER: ["Home", "Audit log", "Your account"],
}

# Places and peer groups for every role that sees children, the intelligence register for
# police roles: both just before "Your account".
for _role, _labels in list(EXPECTED_NAVIGATION.items()):
    _extra = [
        label
        for label, capability in (
            ("Places and groups", Capability.VIEW_CHILDREN),
            ("Intelligence", Capability.VIEW_INTELLIGENCE),
        )
        if role_can(_role, capability)
    ]
    EXPECTED_NAVIGATION[_role] = [*_labels[:-1], *_extra, _labels[-1]]


def nav_labels(page: str) -> list[str]:
    nav = page.split('class="govuk-service-navigation__list"', 1)[1].split("</ul>", 1)[0]
    links = re.findall(r'<a class="govuk-service-navigation__link"[^>]*>(.*?)</a>', nav, re.S)
    return [re.sub(r"<[^>]+>", "", link).strip() for link in links]


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_only_the_navigation_it_may_use(role: Role, client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for(role).get("/home/").content.decode()
    assert nav_labels(page) == EXPECTED_NAVIGATION[role]


@pytest.mark.django_db
def test_signed_out_pages_have_no_staff_navigation(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/").content.decode()
    assert "govuk-service-navigation__list" not in page


@given(st.sampled_from(list(Role)))
def test_area_administrators_and_dpos_never_see_childrens_records_by_role(role: Role) -> None:
    if role in (Role.AREA_ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER):
        assert not role_can(role, Capability.VIEW_CHILDREN)


@given(st.sampled_from(list(Role)), st.sampled_from(list(Capability)))
def test_role_can_agrees_with_the_capability_table(role: Role, capability: Capability) -> None:
    assert role_can(role.value, capability) == (capability in ROLE_CAPABILITIES[role])


def test_every_role_can_do_something_and_every_nav_item_is_reachable() -> None:
    assert all(ROLE_CAPABILITIES[role] for role in Role)
    for item in NAVIGATION:
        for capability in [item.capability, *item.any_of]:
            if capability is not None:
                assert any(capability in caps for caps in ROLE_CAPABILITIES.values())


def test_only_police_roles_hold_the_intelligence_capability() -> None:
    holders = {role for role in Role if role_can(role, Capability.VIEW_INTELLIGENCE)}
    assert holders == {Role.POLICE_OFFICER, Role.INTELLIGENCE_ANALYST}
