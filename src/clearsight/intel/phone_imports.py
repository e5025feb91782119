"""Phone data imports: a file of call and message records (CDRs) read in a background
job as a stream, turned into links between numbers with contact counts, and searched
for numbers that behave like deal lines and for children's numbers in contact with them.

Memory stays bounded however large the file and however many numbers each sender
contacts: rows are read one at a time, checked, and copied (``BATCH_ROWS`` at a time,
with the progress) into an unlogged staging table for this import; the pair counts,
the new register entries and the deal-line patterns are then worked out by PostgreSQL
in a few statements, and the table is dropped. The rules are those of
``deal_lines.ContactCounter``; decision 0010 records the measured rate and memory.

Every link made here is *proposed* (``ProposedFrom.PHONE_DATA``) and the deal-line
patterns are listed on the import for an analyst: nothing is recorded as fact until an
analyst accepts it (College of Policing APP, intelligence management: evaluate before
use). A re-run (after a crash or a retry) starts the file again: the links the earlier
run made for this import are removed first, so every count ends up right exactly once."""

from __future__ import annotations

import io
import logging
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.policy import may_import_phone_data
from clearsight.audit import services as audit
from clearsight.core.errors import InvalidInput, PermissionDeniedError
from clearsight.intel.deal_lines import (
    CdrFileProblem,
    RowProblem,
    read_records,
)
from clearsight.intel.import_patterns import import_ref, likely_deal_lines, with_children
from clearsight.intel.models import (
    HandlingCode,
    IntelligenceAssessment,
    Link,
    LinkType,
    NodeKind,
    PhoneDataImport,
    PhoneImportStatus,
    PhoneStatus,
    ProposedFrom,
    ReviewStatus,
    SourceEvaluation,
)

logger = logging.getLogger(__name__)

BATCH_ROWS = 5_000
MAX_PROBLEMS_KEPT = 1_000
MAX_LINES_LISTED = 50
# Five million rows of CDRs is about 300 MB; this leaves room without inviting a dump
# of a whole network's traffic.
MAX_MEGABYTES = 1_024


def import_dir() -> Path:
    """Call records are personal data: readable by the service's own user only, and
    each file is deleted when its import has finished."""
    path = Path(settings.CLEARSIGHT_IMPORT_DIR) / "phone-data"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def start_phone_import(
    *, actor: Actor, file_name: str, chunks: Iterable[bytes], source: str
) -> PhoneDataImport:
    """Store the uploaded file chunk by chunk and create its import (the caller queues
    the job on commit). Intelligence analysts only."""
    if not may_import_phone_data(actor):
        raise PermissionDeniedError("Only intelligence analysts can import phone data.")
    source = " ".join(source.split())
    if not source:
        raise InvalidInput(
            {"source": "Enter where the records came from, like the provider and reference"}
        )
    path = import_dir() / f"{uuid.uuid4().hex}.csv"
    path.touch(mode=0o600)
    size = 0
    limit = MAX_MEGABYTES * 1024 * 1024
    with path.open("wb") as stored:
        for chunk in chunks:
            size += len(chunk)
            if size > limit:
                break
            stored.write(chunk)
    if size > limit or size == 0:
        path.unlink(missing_ok=True)
        raise InvalidInput(
            {
                "file": "The file is empty"
                if size == 0
                else f"The file is larger than {MAX_MEGABYTES} MB: split it into smaller files"
            }
        )
    with transaction.atomic():
        phone_import = PhoneDataImport.objects.create(
            area_id=actor.area_id,
            file_name=Path(file_name).name[:255],
            stored_path=str(path),
            source=source[:300],
            total_bytes=size,
            created_by=actor.user,
            created_by_membership=actor.membership,
        )
        audit.record(
            action="intel.phone_import.started",
            actor=actor,
            target=phone_import,
            details={"bytes": size},
        )
    return phone_import


