"""/api/v1/missing-episodes/: a police system pushes a report and a return."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.roles import Role
from clearsight.accounts.services import issue_api_token
from clearsight.missing.models import MissingEpisode
from tests.conftest import Cast
from tests.factories import AreaFactory, PersonFactory

pytestmark = pytest.mark.django_db


def token_client(cast: Cast, role: Role) -> Client:
    membership = cast.members[role]
    issued = issue_api_token(
        actor=Actor(user=membership.user, membership=membership), name="police system", days=30
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


def test_police_push_a_report_then_a_return(cast: Cast) -> None:
    child = PersonFactory(area=cast.area)
    api = token_client(cast, Role.POLICE_OFFICER)
    started = (timezone.now() - timedelta(hours=6)).isoformat()
    created = api.post(
        "/api/v1/missing-episodes/",
        {
            "person": child.pk,
            "started_at": started,
            "last_seen_place": "Station",
            "risk_grading": "high",
            "police_reference": "NB-2026-1",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    episode_id = created.json()["id"]
    assert [e["id"] for e in api.get("/api/v1/missing-episodes/").json()["results"]] == [episode_id]
    etag = api.get(f"/api/v1/missing-episodes/{episode_id}/")["ETag"]
    returned = api.post(
        f"/api/v1/missing-episodes/{episode_id}/return/",
        {
            "returned_at": timezone.now().isoformat(),
            "found_place": "Otherton",
            "found_out_of_area": True,
            "found_area_name": "Otherton",
        },
        content_type="application/json",
        HTTP_IF_MATCH=etag,
    )
    assert returned.status_code == 200, returned.content
    body = returned.json()
    assert body["return_interview"]["state"] == "to_offer"
    stale = api.post(
        f"/api/v1/missing-episodes/{episode_id}/return/",
        {"returned_at": timezone.now().isoformat()},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
    )
    assert stale.status_code == 412
    assert stale["Content-Type"] == "application/problem+json"


def test_bad_reports_get_field_errors_and_save_nothing(cast: Cast) -> None:
    child = PersonFactory(area=cast.area)
    api = token_client(cast, Role.POLICE_OFFICER)
    response = api.post(
        "/api/v1/missing-episodes/",
        {"person": child.pk, "started_at": (timezone.now() + timedelta(days=1)).isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "started_at"
    malformed = api.post(
        "/api/v1/missing-episodes/",
        {"person": "x", "started_at": "yesterday"},
        content_type="application/json",
    )
    assert {e["field"] for e in malformed.json()["errors"]} == {"person", "started_at"}
    assert not MissingEpisode.objects.exists()


def test_a_child_of_another_area_is_not_found(cast: Cast) -> None:
    elsewhere = PersonFactory(area=AreaFactory())
    response = token_client(cast, Role.POLICE_OFFICER).post(
        "/api/v1/missing-episodes/",
        {"person": elsewhere.pk, "started_at": timezone.now().isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "role", [Role.AREA_ADMINISTRATOR, Role.HELPLINE_WORKER, Role.DATA_PROTECTION_OFFICER]
)
def test_roles_without_access_are_refused(cast: Cast, role: Role) -> None:
    assert token_client(cast, role).get("/api/v1/missing-episodes/").status_code == 403


def test_a_return_pushed_with_another_clearsight_area_alerts_the_home_coordinator(
    cast: Cast,
) -> None:
    from clearsight.missing.models import MissingEpisode
    from clearsight.notifications.models import Notification
    from tests.factories import AreaFactory

    child = PersonFactory(area=cast.area)
    elsewhere = AreaFactory(name="Eastvale")
    api = token_client(cast, Role.POLICE_OFFICER)
    created = api.post(
        "/api/v1/missing-episodes/",
        {"person": child.pk, "started_at": (timezone.now() - timedelta(hours=6)).isoformat()},
        content_type="application/json",
    )
    episode_id = created.json()["id"]
    url = f"/api/v1/missing-episodes/{episode_id}/return/"
    own = api.post(
        url,
        {"returned_at": timezone.now().isoformat(), "found_area": cast.area.pk},
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
    )
    assert own.status_code == 400
    assert own.json()["errors"] == [
        {"field": "found_area", "message": "Choose another area from the list"}
    ]
    done = api.post(
        url,
        {"returned_at": timezone.now().isoformat(), "found_area": elsewhere.pk},
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
    )
    assert done.status_code == 200, done.content
    assert MissingEpisode.objects.get(pk=episode_id).found_area == elsewhere
    assert Notification.objects.filter(
        recipient=cast.user(Role.MISSING_COORDINATOR), kind="found_elsewhere"
    ).exists()
