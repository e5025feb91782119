"""Reading call and message records (CDRs) one row at a time, counting contacts between
numbers, and spotting numbers that behave like deal lines, for an analyst to review.

Plain Python, no Django import. Nothing here decides that a number is a deal line: it
lists numbers worth an analyst's look, with the reasons, and the children's numbers in
contact with them (each such contact is a risk to that child).

A deal line messages many numbers, often in "flare" bursts (the same advert sent to the
whole customer list within minutes), and its calls are many, distinct and short."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import IO

from clearsight.people.identifiers import IdentifierError, normalise_phone

CDR_COLUMNS = ("from", "to", "time", "type", "duration")
RECORD_TYPES = {"call": "call", "voice": "call", "sms": "message", "message": "message"}

FLARE_WINDOW_SECONDS = 600
FLARE_MIN_MESSAGES = 20
SHORT_CALL_SECONDS = 60
MIN_DISTINCT_CONTACTS = 30
MIN_FLARES = 2
MIN_SHORT_CALL_SHARE = 0.6


class CdrFileProblem(ValueError):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass(frozen=True)
class CallRecord:
    caller: str
    callee: str
    at: datetime
    kind: str  # "call" or "message"
    duration_seconds: int


@dataclass(frozen=True)
class RowProblem:
    line: int
    message: str


def read_records(stream: IO[str]) -> Iterator[tuple[int, CallRecord | RowProblem]]:
    """(line number, record or problem) for each data row, read lazily from a text
    stream: a file of millions of rows is never held in memory."""
    reader = csv.reader(stream)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise CdrFileProblem("The file is empty: it needs a header row and records.") from None
    missing = [name for name in CDR_COLUMNS if name not in header]
    if missing:
        raise CdrFileProblem(
            f"The first row must name the columns {', '.join(CDR_COLUMNS)}; "
            f"it has no {', '.join(missing)} column."
        )
    where = {name: header.index(name) for name in CDR_COLUMNS}
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise CdrFileProblem(
                f"Line {reader.line_num} cannot be read as CSV ({error}). Records before it "
                "were read; correct the file and upload it again."
            ) from error
        if not any(value.strip() for value in values):
            continue
        yield reader.line_num, parse_row(values, where)


# The same few thousand numbers recur through millions of rows: parsing each once keeps
# a 5 million row file to minutes. The cache is bounded (about 5 MB when full), so
# memory stays bounded too.
_phone = lru_cache(maxsize=20_000)(normalise_phone)


def parse_row(values: list[str], where: dict[str, int]) -> CallRecord | RowProblem:
    def get(name: str) -> str:
        index = where[name]
        return values[index].strip() if index < len(values) else ""

    numbers = []
    for column in ("from", "to"):
        try:
            numbers.append(_phone(get(column)))
        except IdentifierError as error:
            return RowProblem(0, f"Phone number in the {column} column: {error}")
    caller, callee = numbers
    if caller == callee:
        return RowProblem(0, "The from and to numbers are the same")
    try:
        at = datetime.fromisoformat(get("time"))
    except ValueError:
        return RowProblem(0, "Time must be a date and time like 2026-03-01T14:05:00")
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    kind = RECORD_TYPES.get(get("type").lower())
    if kind is None:
        return RowProblem(0, "Type must be call or sms")
    duration = get("duration") or "0"
    if not duration.isdigit():
        return RowProblem(0, "Duration must be a whole number of seconds")
    return CallRecord(caller, callee, at, kind, int(duration))


@dataclass
class PairCount:
    count: int
    first_on: date
    last_on: date


@dataclass
class _Sender:
    contacts: set[str] = field(default_factory=set)
    messages_by_window: dict[int, int] = field(default_factory=dict)
    calls: int = 0
    short_calls: int = 0


@dataclass(frozen=True)
class LikelyDealLine:
    number: str
    distinct_contacts: int
    flare_bursts: int
    short_call_share: float

    @property
    def reasons(self) -> list[str]:
        reasons = [f"contacted {self.distinct_contacts} different numbers"]
        if self.flare_bursts:
            reasons.append(
                f"{self.flare_bursts} bursts of {FLARE_MIN_MESSAGES} or more messages "
                f"within {FLARE_WINDOW_SECONDS // 60} minutes"
            )
        reasons.append(f"{self.short_call_share:.0%} of calls under {SHORT_CALL_SECONDS} seconds")
        return reasons


class ContactCounter:
    """The rules in plain Python: counts contacts per pair of numbers and per sender,
    one record at a time, for the tests' known answers. Its memory grows with the
    distinct pairs, so a phone data import applies the same rules in PostgreSQL
    instead (``import_patterns._DEAL_LINES``), over a staging table."""

    def __init__(self) -> None:
        self.pairs: dict[tuple[str, str], PairCount] = {}
        self._senders: dict[str, _Sender] = {}

    def add(self, record: CallRecord) -> None:
        key = (record.caller, record.callee)
        day = record.at.date()
        pair = self.pairs.get(key)
        if pair is None:
            self.pairs[key] = PairCount(1, day, day)
        else:
            pair.count += 1
            pair.first_on = min(pair.first_on, day)
            pair.last_on = max(pair.last_on, day)
        sender = self._senders.setdefault(record.caller, _Sender())
        sender.contacts.add(record.callee)
        if record.kind == "message":
            window = int(record.at.timestamp()) // FLARE_WINDOW_SECONDS
            sender.messages_by_window[window] = sender.messages_by_window.get(window, 0) + 1
        else:
            sender.calls += 1
            sender.short_calls += record.duration_seconds < SHORT_CALL_SECONDS

    def add_all(self, records: Iterable[CallRecord]) -> ContactCounter:
        for record in records:
            self.add(record)
        return self

    def likely_deal_lines(self) -> list[LikelyDealLine]:
        """Numbers with many distinct contacts and either flare bursts or mostly short
        calls, most contacts first."""
        found = []
        for number, sender in self._senders.items():
            if len(sender.contacts) < MIN_DISTINCT_CONTACTS:
                continue
            flares = sum(
                1 for count in sender.messages_by_window.values() if count >= FLARE_MIN_MESSAGES
            )
            short_share = sender.short_calls / sender.calls if sender.calls else 0.0
            if flares >= MIN_FLARES or short_share >= MIN_SHORT_CALL_SHARE:
                found.append(LikelyDealLine(number, len(sender.contacts), flares, short_share))
        return sorted(found, key=lambda line: (-line.distinct_contacts, line.number))

    def in_contact_with(
        self, numbers: Iterable[str], watched: Iterable[str]
    ) -> dict[str, set[str]]:
        """For each of ``numbers`` (likely deal lines), which ``watched`` numbers (the
        children's) it was in contact with, either way round."""
        lines = set(numbers)
        children = set(watched)
        contacts: dict[str, set[str]] = {line: set() for line in lines}
        for caller, callee in self.pairs:
            if caller in lines and callee in children:
                contacts[caller].add(callee)
            elif callee in lines and caller in children:
                contacts[callee].add(caller)
        return contacts