def run_phone_import(import_id: int) -> PhoneDataImport:
    """Run (or run again) one import. Safe to run twice: a finished import is left as
    it is, and an unfinished one starts again from the first row."""
    phone_import = PhoneDataImport.objects.select_related(
        "created_by", "created_by_membership"
    ).get(pk=import_id)
    if phone_import.is_finished:
        return phone_import
    _remove_links(phone_import)
    phone_import.status = PhoneImportStatus.RUNNING
    phone_import.processed_bytes = phone_import.processed_rows = phone_import.bad_rows = 0
    phone_import.links_made = 0
    phone_import.problems = []
    phone_import.save()
    try:
        return _run(phone_import)
    except CdrFileProblem as error:
        return _finish(
            phone_import,
            PhoneImportStatus.FAILED,
            summary=str(error),
            problems=[{"line": 1, "message": str(error)}],
        )
    except Exception:
        # Recorded so the page stops waiting; re-raised for the worker's log and retry.
        logger.exception("Phone data import %s stopped by an unexpected error", phone_import.pk)
        _remove_links(phone_import)
        _finish(
            phone_import,
            PhoneImportStatus.FAILED,
            summary="The import stopped because of an unexpected problem and nothing from it "
            "was kept. Upload the file again.",
        )
        raise


def _remove_links(phone_import: PhoneDataImport) -> None:
    Link.objects.filter(
        area_id=phone_import.area_id,
        proposed_from=ProposedFrom.PHONE_DATA,
        proposed_ref=import_ref(phone_import),
    ).delete()


def _staging_table(phone_import: PhoneDataImport) -> str:
    return f"intel_cdr_staging_{int(phone_import.pk)}"


def _run(phone_import: PhoneDataImport) -> PhoneDataImport:
    table = _staging_table(phone_import)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        # Unlogged: the rows are a working copy, rebuilt from the file on a re-run.
        cursor.execute(
            f"CREATE UNLOGGED TABLE {table} (caller text NOT NULL, callee text NOT NULL, "
            "at timestamptz NOT NULL, day date NOT NULL, is_message boolean NOT NULL, "
            "duration integer NOT NULL)"
        )
    try:
        _stage_rows(phone_import, table)
        with transaction.atomic():
            _register_numbers(phone_import, table)
            phone_import.links_made = _make_links(phone_import, table)
            lines = likely_deal_lines(table)[:MAX_LINES_LISTED]
            phone_import.likely_deal_lines = with_children(phone_import, lines)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
    return _finish(phone_import, PhoneImportStatus.DONE, summary=_summary(phone_import))


def _stage_rows(phone_import: PhoneDataImport, table: str) -> None:
    """Read the file row by row, keep each problem (up to MAX_PROBLEMS_KEPT), and copy
    the good rows into the staging table BATCH_ROWS at a time, saving the progress."""
    batch = io.StringIO()
    in_batch = 0
    with Path(phone_import.stored_path).open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
        for line, item in read_records(text):
            phone_import.processed_rows += 1
            if isinstance(item, RowProblem):
                phone_import.bad_rows += 1
                if len(phone_import.problems) < MAX_PROBLEMS_KEPT:
                    phone_import.problems.append({"line": line, "message": item.message})
            else:
                batch.write(
                    f"{item.caller}\t{item.callee}\t{item.at.isoformat()}\t"
                    f"{item.at.date().isoformat()}\t{'t' if item.kind == 'message' else 'f'}"
                    f"\t{item.duration_seconds}\n"
                )
            in_batch += 1
            if in_batch >= BATCH_ROWS:
                _copy_batch(phone_import, table, batch, raw.tell())
                batch, in_batch = io.StringIO(), 0
        _copy_batch(phone_import, table, batch, phone_import.total_bytes)


def _copy_batch(
    phone_import: PhoneDataImport, table: str, batch: io.StringIO, position: int
) -> None:
    with transaction.atomic():
        with connection.cursor() as cursor, cursor.copy(f"COPY {table} FROM STDIN") as copy:
            copy.write(batch.getvalue())
        phone_import.processed_bytes = min(position, phone_import.total_bytes)
        phone_import.save(
            update_fields=["processed_bytes", "processed_rows", "bad_rows", "problems"]
        )


def _register_numbers(phone_import: PhoneDataImport, table: str) -> None:
    """Every number in the file gets a register entry (not a deal line) if it has none."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO intel_phonenumber (
                area_id, number, is_deal_line, line_name, status, closure_type, notes,
                created_by_id, created_at, version
            )
            SELECT %(area)s, number, false, '', %(status)s, '', %(notes)s, %(user)s, %(now)s, 1
            FROM (SELECT caller AS number FROM {table} UNION SELECT callee FROM {table}) n
            ORDER BY number
            ON CONFLICT (area_id, number) DO NOTHING
            """,  # noqa: S608 - the table name is made from the import's id
            {
                "area": phone_import.area_id,
                "status": PhoneStatus.ACTIVE.value,
                "notes": f"First seen in phone data import {phone_import.pk}",
                "user": phone_import.created_by_id,
                "now": timezone.now(),
            },
        )


