"""How the MACE pack words who saw a sign: an agency (and how) a line, with how many times
and between which dates."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from clearsight.risk.panel_selectors import FactorLine, SourceLine


def _sign(*sources: SourceLine) -> FactorLine:
    return FactorLine(
        code="missing_repeat",
        title="Goes missing repeatedly",
        weight=8,
        contribution=7.2,
        sources=sources,
        adjustments=(),
    )


def test_one_sighting_is_named_with_its_date() -> None:
    sign = _sign(SourceLine("Testshire Police", date(2026, 11, 7), ""))
    assert sign.seen_by == ["Testshire Police, 7 November 2026"]


def test_several_sightings_by_one_agency_are_counted_between_dates() -> None:
    sign = _sign(
        SourceLine("Testshire Police", date(2026, 12, 6), ""),
        SourceLine("Testshire Police", date(2026, 11, 7), ""),
        SourceLine("Testshire Police", date(2026, 11, 20), ""),
    )
    assert sign.seen_by == ["Testshire Police, 3 times from 7 November to 6 December 2026"]


def test_a_span_across_a_new_year_gives_both_years() -> None:
    sign = _sign(
        SourceLine("Kingsford Academy", date(2025, 12, 30), ""),
        SourceLine("Kingsford Academy", date(2026, 1, 4), ""),
    )
    assert sign.seen_by == ["Kingsford Academy, 2 times from 30 December 2025 to 4 January 2026"]


def test_each_agency_and_way_of_knowing_has_its_own_line() -> None:
    sign = _sign(
        SourceLine("Testshire Police", date(2026, 11, 7), ""),
        SourceLine("Testshire Council", date(2026, 11, 9), "return home interview"),
        SourceLine("Testshire Council", date(2026, 11, 8), ""),
    )
    assert sign.seen_by == [
        "Testshire Council, 8 November 2026",
        "Testshire Council (return home interview), 9 November 2026",
        "Testshire Police, 7 November 2026",
    ]


AGENCIES = st.sampled_from(["Testshire Police", "Testshire Council", "Kingsford Academy"])
HOW = st.sampled_from(["", "concern", "return home interview"])
DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))


@given(st.lists(st.builds(SourceLine, AGENCIES, DAYS, HOW), min_size=1, max_size=30))
def test_every_sighting_is_counted_once_in_exactly_one_line(sources: list[SourceLine]) -> None:
    lines = _sign(*sources).seen_by
    assert len(lines) == len({(s.agency, s.how) for s in sources})
    counted = 0
    for line in lines:
        if " times from " in line:
            counted += int(line.split(", ")[-1].split(" times")[0])
        else:
            counted += 1
    assert counted == len(sources)
