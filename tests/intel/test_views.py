"""Intelligence pages and the explorer's data: per-role access and the errors the
explorer script reads (RFC 9457 problem+json)."""

from __future__ import annotations

import pytest

from clearsight.access.roles import Role
from tests.conftest import Cast
from tests.intel.conftest import Intel

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


@pytest.mark.parametrize("role", [Role.DESIGNATED_SAFEGUARDING_LEAD, Role.SOCIAL_WORKER])
def test_the_explorer_and_its_data_refuse_other_roles(
    cast: Cast, intel: Intel, client_for, role: Role
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(role)
    node = f"node=phone:{intel.phone.pk}"
    for url in ("/intel/network/", "/intel/network/data.json", "/intel/network/export.csv"):
        assert client.get(f"{url}?{node}").status_code == 403
