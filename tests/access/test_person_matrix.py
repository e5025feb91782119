"""Generated matrix for every route that shows one person's record: every role by
(own-team record, other-team record, other-area record). Each allowed read writes
exactly the expected audit event; each refusal shows nothing of the record."""

from __future__ import annotations

import pytest
from django.test import Client

from clearsight.access.actor import Actor
from clearsight.access.policy import AREA_WIDE_ROLES
from clearsight.access.roles import Capability, Role, role_can
from clearsight.accounts.services import issue_api_token
from clearsight.audit.models import AuditEvent
from clearsight.people.models import Person
from tests.conftest import Cast
from tests.factories import AreaFactory, PersonFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db

RECORDS = ["own_team", "other_team", "other_area"]

# route name: (path template, needs RECORD_OBSERVATIONS as well as sight, via the API?)
PERSON_ROUTES = {
    "people:detail": ("/people/{pk}/", False, False),
    "people:edit": ("/people/{pk}/edit/", True, False),
    "api:person": ("/api/v1/persons/{pk}/", False, True),
    "api:person-observations": ("/api/v1/persons/{pk}/observations/", False, True),
    "api:person-screenings": ("/api/v1/persons/{pk}/screenings/", False, True),
    "cases:person-case": ("/people/{pk}/case/", False, False),
    "cases:referral-new": ("/people/{pk}/referrals/new/", True, False),
}
# The audit event each route writes for one allowed read, and whether the response
# carries the person's name (lists about a person do not repeat it).
READ_EVENT = {
    "api:person-observations": ("observation.listed", False),
    "api:person-screenings": ("screening.listed", False),
    "cases:person-case": ("case.viewed", True),
    "cases:referral-new": ("referral.form_viewed", True),
}


def make_records(cast: Cast, role: Role) -> dict[str, Person]:
    own = PersonFactory(area=cast.area, family_name="Ownteam")
    TeamMemberFactory(person=own, membership=cast.members[role])
    other = PersonFactory(area=cast.area, family_name="Otherteam")
    away = PersonFactory(area=AreaFactory(), family_name="Otherarea")
    return {"own_team": own, "other_team": other, "other_area": away}


def may_see(role: Role, which: str) -> bool:
    if not role_can(role, Capability.VIEW_CHILDREN) or which == "other_area":
        return False
    return which == "own_team" or role in AREA_WIDE_ROLES


def expected_status(route: str, role: Role, which: str) -> int:
    _, needs_record, via_api = PERSON_ROUTES[route]
    if not role_can(role, Capability.VIEW_CHILDREN) or (
        needs_record and not role_can(role, Capability.RECORD_OBSERVATIONS)
    ):
        return 403
    if may_see(role, which):
        return 200
    if via_api or which == "other_area" or needs_record:
        return 404
    return 403  # the child page offers break-glass instead


def client_as(cast: Cast, role: Role, via_api: bool, client_for) -> Client:  # type: ignore[no-untyped-def]
    if not via_api:
        return client_for(role)
    membership = cast.members[role]
    issued = issue_api_token(
        actor=Actor(user=membership.user, membership=membership), name="matrix", days=1
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


# Person routes that only accept POST; their access rules are tested in tests/people.
POST_ONLY = {
    "people:break-glass",
    "people:add-to-team",
    "cases:open-case",  # tests/cases/test_views.py
    "cases:nrm-new",  # tests/cases/test_views.py
}


def test_the_matrix_covers_every_person_route() -> None:
    """A new route about one person (people/<pk>/... or api/.../<pk>/) fails here until it
    is added to PERSON_ROUTES (or POST_ONLY with its own tests)."""
    from django.urls import URLResolver, get_resolver

    found: set[str] = set()

    def walk(patterns, namespace: str) -> None:  # type: ignore[no-untyped-def]
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif "<int:pk>" in str(pattern.pattern) and (
                namespace == "people"
                or (namespace == "api" and "persons" in str(pattern.pattern))
                or (namespace == "cases" and str(pattern.pattern).startswith("people/"))
            ):
                found.add(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns, "")
    assert found == set(PERSON_ROUTES) | POST_ONLY


@pytest.mark.parametrize("route", list(PERSON_ROUTES))
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("which", RECORDS)
def test_person_route_by_role_and_record(
    route: str, role: Role, which: str, cast: Cast, client_for
) -> None:  # type: ignore[no-untyped-def]
    path, _, via_api = PERSON_ROUTES[route]
    action, shows_name = READ_EVENT.get(route, ("person.viewed", True))
    person = make_records(cast, role)[which]
    client = client_as(cast, role, via_api, client_for)
    before = AuditEvent.objects.filter(person_id=person.pk, action=action).count()
    response = client.get(path.format(pk=person.pk))
    status = expected_status(route, role, which)
    assert response.status_code == status, f"{route} as {role} on {which}"
    viewed = AuditEvent.objects.filter(person_id=person.pk, action=action).count() - before
    if status == 200:
        assert viewed == 1
        assert (person.family_name in response.content.decode()) == shows_name
    else:
        assert viewed == 0
        assert person.family_name not in response.content.decode()
