"""Journey: an intelligence analyst opens a deal line from the register, shows only the
children within two links of it, and downloads the view as a PNG and as an i2 CSV; the
hotspot map draws its places; a school's designated safeguarding lead is refused the
explorer, its data and the intelligence API."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from clearsight.access.actor import Actor
from clearsight.access.roles import Role
from clearsight.areas.models import AgencyType
from clearsight.contexts import services as contexts
from clearsight.intel import services
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


def _link(analyst: Actor, a: str, b: str, link_type: str) -> None:
    services.create_link(
        actor=analyst,
        new=services.NewLink(
            from_node=a,
            to_node=b,
            link_type=link_type,
            source="Test purchase operation",
            source_evaluation="1",
            intelligence_assessment="B",
            handling_code="P",
        ),
    )


@pytest.fixture
def network():  # type: ignore[no-untyped-def]
    area = AreaFactory(name="Testshire Safeguarding Partnership", code="testshire")

    def member(role: Role, agency_name: str, kind: str, name: str):  # type: ignore[no-untyped-def]
        agency = AgencyFactory(area=area, name=agency_name, agency_type=kind)
        membership = MembershipFactory(agency=agency, role=role.value, user__full_name=name)
        TOTPDeviceFactory(user=membership.user)
        return membership

    analyst_membership = member(
        Role.INTELLIGENCE_ANALYST, "Testshire Police", AgencyType.POLICE, "Priya Analyst"
    )
    school = member(
        Role.DESIGNATED_SAFEGUARDING_LEAD, "Testshire Academy", AgencyType.SCHOOL, "Sam Lead"
    )
    analyst = Actor(analyst_membership.user, analyst_membership)
    near = PersonFactory(area=area, given_names="Riley", family_name="Nearby")
    far = PersonFactory(area=area, given_names="Jordan", family_name="Twohops")
    adult = PersonFactory(area=area, given_names="Dane", family_name="Concern", kind="adult")
    TeamMemberFactory(person=near, membership=school)
    line = services.create_phone(
        actor=analyst, number="07700 900123", is_deal_line=True, line_name="Bladeline"
    )
    group = services.create_group(actor=analyst, name="Blade Line")
    _link(analyst, f"phone:{line.pk}", f"person:{near.pk}", "contacted")
    _link(analyst, f"person:{adult.pk}", f"phone:{line.pk}", "controls_line")
    _link(analyst, f"person:{adult.pk}", f"person:{far.pk}", "suspected_of_exploiting")
    _link(analyst, f"group:{group.pk}", f"phone:{line.pk}", "member_of")
    for name, lat, lng in (
        ("Canal towpath", "53.79480", "-1.54780"),
        ("Bus station", "53.79620", "-1.53460"),
    ):
        contexts.create_location(
            actor=analyst,
            name=name,
            location_type="park",
            latitude=Decimal(lat),
            longitude=Decimal(lng),
        )
    return analyst_membership, school, line


def sign_out(page: Page) -> None:
    page.get_by_test_id("acting-as").get_by_role("button", name="Sign out").click()


def test_analyst_explores_a_deal_line_and_a_school_is_refused(
    page: Page,
    network,
    sign_in: Callable[..., None],
    journey: Callable[[str], Journey],
) -> None:  # type: ignore[no-untyped-def]
    analyst, school, line = network
    steps = journey("network")

    sign_in(analyst.user)
    page.goto("/intel/")
    steps.checkpoint("Intelligence register")
    page.get_by_test_id("deal-lines").get_by_role("link", name="+447700900123").click()
    expect(page.get_by_test_id("entity-name")).to_contain_text("Bladeline")
    steps.checkpoint("Deal line")

    page.get_by_test_id("open-network").click()
    expect(page.get_by_test_id("network-start")).to_have_text("+447700900123 (Bladeline)")
    nodes = page.get_by_test_id("network-nodes")
    expect(nodes).to_contain_text("Blade Line")
    expect(nodes).to_contain_text("Jordan Twohops")
    expect(page.get_by_test_id("network-message")).to_contain_text("5 records and 4 links")
    steps.checkpoint("Explorer at two links")

    page.get_by_label("Links deep").select_option("2")
    page.get_by_label("Only children within these links").check()
    page.get_by_role("button", name="Show the network").click()
    expect(page.get_by_test_id("network-message")).to_contain_text("4 records and 3 links")
    expect(nodes).not_to_contain_text("Blade Line")
    for shown in ("Riley Nearby", "Jordan Twohops", "Dane Concern"):
        expect(nodes).to_contain_text(shown)
    expect(nodes).to_contain_text("Child at risk")
    steps.checkpoint("Only children within two links")

    with page.expect_download() as png:
        page.get_by_role("button", name="Download as PNG").click()
    assert png.value.suggested_filename == "network.png"
    assert png.value.path().read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    with page.expect_download() as exported:
        page.get_by_role("link", name="Download for i2 (CSV)").click()
    assert exported.value.suggested_filename == "network-i2.csv"
    rows = list(csv.DictReader(io.StringIO(exported.value.path().read_text(encoding="utf-8"))))
    assert len(rows) == 3
    labels = {row["Entity1_Label"] for row in rows} | {row["Entity2_Label"] for row in rows}
    assert "Jordan Twohops" in labels and "Blade Line" not in labels
    steps.checkpoint("After the downloads")

    page.goto("/places/map/")
    expect(page.locator("#hotspot-map .leaflet-interactive").first).to_be_visible()
    expect(page.get_by_test_id("hotspots")).to_contain_text("Canal towpath")
    steps.checkpoint("Hotspot map")

    sign_out(page)
    sign_in(school.user)
    response = page.goto(f"/intel/network/?node=phone:{line.pk}")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Bladeline")
    steps.checkpoint("School refused the explorer")
    for url in (
        f"/intel/network/data.json?node=phone:{line.pk}&depth=2",
        f"/intel/network/export.csv?node=phone:{line.pk}",
        "/api/v1/intel/links/",
        f"/api/v1/intel/phone/{line.pk}/",
    ):
        refused = page.request.get(url)
        assert refused.status == 403, (url, refused.status)
        assert "Bladeline" not in refused.text()
    assert re.search(r"/intel/", page.url)
