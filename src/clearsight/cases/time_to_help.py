"""Time to help: for each child, the days from the first recorded sign (a concern or an
observation) to the first protective action (a referral accepted, a plan action
started, a return home interview completed); and the area's figures.

Plain Python with no Django import, so the arithmetic is tested exhaustively
(tests/cases/test_time_to_help.py). ``cases/selectors.time_to_help`` feeds it only what
the actor may see."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from clearsight.core.stats import percentile as percentile


@dataclass(frozen=True)
class Event:
    at: datetime
    # Where a sign came from ("Testshire Police", "Member of the public"); what a
    # protective action was ("Referral accepted").
    label: str


@dataclass(frozen=True)
class Clock:
    person_id: int
    first_sign: Event
    first_help: Event | None

    @property
    def days(self) -> int | None:
        """Whole days to help, or None while still waiting. Help recorded before the
        first sign (a plan begun for another reason) counts as help at once: 0 days."""
        if self.first_help is None:
            return None
        return max(0, (self.first_help.at - self.first_sign.at).days)

    def days_waiting(self, now: datetime) -> int:
        return max(0, (now - self.first_sign.at).days)

    @property
    def month(self) -> str:
        return f"{self.first_sign.at:%Y-%m}"


def clock_for(person_id: int, signs: Iterable[Event], helps: Iterable[Event]) -> Clock | None:
    """The child's clock, or None if no sign was ever recorded."""
    first_sign = min(signs, key=lambda event: event.at, default=None)
    if first_sign is None:
        return None
    first_help = min(helps, key=lambda event: event.at, default=None)
    return Clock(person_id=person_id, first_sign=first_sign, first_help=first_help)


@dataclass(frozen=True)
class Figure:
    group: str
    children: int
    helped: int
    median_days: float | None
    p90_days: float | None

    @property
    def waiting(self) -> int:
        return self.children - self.helped


def figures_by(clocks: Iterable[Clock], key: Callable[[Clock], str]) -> list[Figure]:
    """Median and 90th percentile of days to help per group, over the children helped;
    children still waiting are counted beside them, never as zero days."""
    groups: dict[str, list[Clock]] = defaultdict(list)
    for clock in clocks:
        groups[key(clock)].append(clock)
    figures = []
    for group in sorted(groups):
        days = [c.days for c in groups[group] if c.days is not None]
        figures.append(
            Figure(
                group=group,
                children=len(groups[group]),
                helped=len(days),
                median_days=percentile(days, 0.5),
                p90_days=percentile(days, 0.9),
            )
        )
    return figures


def is_without_action(
    *, last_help_at: datetime | None, rose_at: datetime, now: datetime, days: int
) -> bool:
    """Risk rose and nothing protective has happened since, for at least ``days``."""
    if last_help_at is not None and last_help_at >= rose_at:
        return False
    return now - rose_at >= timedelta(days=days)
