"""Separation: no role without sight of intelligence can reach any intelligence data,
through any page, API endpoint, search or export. Walks every named route."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from clearsight.access.roles import Capability, Role, role_can
from clearsight.intel import services
from tests.conftest import Cast
from tests.intel.conftest import Intel, actor_for, link

pytestmark = pytest.mark.django_db

NON_POLICE = [
    Role.DESIGNATED_SAFEGUARDING_LEAD,
    Role.PRACTITIONER,
    Role.SOCIAL_WORKER,
    Role.HELPLINE_WORKER,
]
SKIP = {"accounts:logout", "accounts:logout-everywhere"}


def _patterns() -> list[tuple[str, str, list[tuple[str, str]]]]:
    found = []

    def walk(patterns, prefix: str, namespace: str) -> None:  # type: ignore[no-untyped-def]
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                params = re.findall(r"<(?:(\w+):)?(\w+)>", route)
                found.append((name, route, [(conv or "str", key) for conv, key in params]))

    walk(get_resolver().url_patterns, "/", "")
    return found


def _urls(route: str, params: list[tuple[str, str]], ints: list[int]) -> list[str]:
    urls = [route]
    for converter, _key in params:
        values = (
            [str(i) for i in ints]
            if converter == "int"
            else ["phone", "address", "vehicle", "group"]
        )
        if converter not in {"int", "str", "slug"}:
            values = ["x"]
        urls = [u.replace(re.search(r"<[^>]*>", u).group(0), v, 1) for u in urls for v in values]  # type: ignore[union-attr]
    return urls


def _is_intel_route(name: str) -> bool:
    return name.startswith("intel:") or name.startswith("api:intel-")


@pytest.mark.parametrize("role", NON_POLICE)
def test_no_route_shows_intelligence_to_a_role_without_it(
    role: Role, cast: Cast, intel: Intel, client_for
) -> None:  # type: ignore[no-untyped-def]
    assert not role_can(role, Capability.VIEW_INTELLIGENCE)
    client = client_for(role)
    ints = sorted(
        {
            intel.phone.pk,
            intel.address.pk,
            intel.vehicle.pk,
            intel.group.pk,
            intel.link.pk,
            intel.child.pk,
        }
    )
    search = (
        f"?text={intel.phone.number}&q=07700900123&search=AB12CDE"
        f"&node=phone:{intel.phone.pk}&depth=2"
    )
    checked = 0
    for name, route, params in _patterns():
        if name in SKIP or "<path:" in route:
            continue
        for url in _urls(route, params, ints):
            response = client.get(url + search)
            checked += 1
            if _is_intel_route(name):
                assert response.status_code in (403, 404), (name, url, response.status_code)
            body = b"".join(response) if response.streaming else response.content  # type: ignore[attr-defined]
            text = body.decode("utf-8", "replace")
            for secret in Intel.secrets:
                assert secret not in text, (name, url, secret)
    assert checked > 100


def test_a_school_user_sees_only_that_police_hold_information_on_the_child_page(
    cast: Cast, intel: Intel, client_for
) -> None:  # type: ignore[no-untyped-def]
    page = client_for(Role.DESIGNATED_SAFEGUARDING_LEAD).get(f"/people/{intel.child.pk}/")
    text = page.content.decode()
    assert "Police hold information relevant to this child" in text
    assert cast.user(Role.INTELLIGENCE_ANALYST).full_name in text
    assert "Dane Concern" not in text and "Bladeline" not in text


def test_police_see_the_links_worded_as_risk_to_the_child(
    cast: Cast, intel: Intel, client_for
) -> None:  # type: ignore[no-untyped-def]
    text = client_for(Role.POLICE_OFFICER).get(f"/people/{intel.child.pk}/").content.decode()
    assert "Risk to Riley Atrisk" in text
    assert "person of concern" in text
    assert "Police hold information" not in text


def test_police_see_the_ten_newest_links_and_are_sent_to_the_explorer_for_the_rest(
    cast: Cast, intel: Intel, client_for
) -> None:  # type: ignore[no-untyped-def]
    analyst = actor_for(cast, Role.INTELLIGENCE_ANALYST)
    client = client_for(Role.POLICE_OFFICER)
    assert (
        "The network explorer shows them all"
        not in client.get(f"/people/{intel.child.pk}/").content.decode()
    )
    for number in range(12):
        phone = services.create_phone(actor=analyst, number=f"07700 9001{number:02d}")
        link(analyst, f"phone:{phone.pk}", f"person:{intel.child.pk}", "contacted")
    text = client.get(f"/people/{intel.child.pk}/").content.decode()
    panel = text.split('data-testid="intel-links"', 1)[1].split("</div>", 1)[0]
    assert panel.count("<li>") == 10
    assert "These are the 10 newest links. The network explorer shows them all." in panel


@pytest.mark.parametrize("role", [Role.POLICE_OFFICER, Role.INTELLIGENCE_ANALYST])
def test_intel_roles_reach_the_register_and_api(
    role: Role, cast: Cast, intel: Intel, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(role)
    assert "Bladeline" in client.get("/intel/").content.decode()
    assert client.get(f"/intel/phone/{intel.phone.pk}/").status_code == 200
    assert client.get("/api/v1/intel/phone/").json()["results"][0]["number"] == "+447700900123"
    assert client.get(f"/api/v1/intel/links/{intel.link.pk}/").status_code == 200
