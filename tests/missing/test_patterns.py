from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from clearsight.missing.patterns import EpisodeFacts, summarise

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def ep(days_ago: float, hours: float | None = 5, **extra: object) -> EpisodeFacts:
    start = NOW - timedelta(days=days_ago)
    return EpisodeFacts(
        started_at=start,
        ended_at=start + timedelta(hours=hours) if hours is not None else None,
        **extra,
    )  # type: ignore[arg-type]


def test_three_episodes_in_90_days_raise_the_repeat_flag() -> None:
    pattern = summarise([ep(10), ep(40), ep(85)], NOW)
    assert pattern.last_30_days == 1 and pattern.last_90_days == 3
    assert pattern.flags == ["Repeatedly missing: 3 episodes in the last 90 days"]


def test_two_recent_and_one_old_episode_do_not() -> None:
    assert summarise([ep(10), ep(40), ep(120)], NOW).flags == []


def test_found_out_of_area_is_flagged_with_the_area() -> None:
    pattern = summarise([ep(3, found_out_of_area=True, found_area_name="Otherton")], NOW)
    assert pattern.flags == ["Found out of area: Otherton"]


def test_places_and_people_are_counted_and_open_episodes_run_to_now() -> None:
    pattern = summarise(
        [
            ep(1, hours=None),
            ep(5, found_place="Station", found_with="Older boy"),
            ep(9, found_place="Station"),
        ],
        NOW,
    )
    assert pattern.places_found == [("Station", 2)]
    assert pattern.found_with == [("Older boy", 1)]
    assert pattern.total_time_missing == timedelta(days=1, hours=10)


@given(st.lists(st.floats(min_value=0, max_value=400), max_size=12))
def test_counts_are_nested(days_ago: list[float]) -> None:
    pattern = summarise([ep(d) for d in days_ago], NOW)
    assert pattern.last_30_days <= pattern.last_90_days <= pattern.last_365_days <= len(days_ago)
    assert ("Repeatedly missing" in " ".join(pattern.flags)) == (pattern.last_90_days >= 3)


def test_durations_read_naturally() -> None:
    from clearsight.missing.patterns import describe_duration

    assert describe_duration(timedelta(days=2, hours=3, minutes=5)) == "2 days 3 hours"
    assert describe_duration(timedelta(hours=1, minutes=20)) == "1 hour 20 minutes"
    assert describe_duration(timedelta(seconds=30)) == "under a minute"


def test_flag_events_mark_when_each_flag_was_raised() -> None:
    from clearsight.missing.patterns import flag_events

    episodes = [
        ep(100),
        ep(80),
        ep(60, found_out_of_area=True, found_area_name="Otherton"),
        ep(20),
    ]
    events = flag_events(episodes)
    titles = [event.title for event in events]
    # The third episode inside 90 days (60 days ago) and the fourth (20 days ago: all four
    # fall within the 90 days before it).
    assert titles == [
        "Flag raised: repeatedly missing (3 episodes in 90 days)",
        "Flag raised: found out of area (Otherton)",
        "Flag raised: repeatedly missing (4 episodes in 90 days)",
    ]
    assert events[0].at == NOW - timedelta(days=60)


def test_places_and_adults_already_of_concern_raise_flags() -> None:
    from clearsight.missing.patterns import Concerns, flag_events

    concerns = Concerns(places=frozenset({"flat 4, tower court"}), adults=frozenset({"dean price"}))
    episodes = [ep(5, found_place="Flat 4,  Tower Court", found_with="Dean Price and a friend")]
    pattern = summarise(episodes, NOW, concerns)
    assert pattern.flags == [
        "Found at a place where other children have been found: Flat 4,  Tower Court",
        "Found with an adult already of concern",
    ]
    assert len(flag_events(episodes, concerns)) == 2
    assert summarise([ep(5, found_place="Home", found_with="Mum")], NOW, concerns).flags == []


@given(st.lists(st.floats(min_value=0, max_value=400), max_size=8))
def test_a_repeat_flag_event_exists_exactly_when_some_90_day_window_holds_three(
    days: list[float],
) -> None:
    from clearsight.missing.patterns import flag_events

    episodes = [ep(d) for d in days]
    starts = sorted(e.started_at for e in episodes)
    crowded = any(
        sum(1 for s in starts if start - timedelta(days=90) < s <= start) >= 3 for start in starts
    )
    assert any("repeatedly" in e.title for e in flag_events(episodes)) == crowded
