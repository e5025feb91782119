"""Which Return Home Interview reminder is due: at 48 hours, once overdue (for a week),
never for a finished interview, and right across clock changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearsight.missing.deadlines import rhi_due_at
from clearsight.missing.reminders import OPEN_STATES, OVERDUE_REMINDED_FOR, Stage, due_reminder
from clearsight.missing.rhi_states import State

UK = ZoneInfo("Europe/London")
moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UK)
)
elapsed = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30))
open_states = st.sampled_from(sorted(OPEN_STATES))
finished_states = st.sampled_from([State.DECLINED, State.COMPLETED, State.NOT_COMPLETED])


def reminder_after(returned_at: datetime, after: timedelta, state: State) -> Stage | None:
    now = (returned_at.astimezone(UTC) + after).astimezone(UK)
    return due_reminder(
        returned_at=returned_at, due_at=rhi_due_at(returned_at), state=state, now=now
    )


@given(moments, elapsed, open_states)
def test_an_open_interview_is_reminded_at_48_hours_then_once_overdue(
    returned_at: datetime, after: timedelta, state: State
) -> None:
    expected = (
        None
        if after >= timedelta(hours=72) + OVERDUE_REMINDED_FOR
        else Stage.OVERDUE
        if after >= timedelta(hours=72)
        else Stage.DUE_SOON
        if after >= timedelta(hours=48)
        else None
    )
    assert reminder_after(returned_at, after, state) == expected


@given(moments, elapsed, finished_states)
def test_a_declined_completed_or_not_completed_interview_is_never_reminded(
    returned_at: datetime, after: timedelta, state: State
) -> None:
    assert reminder_after(returned_at, after, state) is None


@pytest.mark.parametrize("state", sorted(OPEN_STATES))
def test_the_reminders_fall_exactly_on_the_hour_marks(state: State) -> None:
    returned = datetime(2026, 11, 20, 9, 15, tzinfo=UK)
    hour = timedelta(hours=1)
    second = timedelta(seconds=1)
    assert reminder_after(returned, 48 * hour - second, state) is None
    assert reminder_after(returned, 48 * hour, state) is Stage.DUE_SOON
    assert reminder_after(returned, 72 * hour - second, state) is Stage.DUE_SOON
    assert reminder_after(returned, 72 * hour, state) is Stage.OVERDUE


def test_across_the_autumn_clock_change_the_reminder_counts_elapsed_hours() -> None:
    returned = datetime(2026, 10, 23, 12, 0, tzinfo=UK)  # BST; clocks go back on 25 October
    due = rhi_due_at(returned)  # 11am GMT on the 26th: 71 hours on the wall clock
    on_the_wall_clock_72h = datetime(2026, 10, 26, 12, 0, tzinfo=UK)
    assert (
        due_reminder(
            returned_at=returned, due_at=due, state=State.OFFERED, now=due - timedelta(minutes=1)
        )
        is Stage.DUE_SOON
    )
    assert (
        due_reminder(
            returned_at=returned, due_at=due, state=State.OFFERED, now=on_the_wall_clock_72h
        )
        is Stage.OVERDUE
    )


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        due_reminder(
            returned_at=datetime(2026, 1, 1, 9, 0),
            due_at=datetime(2026, 1, 4, 9, 0, tzinfo=UK),
            state=State.OFFERED,
            now=datetime(2026, 1, 3, 9, 0, tzinfo=UK),
        )
