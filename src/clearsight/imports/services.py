"""Bulk import of person records from an agency's CSV.

Idempotent on (agency, source record id): a row already imported is skipped, so the same
file can be run twice, or re-run after being killed half-way, and every row ends up
imported exactly once. Each batch commits with its progress; "all or nothing" runs in
one transaction and imports nothing if any row is bad."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.policy import can
from clearsight.access.roles import Capability
from clearsight.areas.models import Agency
from clearsight.audit import services as audit
from clearsight.core.errors import InvalidInput, PermissionDeniedError
from clearsight.imports import csv_rows
from clearsight.imports.models import ImportJob, ImportMode, ImportStatus
from clearsight.people.models import ExternalRecord
from clearsight.people.services import create_record
from clearsight.people.validation import NewPerson, validate_new_person

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
MAX_PROBLEMS_KEPT = 1000


def max_bytes() -> int:
    return int(settings.CLEARSIGHT_IMPORT_MAX_MB) * 1024 * 1024


def import_dir() -> Path:
    """Uploaded files hold personal data: the folder and files are readable by the
    service's own user only, and each file is deleted when its import has finished."""
    path = Path(settings.CLEARSIGHT_IMPORT_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


@transaction.atomic
def start_import(
    *,
    actor: Actor | None,
    agency: Agency,
    file_name: str,
    content: bytes,
    mode: str,
    dry_run: bool,
) -> ImportJob:
    """Store the uploaded file and create its job (the caller queues or runs it)."""
    if actor is not None:
        if not can(actor, Capability.IMPORT_RECORDS):
            raise PermissionDeniedError("Your role cannot import records.")
        if agency.area_id != actor.area_id:
            raise InvalidInput({"agency": "Choose an agency in your area"})
    if len(content) > max_bytes():
        size_mb = len(content) / 1024 / 1024
        raise InvalidInput(
            {
                "file": f"The file is {size_mb:.0f} MB. The largest file you can import is "
                f"{settings.CLEARSIGHT_IMPORT_MAX_MB} MB: split it into smaller files."
            }
        )
    if not content.strip():
        raise InvalidInput({"file": "The file is empty"})
    if mode not in ImportMode.values:
        raise InvalidInput({"mode": "Choose how to treat rows with problems"})
    path = import_dir() / f"{uuid.uuid4().hex}.csv"
    path.touch(mode=0o600)
    path.write_bytes(content)
    job = ImportJob.objects.create(
        agency=agency,
        created_by=actor.user if actor else None,
        created_by_membership=actor.membership if actor else None,
        file_name=Path(file_name).name[:255],
        stored_path=str(path),
        mode=mode,
        dry_run=dry_run,
    )
    audit.record(
        action="import.started",
        actor=actor,
        area=agency.area,
        target=job,
        details={"agency_id": agency.pk, "mode": mode, "dry_run": dry_run, "bytes": len(content)},
    )
    return job


@dataclass
class GoodRow:
    line: int
    source_record_id: str
    person: NewPerson


def _problem(line: int, field: str, message: str) -> dict[str, object]:
    return {"line": line, "field": field, "message": message}


def check_rows(text: str) -> tuple[list[GoodRow], list[dict[str, object]], int]:
    """Validate every row: (good rows, problems with line numbers, number of rows)."""
    good: list[GoodRow] = []
    problems: list[dict[str, object]] = []
    seen: dict[str, int] = {}
    total = 0
    for line, row in csv_rows.rows(text):
        total += 1
        row_problems = []
        source_id = row.get("source_record_id", "")
        if not source_id:
            row_problems.append(
                _problem(line, "source_record_id", "Enter the record id from your system")
            )
        elif len(source_id) > 100:
            row_problems.append(
                _problem(line, "source_record_id", "The record id must be 100 characters or fewer")
            )
        elif source_id in seen:
            row_problems.append(
                _problem(
                    line, "source_record_id", f"This record id is also on line {seen[source_id]}"
                )
            )
        else:
            seen[source_id] = line
        try:
            born = csv_rows.parse_date(row.get("date_of_birth", ""))
        except ValueError as error:
            born = None
            row_problems.append(_problem(line, "date_of_birth", str(error)))
        try:
            sex = csv_rows.parse_sex(row.get("sex", ""))
        except ValueError as error:
            sex = "unknown"
            row_problems.append(_problem(line, "sex", str(error)))
        person = NewPerson(
            given_names=row.get("given_names", ""),
            family_name=row.get("family_name", ""),
            preferred_name=row.get("preferred_name", ""),
            date_of_birth=born,
            sex=sex,
            nhs_number=row.get("nhs_number", ""),
            upn=row.get("upn", ""),
            phone=row.get("phone", ""),
            address_line_1=row.get("address_line_1", ""),
            postcode=row.get("postcode", ""),
        )
        try:
            validate_new_person(person)
        except InvalidInput as error:
            row_problems.extend(
                _problem(line, field, message) for field, message in error.errors.items()
            )
        if row_problems:
            problems.extend(row_problems)
        else:
            good.append(GoodRow(line=line, source_record_id=source_id, person=person))
    return good, problems, total


def run_import(job_id: int) -> ImportJob:
    """Run (or resume) an import job. Safe to run twice."""
    job = ImportJob.objects.select_related("agency__area").get(pk=job_id)
    if job.is_finished:
        return job
    # A re-run (after a crash) counts afresh: rows added before show as already there.
    job.status = ImportStatus.RUNNING
    job.started_at = job.started_at or timezone.now()
    job.created_count = job.existing_count = job.processed_rows = 0
    job.save(
        update_fields=["status", "started_at", "created_count", "existing_count", "processed_rows"]
    )
    try:
        return _run(job)
    except csv_rows.FileProblem as error:
        return _finish(
            job, ImportStatus.FAILED, problems=[_problem(1, "file", str(error))], summary=str(error)
        )
    except Exception:
        # Recorded so the page stops waiting and says what to do; the error is re-raised
        # for the worker's log and retry policy, never hidden.
        logger.exception("Import %s stopped by an unexpected error", job.pk)
        _finish(
            job,
            ImportStatus.FAILED,
            summary="The import stopped because of an unexpected problem. Rows already added "
            "are kept; upload the file again to add the rest.",
        )
        raise


def _run(job: ImportJob) -> ImportJob:
    decoded = csv_rows.decode(Path(job.stored_path).read_bytes())
    good, problems, total = check_rows(decoded.text)
    job.notice = decoded.notice
    job.total_rows = total
    job.bad_count = len({p["line"] for p in problems})
    job.problems = problems[:MAX_PROBLEMS_KEPT]
    job.save(update_fields=["notice", "total_rows", "bad_count", "problems"])
    if job.mode == ImportMode.ALL_OR_NOTHING and problems:
        return _finish(
            job,
            ImportStatus.FAILED,
            summary=f"Nothing was imported: {job.bad_count} of {_rows(total)} have problems. "
            "Correct them and upload the file again.",
        )
    if job.dry_run:
        existing = ExternalRecord.objects.filter(
            agency=job.agency, source_record_id__in=[row.source_record_id for row in good]
        ).count()
        return _finish(
            job,
            ImportStatus.DONE,
            summary=f"Check only, nothing was saved: {len(good) - existing} rows would be added, "
            f"{existing} are already in Clearsight and {job.bad_count} have problems.",
        )
    if job.mode == ImportMode.ALL_OR_NOTHING:
        with transaction.atomic():
            _import_batch(job, good)
    else:
        for start in range(0, len(good), BATCH_SIZE):
            with transaction.atomic():
                _import_batch(job, good[start : start + BATCH_SIZE])
    return _finish(
        job,
        ImportStatus.DONE,
        summary=f"{job.created_count} added, {job.existing_count} already in Clearsight, "
        f"{_rows(job.bad_count)} with problems not imported.",
    )


def _import_batch(job: ImportJob, rows: list[GoodRow]) -> None:
    known = set(
        ExternalRecord.objects.filter(
            agency=job.agency, source_record_id__in=[row.source_record_id for row in rows]
        ).values_list("source_record_id", flat=True)
    )
    for row in rows:
        if row.source_record_id in known:
            job.existing_count += 1
            continue
        try:
            with transaction.atomic():
                person = create_record(
                    area=job.agency.area,
                    agency=job.agency,
                    data=row.person,
                    created_by=job.created_by,
                )
                ExternalRecord.objects.create(
                    person=person, agency=job.agency, source_record_id=row.source_record_id
                )
        except IntegrityError:
            # Another run imported this record in the meantime: count it, do not repeat it.
            job.existing_count += 1
            continue
        audit.record(
            action="person.created",
            user=job.created_by,
            area=job.agency.area,
            target=person,
            person_id=person.pk,
            details={"import_job_id": job.pk, "line": row.line},
        )
        job.created_count += 1
    job.processed_rows = min(job.total_rows, job.processed_rows + len(rows))
    job.save(update_fields=["created_count", "existing_count", "processed_rows"])


def _finish(
    job: ImportJob, status: str, *, summary: str, problems: list[dict[str, object]] | None = None
) -> ImportJob:
    job.status = status
    job.summary = summary
    if problems is not None:
        job.problems = problems
        job.bad_count = len(problems)
    job.processed_rows = job.total_rows
    job.finished_at = timezone.now()
    job.save()
    if status == ImportStatus.DONE or problems is not None or job.mode == ImportMode.ALL_OR_NOTHING:
        # Finished for good: nothing left to resume, so the personal data goes.
        Path(job.stored_path).unlink(missing_ok=True)
    audit.record(
        action="import.finished",
        user=job.created_by,
        area=job.agency.area,
        target=job,
        details={
            "status": status,
            "created": job.created_count,
            "existing": job.existing_count,
            "bad_rows": job.bad_count,
            "dry_run": job.dry_run,
        },
    )
    logger.info("Import %s finished: %s", job.pk, status)
    return job


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"
