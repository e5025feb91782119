"""Intelligence pages and the explorer's data: per-role access and the errors the
explorer script reads (RFC 9457 problem+json)."""

from __future__ import annotations

from datetime import date

import pytest

from clearsight.access.roles import Role
from clearsight.intel import services
from tests.conftest import Cast
from tests.intel.conftest import Intel, actor_for

pytestmark = pytest.mark.django_db


def test_a_bad_query_is_answered_as_problem_json(cast: Cast, intel: Intel, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.INTELLIGENCE_ANALYST)
    response = client.get(f"/intel/network/data.json?node=phone:{intel.phone.pk}&depth=9")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400 and body["title"]
    assert body["errors"] == [{"field": "depth", "message": "Choose 1, 2 or 3 links deep"}]


def test_a_record_the_analyst_cannot_see_is_a_problem_json_404(
    cast: Cast, intel: Intel, client_for
) -> None:  # type: ignore[no-untyped-def]
    response = client_for(Role.POLICE_OFFICER).get("/intel/network/data.json?node=phone:999999")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_the_explorer_data_shows_the_children_at_risk(cast: Cast, intel: Intel, client_for) -> None:  # type: ignore[no-untyped-def]
    body = (
        client_for(Role.INTELLIGENCE_ANALYST)
        .get(f"/intel/network/data.json?node=phone:{intel.phone.pk}&depth=2&children=1")
        .json()
    )
    kinds = {node["label"]: node["kindLabel"] for node in body["nodes"]}
    assert kinds["Riley Atrisk"] == "Child at risk"
    assert "Blade Line" not in kinds


def test_the_period_typed_in_the_date_boxes_limits_the_links(
    cast: Cast, intel: Intel, client_for
) -> None:  # type: ignore[no-untyped-def]
    """A link that began in 2026 is outside a period that ends in 2025; undated links
    count as current at any time."""
    services.create_link(
        actor=actor_for(cast, Role.INTELLIGENCE_ANALYST),
        new=services.NewLink(
            from_node=f"phone:{intel.phone.pk}",
            to_node=f"address:{intel.address.pk}",
            link_type="associates_with",
            source="Officer",
            source_evaluation="1",
            intelligence_assessment="B",
            handling_code="P",
            valid_from=date(2026, 3, 1),
        ),
    )
    client = client_for(Role.INTELLIGENCE_ANALYST)
    node = f"node=phone:{intel.phone.pk}&depth=1"
    address = f"address:{intel.address.pk}"

    def ids(query: str) -> set[str]:
        body = client.get(f"/intel/network/data.json?{node}&{query}").json()
        return {n["id"] for n in body["nodes"]}

    assert address in ids("")
    assert address in ids("until_day=31&until_month=3&until_year=2026")
    assert address not in ids("until_day=31&until_month=12&until_year=2025")
    assert address not in ids("until=2025-12-31")  # a whole date from a link reads the same
    assert f"person:{intel.child.pk}" in ids("until_day=31&until_month=12&until_year=2025")


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        (
            "since_day=1&since_month=13&since_year=2026",
            "since",
            "The start date must be a real date",
        ),
        ("until_day=1&until_year=2026", "until", "The end date must include a month"),
    ],
)
def test_a_bad_date_in_the_explorer_is_a_field_error(
    cast: Cast, intel: Intel, client_for, query: str, field: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    response = client_for(Role.INTELLIGENCE_ANALYST).get(
        f"/intel/network/data.json?node=phone:{intel.phone.pk}&{query}"
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == field and error["message"].startswith(message)


def test_the_explorer_asks_for_its_dates_in_three_boxes(
    cast: Cast, intel: Intel, client_for
) -> None:  # type: ignore[no-untyped-def]
    page = client_for(Role.INTELLIGENCE_ANALYST).get(f"/intel/network/?node=phone:{intel.phone.pk}")
    html = page.content.decode()
    for name in (
        "since_day",
        "since_month",
        "since_year",
        "until_day",
        "until_month",
        "until_year",
    ):
        assert f'name="{name}"' in html
    assert 'type="date"' not in html


@pytest.mark.parametrize("role", [Role.DESIGNATED_SAFEGUARDING_LEAD, Role.SOCIAL_WORKER])
def test_the_explorer_and_its_data_refuse_other_roles(
    cast: Cast, intel: Intel, client_for, role: Role
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(role)
    node = f"node=phone:{intel.phone.pk}"
    for url in ("/intel/network/", "/intel/network/data.json", "/intel/network/export.csv"):
        assert client.get(f"{url}?{node}").status_code == 403
