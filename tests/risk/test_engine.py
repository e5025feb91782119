"""Properties of the screening rules (risk/engine.py), checked with hypothesis."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from clearsight.risk.engine import (
    Child,
    IndicatorRule,
    Level,
    Library,
    Protection,
    Sighting,
    Thresholds,
    screen,
)

AS_OF = date(2026, 3, 2)
CODES = [f"T-{n:02d}" for n in range(12)]
LIBRARY = Library(
    indicators=tuple(
        IndicatorRule(code=code, title=f"Sign {code}", weight=1 + n % 10)
        for n, code in enumerate(CODES)
    ),
    thresholds=Thresholds(low=1, medium=12, high=25),
    half_life_days=180,
    lookback_days=730,
)

sightings = st.builds(
    Sighting,
    code=st.sampled_from([*CODES, "NOT-IN-LIBRARY"]),
    seen_on=st.integers(min_value=0, max_value=900).map(lambda d: AS_OF - timedelta(days=d)),
    agency_id=st.integers(min_value=1, max_value=4),
    confidence=st.integers(min_value=1, max_value=5),
)
children = st.builds(
    Child,
    age=st.none() | st.integers(min_value=0, max_value=17),
    has_learning_disability=st.booleans(),
)
protections = st.lists(
    st.builds(
        Protection,
        code=st.sampled_from(["PRO-01", "PRO-02"]),
        title=st.just("A trusted adult"),
        reason=st.sampled_from(["", "  ", "Talks to her youth worker weekly"]),
    ),
    max_size=2,
)


def run(seen: list[Sighting], child: Child, protective: list[Protection] | None = None):  # type: ignore[no-untyped-def]
    return screen(
        sightings=seen,
        library=LIBRARY,
        as_of=AS_OF,
        child=child,
        protective_factors=protective or [],
    )


@given(st.lists(sightings, max_size=15), children, protections)
def test_the_same_input_always_gives_the_same_result(seen, child, protective) -> None:  # type: ignore[no-untyped-def]
    assert run(seen, child, protective) == run(list(reversed(seen)), child, protective)


@given(st.lists(sightings, max_size=15), sightings, children, protections)
def test_adding_an_observation_never_lowers_the_score_or_level(
    seen, extra, child, protective
) -> None:  # type: ignore[no-untyped-def]
    before = run(seen, child, protective)
    after = run([*seen, extra], child, protective)
    assert after.score >= before.score
    assert after.level.rank >= before.level.rank


@given(st.lists(sightings, max_size=15), sightings, st.integers(1, 4), children)
def test_a_second_agency_seeing_the_same_sign_never_lowers_the_score(
    seen, sighting, other_agency, child
) -> None:  # type: ignore[no-untyped-def]
    corroborated = replace(sighting, agency_id=sighting.agency_id + other_agency)
    before = run([*seen, sighting], child)
    after = run([*seen, sighting, corroborated], child)
    assert after.score >= before.score


def test_a_sign_seen_by_two_agencies_counts_half_as_much_again() -> None:
    one = run([Sighting("T-07", AS_OF, 1, 5)], Child(age=15))
    two = run([Sighting("T-07", AS_OF, 1, 5), Sighting("T-07", AS_OF, 2, 5)], Child(age=15))
    assert (one.score, two.score) == (8, 12)
    assert (one.level, two.level) == (Level.LOW, Level.MEDIUM)
    assert two.factors[0].corroboration_multiplier == 1.5


@given(sightings, st.integers(min_value=1, max_value=900), children)
def test_an_older_observation_never_weighs_more_than_the_same_one_newer(
    sighting, days_older, child
) -> None:  # type: ignore[no-untyped-def]
    older = replace(sighting, seen_on=sighting.seen_on - timedelta(days=days_older))
    assert run([older], child).score <= run([sighting], child).score


def test_a_sign_counts_half_as_much_after_one_half_life() -> None:
    today = run([Sighting("T-09", AS_OF, 1, 5)], Child(age=15))
    half_life_ago = run([Sighting("T-09", AS_OF - timedelta(days=180), 1, 5)], Child(age=15))
    assert (today.score, half_life_ago.score) == (10, 5)


@given(st.lists(sightings, min_size=1, max_size=15), st.booleans(), protections)
def test_a_child_under_13_or_with_a_learning_disability_and_any_sign_is_never_below_medium(
    seen, disabled, protective
) -> None:  # type: ignore[no-untyped-def]
    for child in (
        Child(age=12, has_learning_disability=disabled),
        Child(age=15, has_learning_disability=True),
    ):
        result = run(seen, child, protective)
        if result.factors:
            assert result.level.rank >= Level.MEDIUM.rank
            assert result.safeguard


@given(st.lists(sightings, max_size=15), children, protections)
def test_the_explanation_lists_exactly_the_factors_that_produced_the_score(
    seen, child, protective
) -> None:  # type: ignore[no-untyped-def]
    result = run(seen, child, protective)
    assert math.isclose(sum(f.contribution for f in result.factors), result.score, abs_tol=1e-9)
    assert all(f.contribution > 0 for f in result.factors)
    assert len({f.code for f in result.factors}) == len(result.factors)
    counted = {
        s.code
        for s in seen
        if s.code in CODES and 0 <= (AS_OF - s.seen_on).days <= LIBRARY.lookback_days
    }
    assert {f.code for f in result.factors} == counted
    for factor in result.factors:
        expected = factor.weight * factor.recency_multiplier * factor.confidence_multiplier
        assert math.isclose(
            factor.contribution, expected * factor.corroboration_multiplier, abs_tol=0.01
        )
        assert {(s.agency_id, s.seen_on) for s in factor.sources} == {
            (s.agency_id, s.seen_on)
            for s in seen
            if s.code == factor.code and (AS_OF - s.seen_on).days <= LIBRARY.lookback_days
        }
    if not result.factors:
        assert result.level == Level.NONE and result.score == 0


@given(st.lists(sightings, min_size=1, max_size=15), children)
def test_protective_factors_lower_the_level_only_when_given_a_reason(seen, child) -> None:  # type: ignore[no-untyped-def]
    without = run(seen, child)
    no_reason = run(seen, child, [Protection("PRO-01", "A trusted adult", " ")])
    with_reason = run(seen, child, [Protection("PRO-01", "A trusted adult", "Sees her aunt daily")])
    assert no_reason == without
    assert with_reason.score == without.score
    assert without.level.rank - 1 <= with_reason.level.rank <= without.level.rank
    if without.level != Level.NONE:
        assert with_reason.level != Level.NONE


def test_signs_outside_the_look_back_or_after_the_screening_date_are_not_counted() -> None:
    result = run(
        [
            Sighting("T-05", AS_OF - timedelta(days=731), 1, 5),
            Sighting("T-06", AS_OF + timedelta(days=1), 1, 5),
        ],
        Child(age=12),
    )
    assert (result.level, result.score, result.factors) == (Level.NONE, 0, ())
