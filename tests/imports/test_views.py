"""The upload page and job page for area administrators."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clearsight.access.roles import Capability, Role, role_can
from clearsight.imports.models import ImportJob
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

CSV = b"source_record_id,given_names,family_name\nA1,Kai,Morgan\n"


def upload(client, cast: Cast, content: bytes = CSV, **extra: str):  # type: ignore[no-untyped-def]
    data = {
        "agency": cast.members[Role.SOCIAL_WORKER].agency.pk,
        "file": SimpleUploadedFile("records.csv", content, content_type="text/csv"),
        "mode": "good_rows",
    }
    data.update(extra)
    return client.post("/imports/", data)


def test_upload_queues_a_job_and_shows_its_page(
    cast: Cast, client_for, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    admin = client_for(Role.AREA_ADMINISTRATOR)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(admin, cast)
    job = ImportJob.objects.get()
    assert response["Location"] == f"/imports/{job.pk}/"
    assert len(callbacks) == 1  # the background job is queued on commit
    page = admin.get(response["Location"]).content.decode()
    assert "Waiting to start" in page
    assert 'hx-trigger="every 2s"' in page
    partial = admin.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="import-progress"')


def test_upload_without_a_file_or_agency_gets_an_error_summary(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(Role.AREA_ADMINISTRATOR).post("/imports/", {"mode": "good_rows"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose a CSV file to import" in page
    assert "Choose the agency the records come from" in page


def test_oversized_upload_is_refused_with_the_limit(cast: Cast, client_for, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CLEARSIGHT_IMPORT_MAX_MB = 1
    response = upload(client_for(Role.AREA_ADMINISTRATOR), cast, content=b"x" * (2 * 1024 * 1024))
    assert response.status_code == 400
    assert "The largest file you can import is 1 MB" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("role", list(Role))
def test_only_roles_that_import_can_upload(role: Role, cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = upload(client_for(role), cast)
    if role_can(role, Capability.IMPORT_RECORDS):
        assert response.status_code == 302
    else:
        assert response.status_code == 403
        assert not ImportJob.objects.exists()


def test_the_file_field_is_a_govuk_file_upload(client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for(Role.AREA_ADMINISTRATOR).get("/imports/").content.decode()
    assert 'class="govuk-file-upload"' in page
