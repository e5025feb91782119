"""Patterns in a child's missing episodes, and the flags they raise.

Plain Python over simple records, so the rules are easy to read and to test. Repeat
missing is a key warning sign of exploitation: three or more episodes in 90 days, or
being found out of the home area, raise a flag on the child's record."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

REPEAT_WINDOW = timedelta(days=90)
REPEAT_THRESHOLD = 3


@dataclass(frozen=True)
class EpisodeFacts:
    started_at: datetime
    ended_at: datetime | None
    found_place: str = ""
    found_with: str = ""
    found_out_of_area: bool = False
    found_area_name: str = ""


@dataclass(frozen=True)
class Pattern:
    last_30_days: int
    last_90_days: int
    last_365_days: int
    total_time_missing: timedelta
    places_found: list[tuple[str, int]]
    found_with: list[tuple[str, int]]
    flags: list[str]

    @property
    def total_time_missing_text(self) -> str:
        return describe_duration(self.total_time_missing)


def describe_duration(duration: timedelta) -> str:
    """ "2 days 3 hours", "5 hours 20 minutes", "under a minute"."""
    minutes = int(duration.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [
        f"{n} {unit}{'' if n == 1 else 's'}"
        for n, unit in ((days, "day"), (hours, "hour"), (mins, "minute"))
        if n
    ]
    return " ".join(parts[:2]) if parts else "under a minute"


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def summarise(episodes: list[EpisodeFacts], now: datetime) -> Pattern:
    now = _utc(now)

    def within(days: int) -> int:
        return sum(1 for e in episodes if _utc(e.started_at) >= now - timedelta(days=days))

    total = sum(
        (
            max((_utc(e.ended_at) if e.ended_at else now) - _utc(e.started_at), timedelta(0))
            for e in episodes
        ),
        timedelta(0),
    )
    places = Counter(e.found_place.strip() for e in episodes if e.found_place.strip())
    people = Counter(e.found_with.strip() for e in episodes if e.found_with.strip())
    flags = []
    recent = within(REPEAT_WINDOW.days)
    if recent >= REPEAT_THRESHOLD:
        flags.append(f"Repeatedly missing: {recent} episodes in the last 90 days")
    away = sorted(
        {e.found_area_name.strip() or "another area" for e in episodes if e.found_out_of_area}
    )
    if away:
        flags.append(f"Found out of area: {', '.join(away)}")
    return Pattern(
        last_30_days=within(30),
        last_90_days=recent,
        last_365_days=within(365),
        total_time_missing=total,
        places_found=places.most_common(5),
        found_with=people.most_common(5),
        flags=flags,
    )
