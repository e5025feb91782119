"""/api/v1/persons/: tokens, access policy, audit, problem+json errors and ETags."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.roles import Role
from clearsight.accounts.models import ApiToken
from clearsight.accounts.services import issue_api_token
from clearsight.audit.models import AuditEvent
from clearsight.people.models import Person
from tests.conftest import Cast
from tests.factories import PersonFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


def token_client(cast: Cast, role: Role) -> Client:
    membership = cast.members[role]
    issued = issue_api_token(
        actor=Actor(user=membership.user, membership=membership), name="test", days=30
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


@pytest.fixture
def people(cast: Cast) -> dict[str, Person]:
    own = PersonFactory(area=cast.area, given_names="Ava", family_name="Own")
    TeamMemberFactory(person=own, membership=cast.members[Role.SOCIAL_WORKER])
    other = PersonFactory(area=cast.area, given_names="Ben", family_name="Other")
    return {"own": own, "other": other}


def test_token_lists_only_visible_people_and_is_audited(cast: Cast, people) -> None:  # type: ignore[no-untyped-def]
    response = token_client(cast, Role.SOCIAL_WORKER).get("/api/v1/persons/")
    assert response.status_code == 200
    body = response.json()
    assert [p["family_name"] for p in body["results"]] == ["Own"]
    event = AuditEvent.objects.get(action="person.listed")
    assert event.details["result_person_ids"] == [people["own"].pk]


def test_no_credentials_get_a_problem_document(db: None) -> None:
    response = Client().get("/api/v1/persons/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 401


def test_revoked_and_expired_tokens_stop_working(cast: Cast, people) -> None:  # type: ignore[no-untyped-def]
    client = token_client(cast, Role.SOCIAL_WORKER)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/persons/").status_code == 401
    ApiToken.objects.update(
        expires_at=timezone.now() + timedelta(days=1), revoked_at=timezone.now()
    )
    assert "revoked" in client.get("/api/v1/persons/").json()["detail"]


def test_roles_without_access_to_children_are_refused(cast: Cast, people) -> None:  # type: ignore[no-untyped-def]
    response = token_client(cast, Role.AREA_ADMINISTRATOR).get("/api/v1/persons/")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_someone_elses_record_is_not_found(cast: Cast, people) -> None:  # type: ignore[no-untyped-def]
    response = token_client(cast, Role.SOCIAL_WORKER).get(f"/api/v1/persons/{people['other'].pk}/")
    assert response.status_code == 404
    assert "Ben" not in response.content.decode()


def test_create_with_nested_identifiers_addresses_and_phones(cast: Cast) -> None:
    response = token_client(cast, Role.SOCIAL_WORKER).post(
        "/api/v1/persons/",
        {
            "given_names": "Kai",
            "family_name": "Morgan",
            "date_of_birth": "2011-03-27",
            "identifiers": [{"kind": "nhs_number", "value": "943 476 5919"}],
            "addresses": [{"line_1": "1 Example Street", "postcode": "ls14ap"}],
            "phones": [{"number": "07700 900123"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["identifiers"] == [{"kind": "nhs_number", "value": "9434765919", "issuer": ""}]
    assert body["addresses"][0]["postcode"] == "LS1 4AP"
    assert body["phones"][0]["number"] == "+447700900123"
    assert response["ETag"] == '"1"'


def test_bad_input_lists_each_field_in_the_problem(cast: Cast) -> None:
    response = token_client(cast, Role.SOCIAL_WORKER).post(
        "/api/v1/persons/",
        {
            "given_names": "",
            "family_name": "x" * 10_000,
            "date_of_birth": "2999-01-01",
            "identifiers": [{"kind": "nhs_number", "value": "9434765918"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"given_names", "family_name", "date_of_birth", "identifiers[0]"} <= fields
    assert not Person.objects.exists()


def test_malformed_json_fields_are_reported_by_name(cast: Cast) -> None:
    response = token_client(cast, Role.SOCIAL_WORKER).post(
        "/api/v1/persons/",
        {
            "given_names": "Kai",
            "family_name": "Morgan",
            "date_of_birth": "yesterday",
            "sex": "robot",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"date_of_birth", "sex"}


def test_updates_need_the_current_etag(cast: Cast, people) -> None:  # type: ignore[no-untyped-def]
    client = token_client(cast, Role.SOCIAL_WORKER)
    url = f"/api/v1/persons/{people['own'].pk}/"
    etag = client.get(url)["ETag"]
    assert (
        client.patch(url, {"preferred_name": "Avs"}, content_type="application/json").status_code
        == 428
    )
    ok = client.patch(
        url, {"preferred_name": "Avs"}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert ok.status_code == 200
    assert ok["ETag"] != etag
    stale = client.patch(
        url, {"preferred_name": "Overwrite"}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412
    assert stale["Content-Type"] == "application/problem+json"
    assert Person.objects.get(pk=people["own"].pk).preferred_name == "Avs"
    assert AuditEvent.objects.filter(action="person.updated").count() == 1


def test_verified_session_can_use_the_api(cast: Cast, people, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(Role.SOCIAL_WORKER).get("/api/v1/persons/")
    assert response.status_code == 200


def test_session_without_the_second_factor_cannot_use_the_api(cast: Cast) -> None:
    from clearsight.accounts import sessions

    client = Client()
    user = cast.user(Role.SOCIAL_WORKER)
    client.force_login(user, backend="django.contrib.auth.backends.AllowAllUsersModelBackend")
    session = client.session
    sessions.start(session, generation=user.session_generation)
    session.save()
    response = client.get("/api/v1/persons/")
    assert response.status_code == 401
    assert "Finish signing in" in response.json()["detail"]


def test_an_ended_session_gets_a_problem_not_a_redirect(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    from clearsight.accounts.models import User

    client = client_for(Role.SOCIAL_WORKER)
    User.objects.filter(pk=cast.user(Role.SOCIAL_WORKER).pk).update(is_active=False)
    response = client.get("/api/v1/persons/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_agencies_and_memberships(cast: Cast) -> None:
    agencies = token_client(cast, Role.PRACTITIONER).get("/api/v1/agencies/").json()
    assert agencies["count"] == len(cast.agencies)
    own = token_client(cast, Role.PRACTITIONER).get("/api/v1/memberships/").json()
    assert own["count"] == 1
    everyone = token_client(cast, Role.AREA_ADMINISTRATOR).get("/api/v1/memberships/").json()
    assert everyone["count"] == len(Role)


def test_schema_and_docs(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    schema = client_for(Role.PRACTITIONER).get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/persons/" in schema.content
    docs = client_for(Role.PRACTITIONER).get("/api/docs/").content.decode()
    assert "swagger-ui-bundle" in docs and "cdn" not in docs.lower()


def test_tokens_are_created_and_revoked_from_the_account_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    web = client_for(Role.SOCIAL_WORKER)
    bad = web.post("/account/api-tokens/", {"name": "", "days": "999"})
    assert bad.status_code == 400
    assert "Enter a name for the token" in bad.content.decode()
    web.post("/account/api-tokens/", {"name": "MASH export", "days": "30"})
    page = web.get("/account/").content.decode()
    secret = page.split('<code class="app-secret-key">')[1].split("<")[0]
    assert secret.startswith("cs_")
    assert secret not in web.get("/account/").content.decode()  # shown once
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/persons/").status_code == 200
    token = ApiToken.objects.get()
    web.post(f"/account/api-tokens/{token.pk}/revoke/")
    assert api.get("/api/v1/persons/").status_code == 401
