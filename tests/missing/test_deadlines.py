"""Deadline arithmetic: exactly 72 hours, in UK local time, across months, leap days and
clock changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearsight.missing.deadlines import (
    is_overdue,
    overlaps,
    reminder_times,
    rhi_due_at,
    time_missing,
)

UK = ZoneInfo("Europe/London")
moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UK)
)


@given(moments)
def test_rhi_is_due_exactly_72_elapsed_hours_after_return_in_uk_time(returned_at: datetime) -> None:
    due = rhi_due_at(returned_at)
    assert due.astimezone(UTC) - returned_at.astimezone(UTC) == timedelta(hours=72)
    assert due.tzinfo == UK


def test_across_the_spring_clock_change_the_wall_clock_shows_73_hours() -> None:
    returned = datetime(2026, 3, 27, 12, 0, tzinfo=UK)  # GMT; clocks go forward on 29 March
    assert rhi_due_at(returned) == datetime(2026, 3, 30, 13, 0, tzinfo=UK)


def test_across_the_autumn_clock_change_the_wall_clock_shows_71_hours() -> None:
    returned = datetime(2026, 10, 23, 12, 0, tzinfo=UK)  # BST; clocks go back on 25 October
    assert rhi_due_at(returned) == datetime(2026, 10, 26, 11, 0, tzinfo=UK)


def test_a_leap_day_is_counted() -> None:
    returned = datetime(2028, 2, 27, 9, 30, tzinfo=UK)
    assert rhi_due_at(returned) == datetime(2028, 3, 1, 9, 30, tzinfo=UK)


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        rhi_due_at(datetime(2026, 1, 1, 12, 0))


@given(moments)
def test_reminders_come_at_48_and_72_hours(returned_at: datetime) -> None:
    first, second = reminder_times(returned_at)
    assert first < second == rhi_due_at(returned_at)
    assert first.astimezone(UTC) - returned_at.astimezone(UTC) == timedelta(hours=48)


@given(moments, st.integers(min_value=0, max_value=200))
def test_overdue_from_the_due_moment_on(returned_at: datetime, hours_later: int) -> None:
    now = returned_at.astimezone(UTC) + timedelta(hours=hours_later)
    assert is_overdue(returned_at, now) == (hours_later >= 72)


@given(moments, st.integers(0, 1000), moments, st.integers(0, 1000))
def test_overlap_is_symmetric(start_a: datetime, len_a: int, start_b: datetime, len_b: int) -> None:
    end_a, end_b = start_a + timedelta(hours=len_a), start_b + timedelta(hours=len_b)
    assert overlaps(start_a, end_a, start_b, end_b) == overlaps(start_b, end_b, start_a, end_a)


def test_episodes_meeting_at_one_instant_do_not_overlap() -> None:
    away_start = datetime(2026, 5, 1, 18, 0, tzinfo=UK)
    became_missing = datetime(2026, 5, 1, 23, 0, tzinfo=UK)
    assert not overlaps(away_start, became_missing, became_missing, None)


def test_an_open_episode_overlaps_anything_after_it() -> None:
    start = datetime(2026, 5, 1, 18, 0, tzinfo=UK)
    assert overlaps(start, None, start + timedelta(days=30), start + timedelta(days=31))


def test_time_missing_counts_elapsed_hours_across_the_clock_change() -> None:
    start = datetime(2026, 10, 24, 22, 0, tzinfo=UK)  # BST
    end = datetime(2026, 10, 25, 22, 0, tzinfo=UK)  # GMT: 25 hours later
    assert time_missing(start, end, end) == timedelta(hours=25)


def test_time_missing_runs_until_now_when_open() -> None:
    start = datetime(2026, 5, 1, 18, 0, tzinfo=UK)
    assert time_missing(start, None, start + timedelta(hours=5)) == timedelta(hours=5)
    assert time_missing(start, start + timedelta(hours=2), start + timedelta(hours=9)) == timedelta(
        hours=2
    )
