"""Deadline arithmetic for missing episodes and Return Home Interviews.

Plain Python. Statutory guidance (Children who run away or go missing from home or care,
DfE 2014) asks that a Return Home Interview is offered within 72 hours of the child's
return. 72 hours means elapsed time, so the deadline is computed on the absolute instant
and only shown in UK local time: across a clock change it reads 71 or 73 hours on the
wall clock, which is correct."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

RHI_DUE = timedelta(hours=72)
REMINDERS = (timedelta(hours=48), timedelta(hours=72))
UK = ZoneInfo("Europe/London")


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("Times must carry a time zone")


def rhi_due_at(returned_at: datetime) -> datetime:
    """When the Return Home Interview is due: exactly 72 hours after the return."""
    _require_aware(returned_at)
    return (returned_at.astimezone(UTC) + RHI_DUE).astimezone(UK)


def reminder_times(returned_at: datetime) -> tuple[datetime, ...]:
    """When the worker and their manager are reminded: 48 and 72 hours after return."""
    _require_aware(returned_at)
    return tuple((returned_at.astimezone(UTC) + after).astimezone(UK) for after in REMINDERS)


def _utc(moment: datetime) -> datetime:
    # Python compares and subtracts datetimes that share a tzinfo by wall clock, which is
    # wrong across a clock change; in UTC it is always elapsed time.
    _require_aware(moment)
    return moment.astimezone(UTC)


def is_overdue(returned_at: datetime, now: datetime) -> bool:
    return _utc(now) >= _utc(rhi_due_at(returned_at))


def overlaps(
    start_a: datetime, end_a: datetime | None, start_b: datetime, end_b: datetime | None
) -> bool:
    """Whether two episodes share any moment. An open episode (no end) runs on for ever;
    an episode that ends exactly when another starts does not overlap it (an "away"
    that becomes "missing" is two episodes meeting at one instant, as in SSDA903)."""
    a_before_b = end_a is not None and _utc(end_a) <= _utc(start_b)
    b_before_a = end_b is not None and _utc(end_b) <= _utc(start_a)
    return not (a_before_b or b_before_a)


def time_missing(started_at: datetime, ended_at: datetime | None, now: datetime) -> timedelta:
    end = ended_at if ended_at is not None else now
    return max(_utc(end) - _utc(started_at), timedelta(0))


def uk_display(moment: datetime | None) -> str:
    """A moment as people in the UK read it: "21 November 2026 at 18:30" (local time)."""
    if moment is None:
        return ""
    _require_aware(moment)
    local = moment.astimezone(UK)
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"
