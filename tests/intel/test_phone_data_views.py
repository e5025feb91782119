"""Phone data pages: an analyst uploads and reads the results; a police officer reads;
other roles are refused."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clearsight.access.roles import Role
from clearsight.intel import phone_imports
from clearsight.intel.models import PhoneDataImport
from clearsight.people.models import Phone
from tests.conftest import Cast
from tests.factories import PersonFactory
from tests.intel.test_deal_lines import CHILD, DEAL_LINE, generated_records
from tests.intel.test_phone_imports import as_csv

pytestmark = pytest.mark.django_db


def upload(client, text: str, source: str = "Network provider, request 2026/114"):  # type: ignore[no-untyped-def]
    return client.post(
        "/intel/phone-data/",
        {"file": SimpleUploadedFile("records.csv", text.encode()), "source": source},
    )


def test_an_analyst_uploads_and_sees_the_patterns_for_review(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    child = PersonFactory(area=cast.area, given_names="Riley", family_name="Atrisk")
    Phone.objects.create(person=child, number=CHILD)
    client = client_for(Role.INTELLIGENCE_ANALYST)
    response = upload(client, as_csv(generated_records()))
    started = PhoneDataImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/intel/phone-data/{started.pk}/"
    waiting = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in waiting
    phone_imports.run_phone_import(started.pk)
    page = client.get(response["Location"]).content.decode()
    assert DEAL_LINE in page
    assert "Risk to" in page and "Riley Atrisk" in page
    assert "not findings" in page
    assert "Review the proposed links" in page


def test_an_upload_without_a_source_shows_an_error(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = upload(client_for(Role.INTELLIGENCE_ANALYST), "from,to\n", source="")
    assert response.status_code == 400
    assert "Enter where the records came from" in response.content.decode()
    assert not PhoneDataImport.objects.exists()


def test_a_police_officer_sees_imports_but_cannot_upload(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.POLICE_OFFICER)
    assert "Only intelligence analysts upload" in client.get("/intel/phone-data/").content.decode()
    assert upload(client, "from,to\n").status_code == 403


@pytest.mark.parametrize(
    "role", [Role.DESIGNATED_SAFEGUARDING_LEAD, Role.SOCIAL_WORKER, Role.PRACTITIONER]
)
def test_roles_without_intelligence_are_refused(cast: Cast, client_for, role: Role) -> None:  # type: ignore[no-untyped-def]
    analyst = cast.members[Role.INTELLIGENCE_ANALYST]
    started = PhoneDataImport.objects.create(
        area=cast.area,
        file_name="x.csv",
        stored_path="/nonexistent",
        source="x",
        created_by=analyst.user,
        created_by_membership=analyst,
    )
    client = client_for(role)
    assert client.get("/intel/phone-data/").status_code == 403
    assert client.get(f"/intel/phone-data/{started.pk}/").status_code == 403
    assert upload(client, "from,to\n").status_code == 403


def test_another_areas_import_is_not_found(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import MembershipFactory

    stranger = MembershipFactory(role=Role.INTELLIGENCE_ANALYST.value)
    theirs = PhoneDataImport.objects.create(
        area=stranger.agency.area,
        file_name="x.csv",
        stored_path="/nonexistent",
        source="x",
        created_by=stranger.user,
        created_by_membership=stranger,
    )
    client = client_for(Role.INTELLIGENCE_ANALYST)
    assert client.get(f"/intel/phone-data/{theirs.pk}/").status_code == 404
