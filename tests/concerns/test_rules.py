"""The pure rules: references, times as people type them, postcode routing, figures."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearsight.concerns import rules


def test_references_are_unguessable_and_easy_to_read_out() -> None:
    references = {rules.new_reference() for _ in range(2000)}
    assert len(references) == 2000
    assert all(rules.REFERENCE_PATTERN.match(ref) for ref in references)
    assert not any(ch in "".join(r[3:] for r in references) for ch in "01OILSB58")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21:30", time(21, 30)),
        ("9pm", time(21, 0)),
        ("9.15 am", time(9, 15)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("noon", time(12, 0)),
        ("midnight", time(0, 0)),
        ("", None),
    ],
)
def test_times_are_read_as_people_write_them(text: str, expected: time | None) -> None:
    assert rules.parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "13pm", "teatime", "9:75", "<script>"])
def test_times_that_cannot_be_read_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        rules.parse_time(text)


@given(st.integers(0, 23), st.integers(0, 59))
def test_every_24_hour_time_reads_back(hour: int, minute: int) -> None:
    assert rules.parse_time(f"{hour:02d}:{minute:02d}") == time(hour, minute)


def test_the_closest_postcode_prefix_wins_and_letters_do_not_overlap() -> None:
    mapping = rules.parse_postcode_areas(["LS=leeds", "LS1=centre", "L=liverpool", "junk"])
    assert rules.area_code_for_postcode("LS1 4AP", mapping) == "centre"
    assert rules.area_code_for_postcode("LS2 7HY", mapping) == "leeds"
    assert rules.area_code_for_postcode("L1 8JQ", mapping) == "liverpool"
    assert rules.area_code_for_postcode("M1 1AE", mapping) is None


@given(st.lists(st.floats(0, 1000), min_size=1, max_size=50))
def test_percentiles_lie_between_the_smallest_and_largest(values: list[float]) -> None:
    median = rules.percentile(values, 0.5)
    assert median is not None and min(values) <= median <= max(values)
    assert rules.percentile(values, 0.9) >= median  # type: ignore[operator]


def test_durations_read_naturally() -> None:
    assert rules.describe_duration(timedelta(minutes=1)) == "1 minute"
    assert rules.describe_duration(timedelta(hours=5, minutes=2)) == "5 hours"
    assert rules.describe_duration(timedelta(days=3)) == "3 days"
