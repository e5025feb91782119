"""The background path end to end: a real procrastinate worker on PostgreSQL."""

from __future__ import annotations

import pytest
from procrastinate.contrib.django import app

from clearsight.imports import services
from clearsight.imports.models import ImportStatus
from clearsight.imports.tasks import run_import
from clearsight.people.models import Person
from tests.factories import AgencyFactory


@pytest.mark.django_db(transaction=True)
def test_a_queued_import_is_run_by_the_worker() -> None:
    agency = AgencyFactory()
    job = services.start_import(
        actor=None,
        agency=agency,
        file_name="records.csv",
        content=b"source_record_id,given_names,family_name\nB1,Kai,Morgan\nB2,Mia,Patel\n",
        mode="good_rows",
        dry_run=False,
    )
    run_import.defer(job_id=job.pk)
    # As `python -m clearsight procrastinate worker` does: a worker connector of its own.
    with app.replace_connector(app.connector.get_worker_connector()) as worker_app:
        worker_app.run_worker(
            wait=False, install_signal_handlers=False, listen_notify=False, queues=["imports"]
        )
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Person.objects.filter(area=agency.area).count() == 2
