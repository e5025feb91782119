"""Patterns in a child's missing episodes, and the flags they raise.

Plain Python over simple records, so the rules are easy to read and to test. Repeat
missing is a key warning sign of exploitation: three or more episodes in 90 days, being
found out of the home area, at a place where other children of the area have been found
(two or more other children), or with an adult already recorded in Clearsight, raise a
flag on the child's record and an event on their timeline."""

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


def normalise(text: str) -> str:
    return " ".join(text.lower().split())


@dataclass(frozen=True)
class Concerns:
    """What is already of concern in the child's area: places where other children have
    been found during missing episodes, and adults recorded in Clearsight (normalised)."""

    places: frozenset[str] = frozenset()
    adults: frozenset[str] = frozenset()

    def place_flagged(self, place: str) -> bool:
        return bool(place.strip()) and normalise(place) in self.places

    def adult_named_in(self, found_with: str) -> bool:
        text = normalise(found_with)
        return bool(text) and any(name in text for name in self.adults)


NO_CONCERNS = Concerns()


@dataclass(frozen=True)
class FlagEvent:
    at: datetime
    title: str


def flag_events(episodes: list[EpisodeFacts], concerns: Concerns = NO_CONCERNS) -> list[FlagEvent]:
    """When each flag was raised, for the timeline: the episode that was the third (or
    later) in 90 days, and each return out of area, at a place of concern or with an
    adult of concern."""
    events = []
    starts = sorted(_utc(e.started_at) for e in episodes)
    for index, start in enumerate(starts):
        recent = sum(1 for s in starts[: index + 1] if s > start - REPEAT_WINDOW)
        if recent >= REPEAT_THRESHOLD:
            events.append(
                FlagEvent(start, f"Flag raised: repeatedly missing ({recent} episodes in 90 days)")
            )
    for e in episodes:
        if e.ended_at is None:
            continue
        if e.found_out_of_area:
            where = e.found_area_name.strip() or "another area"
            events.append(FlagEvent(_utc(e.ended_at), f"Flag raised: found out of area ({where})"))
        if concerns.place_flagged(e.found_place):
            events.append(
                FlagEvent(
                    _utc(e.ended_at),
                    f"Flag raised: found at a place where other children have been found "
                    f"({e.found_place.strip()})",
                )
            )
        if concerns.adult_named_in(e.found_with):
            events.append(
                FlagEvent(_utc(e.ended_at), "Flag raised: found with an adult already of concern")
            )
    return sorted(events, key=lambda event: event.at)


def summarise(
    episodes: list[EpisodeFacts], now: datetime, concerns: Concerns = NO_CONCERNS
) -> Pattern:
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
    concern_places = sorted(
        {e.found_place.strip() for e in episodes if concerns.place_flagged(e.found_place)}
    )
    if concern_places:
        flags.append(
            "Found at a place where other children have been found: " + ", ".join(concern_places)
        )
    if any(concerns.adult_named_in(e.found_with) for e in episodes):
        flags.append("Found with an adult already of concern")
    return Pattern(
        last_30_days=within(30),
        last_90_days=recent,
        last_365_days=within(365),
        total_time_missing=total,
        places_found=places.most_common(5),
        found_with=people.most_common(5),
        flags=flags,
    )