def _make_links(phone_import: PhoneDataImport, table: str) -> int:
    """One proposed link per pair of numbers with its contact count and first and last
    day; returns how many links are new."""
    with connection.cursor() as cursor:
        cursor.execute(
            _LINKS.format(table=table),
            {
                "area": phone_import.area_id,
                "kind": NodeKind.PHONE.value,
                "link_type": LinkType.CONTACTED.value,
                "source": f"Phone data import {phone_import.pk}: {phone_import.source}"[:300],
                "evaluation": SourceEvaluation.UNTESTED.value,
                "assessment": IntelligenceAssessment.KNOWN_INDIRECTLY.value,
                "handling": HandlingCode.PERMITTED.value,
                "status": ReviewStatus.PROPOSED.value,
                "proposed_from": ProposedFrom.PHONE_DATA.value,
                "ref": import_ref(phone_import),
                "user": phone_import.created_by_id,
                "now": timezone.now(),
            },
        )
        return int(cursor.fetchone()[0])


# xmax is 0 on a row this statement inserted and not 0 on one it updated; only the
# count of new links comes back, however many pairs there are.
_LINKS = """
WITH pairs AS (
    SELECT caller, callee, count(*) AS contacts, min(day) AS first_on, max(day) AS last_on
    FROM {table} GROUP BY caller, callee
), saved AS (
    INSERT INTO intel_link (
        area_id, from_kind, from_id, to_kind, to_id, link_type, valid_from, valid_to,
        source, source_evaluation, intelligence_assessment, handling_code, contact_count,
        review_status, proposed_from, proposed_ref, note, recorded_by_id, recorded_at, version
    )
    SELECT %(area)s, %(kind)s, a.id, %(kind)s, b.id, %(link_type)s,
           pairs.first_on, pairs.last_on, %(source)s, %(evaluation)s, %(assessment)s,
           %(handling)s, pairs.contacts, %(status)s, %(proposed_from)s, %(ref)s, '',
           %(user)s, %(now)s, 1
    FROM pairs
    JOIN intel_phonenumber a ON a.area_id = %(area)s AND a.number = pairs.caller
    JOIN intel_phonenumber b ON b.area_id = %(area)s AND b.number = pairs.callee
    ON CONFLICT (area_id, from_kind, from_id, to_kind, to_id, link_type, proposed_ref)
        WHERE proposed_from = 'phone_data'
    DO UPDATE SET
        contact_count = intel_link.contact_count + EXCLUDED.contact_count,
        valid_from = LEAST(intel_link.valid_from, EXCLUDED.valid_from),
        valid_to = GREATEST(intel_link.valid_to, EXCLUDED.valid_to)
    RETURNING (xmax = 0) AS is_new
)
SELECT count(*) FILTER (WHERE is_new) FROM saved
"""


def _summary(phone_import: PhoneDataImport) -> str:
    lines = len(phone_import.likely_deal_lines)
    children = sum(len(line["children"]) for line in phone_import.likely_deal_lines)
    return (
        f"{phone_import.processed_rows} rows read, {phone_import.bad_rows} with problems. "
        f"{phone_import.links_made} links between numbers proposed for review. "
        f"{lines} {'number behaves' if lines == 1 else 'numbers behave'} like a deal line; "
        f"{children} {'child’s number is' if children == 1 else 'children’s numbers are'} "
        "in contact with them."
    )


def _finish(
    phone_import: PhoneDataImport,
    status: str,
    *,
    summary: str,
    problems: list[dict[str, Any]] | None = None,
) -> PhoneDataImport:
    phone_import.status = status
    phone_import.summary = summary
    if problems is not None:
        phone_import.problems = problems
    phone_import.processed_bytes = phone_import.total_bytes
    phone_import.finished_at = timezone.now()
    phone_import.save()
    # Finished for good: the call records themselves go; the counts stay as links.
    Path(phone_import.stored_path).unlink(missing_ok=True)
    audit.record(
        action="intel.phone_import.finished",
        user=phone_import.created_by,
        area=phone_import.area,
        target=phone_import,
        details={
            "status": status,
            "rows": phone_import.processed_rows,
            "bad_rows": phone_import.bad_rows,
            "links": phone_import.links_made,
            "likely_deal_lines": [line["phone_id"] for line in phone_import.likely_deal_lines],
        },
    )
    return phone_import
