"""Imports: mixed good and bad rows, idempotent re-runs, a run killed half-way."""

from __future__ import annotations

import pytest

from clearsight.audit.models import AuditEvent
from clearsight.core.errors import InvalidInput
from clearsight.imports import services
from clearsight.imports.models import ImportMode, ImportStatus
from clearsight.people.models import ExternalRecord, Person
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

MIXED = (
    "source_record_id,given_names,family_name,date_of_birth,sex,nhs_number,postcode\n"
    "A1,Kai,Morgan,2011-03-27,M,943 476 5919,LS1 4AP\n"
    "A2,,Lewis,2010-01-01,F,,\n"
    "A3,Mia,Patel,2099-01-01,F,,\n"
    "A4,Leo,Khan,27/03/2012,,9434765918,\n"
    "A5,Ava,Jones,2012-05-05,female,,NOPE\n"
    "A1,Kai,Morgan,2011-03-27,M,,\n"
    "A6,Noah,Smith,,,,\n"
)


def run(cast: Cast, text: str | bytes, mode: str = ImportMode.GOOD_ROWS, dry_run: bool = False):  # type: ignore[no-untyped-def]
    content = text.encode() if isinstance(text, str) else text
    agency = cast.members[next(iter(cast.members))].agency
    job = services.start_import(
        actor=None,
        agency=agency,
        file_name="records.csv",
        content=content,
        mode=mode,
        dry_run=dry_run,
    )
    return services.run_import(job.pk)


def test_good_rows_are_imported_and_each_bad_row_reported_with_its_line(cast: Cast) -> None:
    job = run(cast, MIXED)
    assert job.status == ImportStatus.DONE
    assert job.created_count == 2
    assert sorted(Person.objects.values_list("family_name", flat=True)) == ["Morgan", "Smith"]
    problems = {(p["line"], p["field"]) for p in job.problems}
    assert problems == {
        (3, "given_names"),
        (4, "date_of_birth"),
        (5, "nhs_number"),
        (6, "postcode"),
        (7, "source_record_id"),
    }
    assert "also on line 2" in next(p["message"] for p in job.problems if p["line"] == 7)
    assert job.bad_count == 5


def test_running_the_same_file_twice_creates_nothing_new(cast: Cast) -> None:
    run(cast, MIXED)
    again = run(cast, MIXED)
    assert again.created_count == 0
    assert again.existing_count == 2
    assert Person.objects.count() == 2


def test_all_or_nothing_imports_nothing_when_a_row_is_bad(cast: Cast) -> None:
    job = run(cast, MIXED, mode=ImportMode.ALL_OR_NOTHING)
    assert job.status == ImportStatus.FAILED
    assert "Nothing was imported" in job.summary
    assert not Person.objects.exists()


def test_dry_run_saves_nothing_but_says_what_would_happen(cast: Cast) -> None:
    job = run(cast, MIXED, dry_run=True)
    assert not Person.objects.exists()
    assert "2 rows would be added" in job.summary


def test_a_killed_import_can_be_rerun_and_ends_with_every_row_once(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = ["source_record_id,given_names,family_name"] + [
        f"R{n},Child{n},Family{n}" for n in range(10)
    ]
    content = "\n".join(lines).encode()
    agency = cast.members[next(iter(cast.members))].agency
    job = services.start_import(
        actor=None,
        agency=agency,
        file_name="big.csv",
        content=content,
        mode=ImportMode.GOOD_ROWS,
        dry_run=False,
    )
    monkeypatch.setattr(services, "BATCH_SIZE", 3)
    original = services._import_batch
    calls = {"n": 0}

    def dies_on_the_third_batch(job, rows):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt("the worker was killed")
        original(job, rows)

    monkeypatch.setattr(services, "_import_batch", dies_on_the_third_batch)
    with pytest.raises(KeyboardInterrupt):
        services.run_import(job.pk)
    assert Person.objects.count() == 6  # two batches committed
    monkeypatch.setattr(services, "_import_batch", original)
    finished = services.run_import(job.pk)
    assert finished.status == ImportStatus.DONE
    assert Person.objects.count() == 10
    assert ExternalRecord.objects.count() == 10
    assert sorted(ExternalRecord.objects.values_list("source_record_id", flat=True)) == sorted(
        f"R{n}" for n in range(10)
    )


def test_windows_1252_file_with_a_bom_free_header_imports_with_a_notice(cast: Cast) -> None:
    job = run(cast, "source_record_id,given_names,family_name\nW1,Zoë,Brontë\n".encode("cp1252"))
    assert job.created_count == 1
    assert "Windows-1252" in job.notice
    assert Person.objects.get().given_names == "Zoë"


def test_wrong_headers_fail_the_whole_file_clearly(cast: Cast) -> None:
    job = run(cast, "id,name\n1,Kai\n")
    assert job.status == ImportStatus.FAILED
    assert job.problems[0]["line"] == 1
    assert "source_record_id" in job.problems[0]["message"]


def test_oversized_and_empty_files_are_refused_before_storing(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CLEARSIGHT_IMPORT_MAX_MB = 1
    agency = cast.members[next(iter(cast.members))].agency
    with pytest.raises(InvalidInput, match="largest file you can import is 1 MB"):
        services.start_import(
            actor=None,
            agency=agency,
            file_name="x.csv",
            content=b"x" * (2 * 1024 * 1024),
            mode="good_rows",
            dry_run=False,
        )
    with pytest.raises(InvalidInput, match="empty"):
        services.start_import(
            actor=None,
            agency=agency,
            file_name="x.csv",
            content=b"  ",
            mode="good_rows",
            dry_run=False,
        )


def test_import_is_audited_as_one_event_plus_each_created_record(cast: Cast) -> None:
    job = run(cast, MIXED)
    assert AuditEvent.objects.filter(action="import.finished", object_id=str(job.pk)).count() == 1
    assert (
        AuditEvent.objects.filter(action="person.created", details__import_job_id=job.pk).count()
        == 2
    )


def test_an_unexpected_error_marks_the_job_failed_so_the_page_stops_waiting(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clearsight.imports.models import ImportJob

    agency = cast.members[next(iter(cast.members))].agency
    job = services.start_import(
        actor=None,
        agency=agency,
        file_name="x.csv",
        content=b"source_record_id,given_names,family_name\nA,B,C\n",
        mode="good_rows",
        dry_run=False,
    )

    def broken(job, rows):  # type: ignore[no-untyped-def]
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_import_batch", broken)
    with pytest.raises(RuntimeError):
        services.run_import(job.pk)
    job = ImportJob.objects.get(pk=job.pk)
    assert job.status == ImportStatus.FAILED
    assert "upload the file again" in job.summary


def test_a_finished_import_deletes_its_uploaded_file(cast: Cast) -> None:
    from pathlib import Path

    job = run(cast, MIXED)
    assert not Path(job.stored_path).exists()


def test_an_overlong_address_is_a_bad_row_not_a_crash(cast: Cast) -> None:
    job = run(
        cast,
        "source_record_id,given_names,family_name,address_line_1,postcode\nL1,Kai,Morgan,"
        + "x" * 300
        + ",LS1 4AP\n",
    )
    assert job.status == ImportStatus.DONE
    assert job.problems[0]["field"] == "address_line_1"
