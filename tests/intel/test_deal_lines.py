from __future__ import annotations

import io
import random
from datetime import UTC, datetime, timedelta

import pytest

from clearsight.intel.deal_lines import (
    CallRecord,
    CdrFileProblem,
    ContactCounter,
    RowProblem,
    read_records,
)

DEAL_LINE = "+447700900001"
CHILD = "+447700900500"


def drama(n: int) -> str:
    return f"+447700900{n:03d}"


def generated_records(seed: int = 7) -> list[CallRecord]:
    """A deal line that sends two flare bursts to 40 customers and takes short calls,
    one child's number among them, and ordinary people calling a few friends."""
    rng = random.Random(seed)
    start = datetime(2026, 3, 1, 9, tzinfo=UTC)
    customers = [drama(100 + i) for i in range(40)]
    records = []
    for burst in range(2):
        at = start + timedelta(days=burst)
        for i, customer in enumerate(customers):
            records.append(
                CallRecord(DEAL_LINE, customer, at + timedelta(seconds=5 * i), "message", 0)
            )
    for customer in customers:
        records.append(CallRecord(customer, DEAL_LINE, start + timedelta(hours=3), "call", 25))
    records.append(CallRecord(DEAL_LINE, CHILD, start + timedelta(hours=5), "call", 30))
    for person in range(200, 260):
        for _ in range(5):
            friend = drama(rng.randrange(200, 260))
            if friend != drama(person):
                records.append(
                    CallRecord(drama(person), friend, start, "call", rng.randrange(60, 900))
                )
    return records


def test_the_generated_deal_line_is_found_and_nobody_else() -> None:
    counter = ContactCounter().add_all(generated_records())
    found = counter.likely_deal_lines()
    assert [line.number for line in found] == [DEAL_LINE]
    assert found[0].flare_bursts == 2
    assert found[0].distinct_contacts == 41


def test_childrens_numbers_in_contact_with_a_deal_line_are_listed() -> None:
    counter = ContactCounter().add_all(generated_records())
    assert counter.in_contact_with([DEAL_LINE], [CHILD, drama(999)]) == {DEAL_LINE: {CHILD}}


def test_contacts_are_counted_per_pair() -> None:
    counter = ContactCounter().add_all(generated_records())
    assert counter.pairs[(DEAL_LINE, drama(100))].count == 2


def test_rows_are_read_lazily_with_a_message_for_each_bad_row() -> None:
    text = (
        "from,to,time,type,duration\n"
        "07700 900001,07700 900100,2026-03-01T09:00:00,sms,0\n"
        "12345,07700 900100,2026-03-01T09:00:00,sms,0\n"
        "07700 900001,07700 900001,2026-03-01T09:00:00,call,3\n"
        "07700 900001,07700 900100,yesterday,call,3\n"
    )
    rows = list(read_records(io.StringIO(text)))
    assert isinstance(rows[0][1], CallRecord)
    assert all(isinstance(row, RowProblem) for _, row in rows[1:])
    assert "phone number" in rows[1][1].message.lower()


def test_a_file_without_the_columns_is_refused() -> None:
    with pytest.raises(CdrFileProblem, match="duration"):
        list(read_records(io.StringIO("from,to,time,type\n")))
