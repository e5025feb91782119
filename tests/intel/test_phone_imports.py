"""Phone data imports: a generated file with known answers, bad rows with their line
numbers, re-runs, permissions, and memory that does not grow with the file."""

from __future__ import annotations

import csv
import io
import random
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from clearsight.access.roles import Role
from clearsight.core.errors import InvalidInput, PermissionDeniedError
from clearsight.intel import deal_lines, phone_imports
from clearsight.intel.models import (
    Link,
    NodeKind,
    PhoneDataImport,
    PhoneImportStatus,
    PhoneNumber,
    ProposedFrom,
    ReviewStatus,
)
from clearsight.people.models import Phone
from clearsight.synth.identifiers import drama_landline as landline
from tests.conftest import Cast
from tests.factories import PersonFactory
from tests.intel.conftest import actor_for
from tests.intel.test_deal_lines import CHILD, DEAL_LINE, drama, generated_records

pytestmark = pytest.mark.django_db

HEADER = "from,to,time,type,duration\n"


def as_csv(records: list) -> str:  # type: ignore[type-arg]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["from", "to", "time", "type", "duration"])
    for r in records:
        kind = "sms" if r.kind == "message" else "call"
        writer.writerow([r.caller, r.callee, r.at.isoformat(), kind, r.duration_seconds])
    return out.getvalue()


def start(cast: Cast, text: str | bytes, role: Role = Role.INTELLIGENCE_ANALYST) -> PhoneDataImport:
    content = text.encode() if isinstance(text, str) else text
    return phone_imports.start_phone_import(
        actor=actor_for(cast, role),
        file_name="records.csv",
        chunks=[content[i : i + 4096] for i in range(0, len(content), 4096)],
        source="Network provider, request 2026/114",
    )


def run(cast: Cast, text: str | bytes) -> PhoneDataImport:
    return phone_imports.run_phone_import(start(cast, text).pk)


@pytest.fixture
def child_with_phone(cast: Cast):  # type: ignore[no-untyped-def]
    child = PersonFactory(area=cast.area, given_names="Riley", family_name="Atrisk")
    Phone.objects.create(person=child, number=CHILD)
    return child


def test_the_generated_file_gives_the_known_deal_line_and_child(
    cast: Cast, child_with_phone
) -> None:  # type: ignore[no-untyped-def]
    records = generated_records()
    done = run(cast, as_csv(records))
    assert done.status == PhoneImportStatus.DONE
    assert done.processed_rows == len(records)
    assert done.bad_rows == 0
    [line] = done.likely_deal_lines
    assert line["number"] == DEAL_LINE
    assert line["flare_bursts"] == 2
    assert line["children"] == [{"person_id": child_with_phone.pk, "number": CHILD, "contacts": 1}]
    assert "1 number behaves like a deal line" in done.summary
    assert not Path(done.stored_path).exists()


def test_links_carry_contact_counts_and_are_only_proposed(cast: Cast, child_with_phone) -> None:  # type: ignore[no-untyped-def]
    done = run(cast, as_csv(generated_records()))
    ids = dict(PhoneNumber.objects.values_list("number", "pk"))
    to_customer = Link.objects.get(
        from_kind=NodeKind.PHONE, from_id=ids[DEAL_LINE], to_id=ids[drama(100)]
    )
    assert to_customer.contact_count == 2
    assert (to_customer.valid_from.isoformat(), to_customer.valid_to.isoformat()) == (
        "2026-03-01",
        "2026-03-02",
    )
    links = Link.objects.filter(proposed_ref=f"phone_import:{done.pk}")
    assert set(links.values_list("review_status", flat=True)) == {ReviewStatus.PROPOSED}
    assert set(links.values_list("proposed_from", flat=True)) == {ProposedFrom.PHONE_DATA}
    pairs = {(r.caller, r.callee) for r in generated_records()}
    # One link per pair of numbers, and one proposed for the child, as a risk to the child.
    assert done.links_made == len(pairs) == links.filter(from_kind=NodeKind.PHONE).count()
    to_child = links.get(from_kind=NodeKind.PERSON)
    assert to_child.from_id == child_with_phone.pk and to_child.to_id == ids[DEAL_LINE]
    assert to_child.note.startswith("Risk to the child")
    # Nothing is recorded as fact: the number is not marked as a deal line.
    assert not PhoneNumber.objects.get(number=DEAL_LINE).is_deal_line


