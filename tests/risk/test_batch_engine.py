"""The batched engine (numpy) must give exactly what the rule book (engine.screen) gives,
child by child: level, score, notes, and every factor with its multipliers and sources."""

from __future__ import annotations

import json
from datetime import date, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from clearsight.risk import batch_engine, engine
from clearsight.risk.services import _factors_json

AS_OF = date(2026, 11, 23)
CODES = ("MIS01", "MIS02", "EDU01", "MON01", "PHO01", "REL01", "DRU01", "AAA01")


@st.composite
def libraries(draw: st.DrawFn) -> engine.Library:
    codes = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=len(CODES), unique=True))
    low = draw(st.integers(1, 5))
    medium = low + draw(st.integers(1, 15))
    high = medium + draw(st.integers(1, 20))
    return engine.Library(
        indicators=tuple(
            engine.IndicatorRule(code=c, title=f'Sign {c} \u2019quoted\u2019 "x"', weight=w)
            for c, w in zip(
                codes,
                draw(st.lists(st.integers(1, 10), min_size=len(codes), max_size=len(codes))),
                strict=True,
            )
        ),
        thresholds=engine.Thresholds(low=float(low), medium=float(medium), high=float(high)),
        half_life_days=draw(st.integers(1, 400)),
        lookback_days=draw(st.integers(0, 800)),
    )


sighting = st.tuples(
    st.sampled_from(CODES),
    st.integers(-5, 820),  # days before the screening date
    st.integers(1, 4),  # agency
    st.integers(1, 5),  # confidence
)
child = st.tuples(
    st.one_of(st.none(), st.integers(5, 25)),  # age
    st.booleans(),  # learning disability
    st.booleans(),  # protective factor with a reason
    st.integers(0, 1),  # library version
    st.lists(sighting, max_size=12),
)


def _expected(library: engine.Library, age, disabled, protected, sightings) -> engine.Result:
    return engine.screen(
        sightings=[
            engine.Sighting(code, AS_OF - timedelta(days=days), agency, confidence)
            for code, days, agency, confidence in sightings
        ],
        library=library,
        as_of=AS_OF,
        child=engine.Child(age=age, has_learning_disability=disabled),
        protective_factors=[engine.Protection("P1", "Trusted adult", "Sees them daily")]
        if protected
        else [],
    )


def _batch(versions, children):
    libs = batch_engine.Libraries.build(versions)
    index = {code: i for i, code in enumerate(libs.codes)}
    person_ids, sighting_rows = [], []
    for number, (_, _, _, _, sightings) in enumerate(children):
        person_ids.append(1000 + number * 3)
        for code, days, agency, confidence in sightings:
            if code in index:  # a code no version has is dropped before the engine
                sighting_rows.append((1000 + number * 3, index[code], days, agency, confidence))
    arrays = np.array(sighting_rows, dtype=np.int64).reshape(-1, 5)
    rng = np.random.default_rng(len(sighting_rows))
    arrays = arrays[rng.permutation(len(arrays))]  # any order
    screened = batch_engine.screen(
        libs,
        batch_engine.Children(
            person_id=np.array(person_ids, dtype=np.int64),
            version=np.array([c[3] % len(versions) for c in children], dtype=np.int64),
            age=np.array([-1 if c[0] is None else c[0] for c in children], dtype=np.int64),
            has_learning_disability=np.array([c[1] for c in children], dtype=bool),
            has_protective_factor=np.array([c[2] for c in children], dtype=bool),
        ),
        batch_engine.Sightings(
            person_id=arrays[:, 0],
            code=arrays[:, 1],
            age_days=arrays[:, 2],
            agency_id=arrays[:, 3],
            confidence=arrays[:, 4],
        ),
    )
    titles = [{r.code: r.title for r in v.indicators} for v in versions]
    return screened, batch_engine.FactorWriter(libs, titles)


@settings(max_examples=300, deadline=None)
@given(st.lists(libraries(), min_size=1, max_size=2), st.lists(child, min_size=1, max_size=6))
def test_batched_screening_is_exactly_the_engines(versions, children):
    screened, writer = _batch(versions, children)
    longest = max(v.lookback_days for v in versions)
    days = [(AS_OF - timedelta(days=age)).isoformat() for age in range(longest + 1)]
    for number, (age, disabled, protected, version, sightings) in enumerate(children):
        v = version % len(versions)
        expected = _expected(versions[v], age, disabled, protected, sightings)
        assert batch_engine.LEVEL_VALUES[screened.level[number]] == expected.level
        assert batch_engine.LEVEL_VALUES[screened.level_from_score[number]] == (
            expected.level_from_score
        )
        assert screened.score[number] / 100 == expected.score
        assert json.loads(writer.screening_text(screened, number, v, days)) == _factors_json(
            expected
        )
        assert batch_engine.notes(screened, number) == list(expected.notes)


@given(st.floats(min_value=0, max_value=1000, allow_nan=False))
def test_hundredths_round_as_python_does(value):
    assert batch_engine.hundredths(np.array([value]))[0] == round(round(value, 2) * 100)


def test_halves_round_as_python_does():
    values = [2.675, 0.125, 0.375, 1.005, 12.345, 7.5 * 0.9, 8 * 0.6 * 1.5]
    got = batch_engine.hundredths(np.array(values))
    assert got.tolist() == [round(round(v, 2) * 100) for v in values]
