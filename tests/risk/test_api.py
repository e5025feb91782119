"""/api/v1/indicators/ and a child's observations and screenings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.policy import AREA_WIDE_ROLES
from clearsight.access.roles import Capability, Role, role_can
from clearsight.accounts.services import issue_api_token
from clearsight.audit.models import AuditEvent
from clearsight.people.models import Person
from clearsight.risk.models import LibraryVersion, Observation
from clearsight.risk.services import screen_person
from tests.conftest import Cast
from tests.factories import ObservationFactory, PersonFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


def token_client(cast: Cast, role: Role) -> Client:
    membership = cast.members[role]
    issued = issue_api_token(
        actor=Actor(user=membership.user, membership=membership), name="case system", days=30
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


@pytest.fixture
def child(cast: Cast, national_library: LibraryVersion) -> Person:
    person = PersonFactory(area=cast.area, date_of_birth=date(2011, 2, 3))
    TeamMemberFactory(person=person, membership=cast.members[Role.SOCIAL_WORKER])
    return person


def test_the_indicator_library_for_the_users_area(cast: Cast, national_library) -> None:  # type: ignore[no-untyped-def]
    body = token_client(cast, Role.PRACTITIONER).get("/api/v1/indicators/").json()
    assert (body["number"], body["area"]) == (1, None)
    assert len(body["indicators"]) >= 40
    first = body["indicators"][0]
    assert set(first) >= {"code", "title", "category", "weight", "looks_like", "what_to_do"}
    assert body["protective_factors"]


def test_a_social_worker_records_and_reads_observations_and_screenings(
    cast: Cast, child: Person
) -> None:
    api = token_client(cast, Role.SOCIAL_WORKER)
    created = api.post(
        f"/api/v1/persons/{child.pk}/observations/",
        {"codes": ["MIS-01", "REL-01"], "seen_on": date.today().isoformat(), "confidence": 4},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert [o["indicator_code"] for o in created.json()] == ["MIS-01", "REL-01"]
    listed = api.get(f"/api/v1/persons/{child.pk}/observations/").json()["results"]
    assert {o["agency_name"] for o in listed} == {cast.agencies["childrens_social_care"].name}
    screen_person(child.pk)
    [screening] = api.get(f"/api/v1/persons/{child.pk}/screenings/").json()["results"]
    assert screening["final_level"] == "medium"
    assert {f["code"] for f in screening["factors"]} == {"MIS-01", "REL-01"}
    actions = set(AuditEvent.objects.filter(person_id=child.pk).values_list("action", flat=True))
    assert {"observation.recorded", "observation.listed", "screening.listed"} <= actions


def test_bad_observations_get_problem_details_and_nothing_is_saved(
    cast: Cast, child: Person
) -> None:
    response = token_client(cast, Role.SOCIAL_WORKER).post(
        f"/api/v1/persons/{child.pk}/observations/",
        {
            "codes": ["MIS-01", "NOPE-1"],
            "seen_on": (date.today() + timedelta(days=3)).isoformat(),
            "confidence": 9,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert {e["field"] for e in response.json()["errors"]} == {"codes", "seen_on", "confidence"}
    assert not Observation.objects.exists()


def _expected(role: Role, capability: Capability) -> int:
    if not role_can(role, Capability.VIEW_CHILDREN):
        return 403
    if not role_can(role, capability):
        return 403
    return 200 if role in AREA_WIDE_ROLES else 404


@pytest.mark.parametrize("role", list(Role))
def test_access_by_role(role: Role, cast: Cast, national_library) -> None:  # type: ignore[no-untyped-def]
    # A child of the area on nobody's team: area-wide roles see them, others do not.
    child = PersonFactory(area=cast.area)
    ObservationFactory(person=child, seen_on=timezone.localdate())
    api = token_client(cast, role)
    assert api.get("/api/v1/indicators/").status_code == 200
    for path in ("observations", "screenings"):
        response = api.get(f"/api/v1/persons/{child.pk}/{path}/")
        assert response.status_code == _expected(role, Capability.VIEW_CHILDREN), path
    posted = api.post(
        f"/api/v1/persons/{child.pk}/observations/",
        {"codes": ["MIS-01"], "seen_on": date.today().isoformat(), "confidence": 3},
        content_type="application/json",
    )
    expected = _expected(role, Capability.RECORD_OBSERVATIONS)
    assert posted.status_code == (201 if expected == 200 else expected)
    assert Observation.objects.count() == (2 if expected == 200 else 1)


def test_signed_out_callers_are_refused(child: Person) -> None:
    for path in ("/api/v1/indicators/", f"/api/v1/persons/{child.pk}/observations/"):
        assert Client().get(path).status_code in (401, 403)


def test_listing_observations_costs_the_same_queries_for_1_or_30(
    cast: Cast, child: Person, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    api = token_client(cast, Role.SOCIAL_WORKER)
    path = f"/api/v1/persons/{child.pk}/observations/"
    ObservationFactory(person=child)
    with django_assert_max_num_queries(12) as one:
        api.get(path)
    for _ in range(29):
        ObservationFactory(person=child)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(api.get(path).json()["results"]) == 30