def test_counts_add_up_across_batches(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(phone_imports, "BATCH_ROWS", 3)
    rows = "".join(
        f"07700 900001,07700 900002,2026-03-0{d}T10:00:00,call,30\n" for d in range(1, 8)
    )
    done = run(cast, HEADER + rows)
    [made] = Link.objects.filter(proposed_ref=f"phone_import:{done.pk}")
    assert made.contact_count == 7
    assert (str(made.valid_from), str(made.valid_to)) == ("2026-03-01", "2026-03-07")
    assert done.links_made == 1


def test_bad_rows_are_reported_with_line_numbers_and_the_rest_read(cast: Cast) -> None:
    text = (
        HEADER
        + "07700 900001,07700 900100,2026-03-01T09:00:00,sms,0\n"
        + "12345,07700 900100,2026-03-01T09:00:00,sms,0\n"
        + "07700 900001,07700 900001,2026-03-01T09:00:00,call,3\n"
        + "\n"
        + "07700 900001,07700 900100,yesterday,call,3\n"
        + "07700 900001,07700 900100,2026-03-01T09:00:00,fax,3\n"
        + "07700 900001,07700 900100,2026-03-01T09:00:00,call,three\n"
        + "07700 900002,07700 900100,2026-03-01T09:00:00,call,3\n"
    )
    done = run(cast, text)
    assert done.status == PhoneImportStatus.DONE
    assert (done.processed_rows, done.bad_rows) == (7, 5)
    by_line = {p["line"]: p["message"] for p in done.problems}
    assert sorted(by_line) == [3, 4, 6, 7, 8]
    assert "from column" in by_line[3]
    assert "same" in by_line[4]
    assert "date and time" in by_line[6]
    assert "call or sms" in by_line[7]
    assert "whole number" in by_line[8]
    assert done.links_made == 2


def test_a_file_without_the_columns_fails_with_a_message(cast: Cast) -> None:
    done = run(cast, "caller,callee\n07700 900001,07700 900002\n")
    assert done.status == PhoneImportStatus.FAILED
    assert "from, to, time, type, duration" in done.summary
    assert not Link.objects.exists()


def test_running_an_import_twice_counts_each_row_once(cast: Cast) -> None:
    started = start(cast, HEADER + "07700 900001,07700 900002,2026-03-01T10:00:00,call,30\n")
    # A crash after the first batch leaves the import running with its links saved.
    phone_imports.run_phone_import(started.pk)
    PhoneDataImport.objects.filter(pk=started.pk).update(status=PhoneImportStatus.RUNNING)
    Path(started.stored_path).write_text(
        HEADER + "07700 900001,07700 900002,2026-03-01T10:00:00,call,30\n"
    )
    again = phone_imports.run_phone_import(started.pk)
    assert Link.objects.get(proposed_ref=f"phone_import:{again.pk}").contact_count == 1
    assert phone_imports.run_phone_import(started.pk).links_made == 1


@pytest.mark.parametrize("role", [Role.POLICE_OFFICER, Role.DESIGNATED_SAFEGUARDING_LEAD])
def test_only_an_analyst_may_import_phone_data(cast: Cast, role: Role) -> None:
    with pytest.raises(PermissionDeniedError):
        start(cast, HEADER, role)


def test_an_import_needs_a_file_and_a_source(cast: Cast) -> None:
    with pytest.raises(InvalidInput) as empty:
        start(cast, b"")
    assert "empty" in empty.value.errors["file"]
    with pytest.raises(InvalidInput) as no_source:
        phone_imports.start_phone_import(
            actor=actor_for(cast, Role.INTELLIGENCE_ANALYST),
            file_name="x.csv",
            chunks=[HEADER.encode()],
            source="  ",
        )
    assert "source" in no_source.value.errors


def test_a_file_over_the_limit_is_refused_and_not_kept(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(phone_imports, "MAX_MEGABYTES", 0)
    before = set(phone_imports.import_dir().iterdir())
    with pytest.raises(InvalidInput, match="larger than"):
        start(cast, HEADER)
    assert set(phone_imports.import_dir().iterdir()) == before


def generated_rows(rows: int, senders: int = 10) -> Iterator[str]:
    """Rows made on the fly: a few mobiles each calling thousands of different
    landlines, so the distinct contacts per sender grow with the file."""
    rng = random.Random(11)
    start_at = datetime(2026, 3, 1, tzinfo=UTC)
    yield HEADER
    for i in range(rows):
        at = (start_at + timedelta(seconds=i * 7)).isoformat()
        callee = landline(i // senders % 14_000)
        yield f"{drama(i % senders)},{callee},{at},call,{rng.randrange(1, 50)}\n"


def _import_peak(cast: Cast, tmp_path: Path, rows: int) -> tuple[PhoneDataImport, int, int]:
    path = tmp_path / f"{rows}.csv"
    with path.open("w") as out:
        out.writelines(generated_rows(rows))

    def chunks() -> Iterator[bytes]:
        with path.open("rb") as f:
            while chunk := f.read(64 * 1024):
                yield chunk

    started = phone_imports.start_phone_import(
        actor=actor_for(cast, Role.INTELLIGENCE_ANALYST),
        file_name=path.name,
        chunks=chunks(),
        source="Synthetic",
    )
    # The parsed-number cache is bounded (deal_lines._phone); warmed before measuring.
    for n in range(14_000):
        deal_lines._phone(landline(n))
    tracemalloc.start()
    try:
        done = phone_imports.run_phone_import(started.pk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return done, peak, started.total_bytes


def test_memory_does_not_grow_with_the_rows_or_the_contacts_per_sender(
    cast: Cast, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows go to a staging table in PostgreSQL BATCH_ROWS at a time, so a file with
    three times the rows and the distinct contacts per sender needs no more memory.
    (The 5 million row run is bench/cdr_import.py; decision 0010 has its figures.)"""
    monkeypatch.setattr(phone_imports, "BATCH_ROWS", 2_000)
    small, small_peak, _ = _import_peak(cast, tmp_path, 10_000)
    large, large_peak, size = _import_peak(cast, tmp_path, 30_000)
    assert (small.status, large.status) == (PhoneImportStatus.DONE, PhoneImportStatus.DONE)
    assert large.processed_rows == 30_000 and large.bad_rows == 0
    ref = f"phone_import:{large.pk}"
    assert large.links_made == Link.objects.filter(proposed_ref=ref).count() == 30_000
    counts = Link.objects.filter(proposed_ref=ref).values_list("contact_count", flat=True)
    assert sum(counts) == 30_000
    # Each sender reached 1,000 different numbers in the small file, 3,000 in the large.
    assert [line["distinct_contacts"] for line in small.likely_deal_lines] == [1_000] * 10
    assert [line["distinct_contacts"] for line in large.likely_deal_lines] == [3_000] * 10
    assert large_peak < small_peak * 1.25 + 200_000, (small_peak, large_peak)
    assert large_peak < size / 3, (large_peak, size)
