"""Row shapes and validation rules for the missing-children returns.

Plain Python, no Django import. Two tables:

* the SSDA903 MISSING table of the DfE children looked after return: CHILD, DOB,
  MISSING (M missing, A away from placement without authorisation), MIS_START, MIS_END,
  dates as dd/mm/YYYY;
* the missing-children items of Ofsted's Annex A (ILACS inspection data): the child,
  the episode's start and end, whether a return home interview was offered and whether
  it was accepted.

The rules are those of the DfE's SSDA903 validator that concern the MISSING table alone
(rule numbers and wording from the DfE/Social Finance validator, ``validator903`` /
``lac_validator``):

* 1004 "The start date of the missing episode or episode that the child was away from
  placement without authorisation is not a valid date." MIS_START is also mandatory in
  the specification, so a blank one is reported under the same rule.
* 1005 "The end date of the missing episode ... is not a valid date."
* 1006 "Missing type invalid." (MISSING must be M or A.)
* 567 "The date that the missing episode ... ended is before the date that it started."
* 570 "The date that the child started to be missing ... is after the end of the
  collection year."
* 571 "The date that the child ceased to be missing ... is before the start or after the
  end of the collection year."
* 574 "A new missing/away from placement without authorisation period cannot start when
  the previous ... period is still open. Missing/away from placement without
  authorisation periods should also not overlap." A period may start on the day the
  previous one ended (an "away" that becomes "missing"), and a child has at most one
  open period.
* 586 "Dates of missing periods are before child's date of birth."

Rules that need other SSDA903 tables (575, 577, 578, 581: the episodes of care) do not
apply to this table alone and are left to the DfE's own tool.

Errors carry the line of the CSV file they concern: the header is line 1, so the first
row is line 2, as a spreadsheet shows it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from clearsight.core.spreadsheets import spreadsheet_safe as spreadsheet_safe

DATE_FORMAT = "%d/%m/%Y"
MISSING_COLUMNS = ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END")
ANNEX_A_COLUMNS = ("CHILD", "EPISODE_START", "EPISODE_END", "RHI_OFFERED", "RHI_ACCEPTED")
MISSING_CODES = frozenset({"M", "A"})
YES_NO = frozenset({"Y", "N"})
FIRST_LINE = 2  # the header is line 1

# Characters a spreadsheet reads as the start of a formula (OWASP "CSV injection"),
# including the tab and carriage return some of them skip first.


class RuleError(NamedTuple):
    line: int
    field: str
    message: str


def uk_date(day: date | None) -> str:
    return day.strftime(DATE_FORMAT) if day is not None else ""


def parse_uk_date(text: str) -> date | None:
    """The date written dd/mm/YYYY, or None if the text is not one."""
    try:
        return datetime.strptime(text.strip(), DATE_FORMAT).date()
    except ValueError:
        return None


def child_identifier(person_id: int, la_child_id: str | None) -> str:
    """CHILD: the local authority's own child id where the record has one, otherwise a
    Clearsight id that stays the same from one return to the next."""
    la_child_id = (la_child_id or "").strip()
    return la_child_id or f"CS{person_id}"


@dataclass(frozen=True)
class MissingRow:
    child: str
    date_of_birth: date | None
    kind: str
    started_on: date | None
    ended_on: date | None

    def cells(self) -> dict[str, str]:
        return {
            "CHILD": self.child,
            "DOB": uk_date(self.date_of_birth),
            "MISSING": self.kind,
            "MIS_START": uk_date(self.started_on),
            "MIS_END": uk_date(self.ended_on),
        }


@dataclass(frozen=True)
class AnnexARow:
    child: str
    started_on: date | None
    ended_on: date | None
    rhi_offered: bool
    rhi_accepted: bool

    def cells(self) -> dict[str, str]:
        return {
            "CHILD": self.child,
            "EPISODE_START": uk_date(self.started_on),
            "EPISODE_END": uk_date(self.ended_on),
            "RHI_OFFERED": "Y" if self.rhi_offered else "N",
            "RHI_ACCEPTED": "Y" if self.rhi_accepted else "N",
        }


@dataclass(frozen=True)
class _Period:
    line: int
    child: str
    start: date
    end: date | None


def _dates(
    table: Sequence[Mapping[str, str]],
    start_field: str,
    end_field: str,
    errors: list[RuleError],
) -> list[_Period]:
    """Rules 1004, 1005 and 567; the periods whose dates can be read, for the rest."""
    periods = []
    for line, row in enumerate(table, start=FIRST_LINE):
        raw_start, raw_end = row.get(start_field, "").strip(), row.get(end_field, "").strip()
        start = parse_uk_date(raw_start)
        end = parse_uk_date(raw_end) if raw_end else None
        if not raw_start:
            errors.append(RuleError(line, start_field, "Enter the start date (rule 1004)"))
        elif start is None:
            errors.append(
                RuleError(line, start_field, "The start date is not a valid date (rule 1004)")
            )
        if raw_end and end is None:
            errors.append(
                RuleError(line, end_field, "The end date is not a valid date (rule 1005)")
            )
        if start is not None and end is not None and end < start:
            errors.append(
                RuleError(line, end_field, "The episode ends before it starts (rule 567)")
            )
        if start is not None and (raw_end == "" or end is not None):
            periods.append(_Period(line, row.get("CHILD", "").strip(), start, end))
    return periods


def _overlaps(periods: Iterable[_Period], start_field: str) -> list[RuleError]:
    """Rule 574. Periods of one child are taken in order of start; a period may begin on
    the day the one before it ended, but not before, and not while one is still open."""
    errors = []
    by_child: dict[str, list[_Period]] = {}
    for period in periods:
        by_child.setdefault(period.child, []).append(period)
    for child_periods in by_child.values():
        child_periods.sort(key=lambda p: (p.start, p.end or date.max, p.line))
        open_line: int | None = None
        latest_end: date | None = None
        latest_line = 0
        for period in child_periods:
            if open_line is not None:
                errors.append(
                    RuleError(
                        period.line,
                        start_field,
                        f"The episode on line {open_line} is still open: a child can only "
                        "have one open episode, and a new one cannot start before it ends "
                        "(rule 574)",
                    )
                )
            elif latest_end is not None and period.start < latest_end:
                errors.append(
                    RuleError(
                        period.line,
                        start_field,
                        f"This episode overlaps the one on line {latest_line} (rule 574)",
                    )
                )
            if period.end is None:
                open_line = open_line or period.line
            elif latest_end is None or period.end > latest_end:
                latest_end, latest_line = period.end, period.line
    return errors


def _collection_year(
    periods: Iterable[_Period],
    start_field: str,
    end_field: str,
    collection_start: date | None,
    collection_end: date,
) -> list[RuleError]:
    """Rules 570 and 571: nothing after the end of the collection year, and no episode
    that ended before it began."""
    errors = []
    for period in periods:
        if period.start > collection_end:
            errors.append(
                RuleError(
                    period.line,
                    start_field,
                    f"The episode starts after the end of the period, {uk_date(collection_end)}"
                    " (rule 570)",
                )
            )
        if period.end is not None and (
            period.end > collection_end
            or (collection_start is not None and period.end < collection_start)
        ):
            errors.append(
                RuleError(
                    period.line,
                    end_field,
                    "The episode ends outside the period (rule 571)",
                )
            )
    return errors


def _by_line(errors: list[RuleError]) -> list[RuleError]:
    return sorted(errors, key=lambda e: (e.line, e.field, e.message))


def validate_missing(
    table: Sequence[Mapping[str, str]],
    *,
    collection_end: date,
    collection_start: date | None = None,
) -> list[RuleError]:
    """Every error the DfE rules for the SSDA903 MISSING table find in these rows."""
    errors: list[RuleError] = []
    for line, row in enumerate(table, start=FIRST_LINE):
        if row.get("MISSING", "").strip() not in MISSING_CODES:
            errors.append(RuleError(line, "MISSING", "MISSING must be M or A (rule 1006)"))
        born = parse_uk_date(row.get("DOB", ""))
        started = parse_uk_date(row.get("MIS_START", ""))
        if born is not None and started is not None and started < born:
            errors.append(
                RuleError(
                    line, "MIS_START", "The episode starts before the child's birth (rule 586)"
                )
            )
    periods = _dates(table, "MIS_START", "MIS_END", errors)
    errors += _overlaps(periods, "MIS_START")
    errors += _collection_year(periods, "MIS_START", "MIS_END", collection_start, collection_end)
    return _by_line(errors)


def validate_annex_a(
    table: Sequence[Mapping[str, str]],
    *,
    collection_end: date,
    collection_start: date | None = None,
) -> list[RuleError]:
    """The same date and overlap rules for the Annex A rows, and that an interview was
    only accepted if it was offered."""
    errors: list[RuleError] = []
    for line, row in enumerate(table, start=FIRST_LINE):
        offered, accepted = row.get("RHI_OFFERED", ""), row.get("RHI_ACCEPTED", "")
        for field, value in (("RHI_OFFERED", offered), ("RHI_ACCEPTED", accepted)):
            if value not in YES_NO:
                errors.append(RuleError(line, field, f"{field} must be Y or N"))
        if accepted == "Y" and offered == "N":
            errors.append(
                RuleError(line, "RHI_ACCEPTED", "An interview cannot be accepted if not offered")
            )
    periods = _dates(table, "EPISODE_START", "EPISODE_END", errors)
    errors += _overlaps(periods, "EPISODE_START")
    errors += _collection_year(
        periods, "EPISODE_START", "EPISODE_END", collection_start, collection_end
    )
    return _by_line(errors)
