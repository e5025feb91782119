"""The rules of ``engine.screen`` applied to many children at once, with numpy.

The nightly recompute (``recompute.py``) screens a whole country's children: a Python
call of ``engine.screen`` per child costs about 40 microseconds before anything is read
or written, which alone is most of the budget (1,000,000 children in a minute). Here the
same rules run as array operations over every observation at once, and the result is
written out as the JSON that ``services._factors_json`` writes.

``engine.py`` stays the rule book: this module must give exactly the same levels,
scores, factors, multipliers and sources for every input, and
tests/risk/test_batch_engine.py checks that with hypothesis against ``engine.screen``.
How the floating-point results are kept identical:

- recency and confidence multipliers come from tables filled by the engine's own
  functions (one entry per day of age and per confidence), so each is the same double;
- the strength of a sighting and a factor's contribution are the same products, in the
  same order, as the engine computes;
- rounding to 2 places is Python's ``round`` (correctly rounded): ``rint(x * 100)`` is
  used where it cannot differ, and Python's ``round`` for the rare values within a hair
  of a half;
- contributions and scores are kept as whole hundredths, so the score (a sum of values
  already rounded to hundredths) does not depend on the order of the sum.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import orjson

from clearsight.risk import engine

LEVEL_VALUES = engine.BY_RANK
MEDIUM = engine.Level.MEDIUM.rank
SAFEGUARDS = ("", "Child under 13", "Child with a learning disability")
# Whole hundredths within this distance of a half are rounded by Python's round().
_HALF_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Libraries:
    """Library versions as arrays over one list of codes (sorted, so that a code's
    index orders factors the way the engine's tie-break on the code string does)."""

    codes: tuple[str, ...]
    versions: tuple[engine.Library, ...]
    weights: np.ndarray  # (version, code) -> weight, 0 where the code is not in it
    recency: np.ndarray  # (version, age in days) -> recency multiplier
    lookback: np.ndarray  # version -> look-back in days
    thresholds: np.ndarray  # (version, low/medium/high)

    @classmethod
    def build(cls, versions: Sequence[engine.Library]) -> Libraries:
        codes = tuple(sorted({rule.code for library in versions for rule in library.indicators}))
        index = {code: i for i, code in enumerate(codes)}
        longest = max((library.lookback_days for library in versions), default=0)
        weights = np.zeros((len(versions), max(len(codes), 1)), dtype=np.float64)
        recency = np.zeros((len(versions), longest + 1), dtype=np.float64)
        for v, library in enumerate(versions):
            for rule in library.indicators:
                weights[v, index[rule.code]] = rule.weight
            recency[v, : library.lookback_days + 1] = [
                engine.recency_multiplier(age, library.half_life_days)
                for age in range(library.lookback_days + 1)
            ]
        return cls(
            codes=codes,
            versions=tuple(versions),
            weights=weights,
            recency=recency,
            lookback=np.array([lib.lookback_days for lib in versions], dtype=np.int64),
            thresholds=np.array(
                [
                    [lib.thresholds.low, lib.thresholds.medium, lib.thresholds.high]
                    for lib in versions
                ],
                dtype=np.float64,
            ).reshape(len(versions), 3),
        )


@dataclass(frozen=True)
class Children:
    """One row per child, ``person_id`` ascending."""

    person_id: np.ndarray  # int64
    version: np.ndarray  # index into Libraries.versions
    age: np.ndarray  # whole years on the screening date, -1 when not known
    has_learning_disability: np.ndarray  # bool
    has_protective_factor: np.ndarray  # bool: a protective factor with a reason


@dataclass(frozen=True)
class Sightings:
    person_id: np.ndarray  # int64
    code: np.ndarray  # index into Libraries.codes
    age_days: np.ndarray  # days before the screening date (negative: after it)
    agency_id: np.ndarray  # int64
    confidence: np.ndarray  # int64


@dataclass(frozen=True)
class Screened:
    """Per child (same order as Children): the level before and after safeguards, the
    score in hundredths, the safeguard that applied, and the factors' slice. Factors
    are ordered as the engine orders them; each has a slice of its sources."""

    level_from_score: np.ndarray  # rank 0..3
    level: np.ndarray  # rank 0..3
    score: np.ndarray  # int64 hundredths
    protective_lowered: np.ndarray  # bool
    safeguard: np.ndarray  # index into SAFEGUARDS; 0 when it did not raise the level
    factor_start: np.ndarray  # per child: first factor
    factor_end: np.ndarray
    factor_code: np.ndarray
    factor_age: np.ndarray  # age in days of the strongest sighting
    factor_confidence: np.ndarray
    factor_corroborated: np.ndarray  # bool
    factor_contribution: np.ndarray  # int64 hundredths
    factor_weight: np.ndarray
    source_start: np.ndarray  # per factor
    source_end: np.ndarray
    source_age: np.ndarray  # per source, oldest first
    source_agency: np.ndarray


def hundredths(values: np.ndarray) -> np.ndarray:
    """``round(x, 2) * 100`` as whole numbers, exactly as Python rounds each x."""
    scaled = values * 100.0
    result = np.rint(scaled)
    near_half = np.abs(scaled - np.floor(scaled) - 0.5) < _HALF_TOLERANCE
    for i in np.flatnonzero(near_half):
        result[i] = round(round(float(values[i]), 2) * 100)
    return result.astype(np.int64)


def confidence_table() -> np.ndarray:
    return np.array([engine.confidence_multiplier(c) for c in range(7)], dtype=np.float64)


def screen(libraries: Libraries, children: Children, sightings: Sightings) -> Screened:
    """Screen every child in ``children`` from ``sightings`` (any order; sightings of
    people not in ``children`` are ignored)."""
    n = len(children.person_id)
    n_codes = max(len(libraries.codes), 1)
    # Which child each sighting is about, and which of them count.
    position = np.searchsorted(children.person_id, sightings.person_id)
    clipped = np.minimum(position, max(n - 1, 0))
    keep = (position < n) & (children.person_id[clipped] == sightings.person_id) if n else (
        np.zeros(len(position), dtype=bool)
    )  # fmt: skip
    version = children.version[clipped]
    age = sightings.age_days
    keep &= (age >= 0) & (age <= libraries.lookback[version])
    weight = libraries.weights[version, sightings.code]
    keep &= weight > 0
    position, version, age, weight = position[keep], version[keep], age[keep], weight[keep]
    code, agency = sightings.code[keep], sightings.agency_id[keep]
    confidence = np.clip(sightings.confidence[keep], 1, 5)
    recency = libraries.recency[version, age]
    confidence_multiplier = confidence_table()[confidence]
    strength = recency * confidence_multiplier
    group = position.astype(np.int64) * n_codes + code

    # The strongest sighting of each sign sorts last in its group: by strength, then
    # newest (higher recency), then higher confidence, as the engine's max() picks.
    order = np.lexsort((confidence, -age, strength, group))
    group_sorted = group[order]
    starts = np.flatnonzero(np.r_[True, group_sorted[1:] != group_sorted[:-1]]) if len(
        order
    ) else np.zeros(0, dtype=np.int64)  # fmt: skip
    ends = np.r_[starts[1:], len(order)].astype(np.int64)
    best = order[ends - 1] if len(order) else np.zeros(0, dtype=np.int64)
    agency_sorted = agency[order]
    if len(order):
        corroborated = np.minimum.reduceat(agency_sorted, starts) != np.maximum.reduceat(
            agency_sorted, starts
        )
    else:
        corroborated = np.zeros(0, dtype=bool)
    multiplier = np.where(corroborated, engine.CORROBORATION_MULTIPLIER, 1.0)
    contribution = hundredths(weight[best] * strength[best] * multiplier)
    listed = contribution > 0
    f_group = group_sorted[starts][listed]
    f_position = position[best][listed]
    f_code = code[best][listed]
    f_contribution = contribution[listed]
    # The engine lists factors strongest first, then by code.
    f_order = np.lexsort((f_code, -f_contribution, f_position))
    f_group, f_position, f_code = f_group[f_order], f_position[f_order], f_code[f_order]
    f_contribution = f_contribution[f_order]
    f_best = best[listed][f_order]
    f_corroborated = corroborated[listed][f_order]

    score = np.bincount(f_position, weights=f_contribution, minlength=n).astype(np.int64)
    counts = np.bincount(f_position, minlength=n)
    factor_end = np.cumsum(counts)
    factor_start = factor_end - counts
    thresholds = libraries.thresholds[children.version] if n else np.zeros((0, 3))
    as_float = score / 100.0
    from_score = (
        (as_float >= thresholds[:, 0]).astype(np.int64)
        + (as_float >= thresholds[:, 1])
        + (as_float >= thresholds[:, 2])
    )
    level = from_score.copy()
    lowered = children.has_protective_factor & (level >= MEDIUM)
    level[lowered] -= 1
    has_factors = counts > 0
    safeguard = np.where(
        (children.age >= 0) & (children.age < engine.UNDER_AGE_SAFEGUARD),
        1,
        np.where(children.has_learning_disability, 2, 0),
    )
    raised = has_factors & (safeguard > 0) & (level < MEDIUM)
    level[raised] = MEDIUM

    # Sources of the listed factors: distinct (day, agency), oldest first.
    in_listed = np.isin(group, f_group)
    s_group, s_age, s_agency = group[in_listed], age[in_listed], agency[in_listed]
    s_order = np.lexsort((s_agency, -s_age, s_group))
    s_group, s_age, s_agency = s_group[s_order], s_age[s_order], s_agency[s_order]
    if len(s_group):
        distinct = np.r_[
            True,
            (s_group[1:] != s_group[:-1])
            | (s_age[1:] != s_age[:-1])
            | (s_agency[1:] != s_agency[:-1]),
        ]
        s_group, s_age, s_agency = s_group[distinct], s_age[distinct], s_agency[distinct]
    source_start = np.searchsorted(s_group, f_group, side="left")
    source_end = np.searchsorted(s_group, f_group, side="right")
    return Screened(
        level_from_score=from_score,
        level=level,
        score=score,
        protective_lowered=lowered,
        safeguard=np.where(raised, safeguard, 0),
        factor_start=factor_start,
        factor_end=factor_end,
        factor_code=f_code,
        factor_age=age[f_best],
        factor_confidence=confidence[f_best],
        factor_corroborated=f_corroborated,
        factor_contribution=f_contribution,
        factor_weight=weight[f_best].astype(np.int64),
        source_start=source_start,
        source_end=source_end,
        source_age=s_age,
        source_agency=s_agency,
    )


class FactorWriter:
    """Writes each child's factors as the JSON text ``services._factors_json`` gives
    (key for key and value for value once parsed), from precomputed fragments."""

    def __init__(self, libraries: Libraries, version_titles: Sequence[dict[str, str]]):
        self.libraries = libraries
        self.prefix: list[list[str]] = []
        for v, titles in enumerate(version_titles):
            row = []
            for i, code in enumerate(libraries.codes):
                weight = int(libraries.weights[v, i])
                row.append(
                    '{"code": '
                    + orjson.dumps(code).decode()
                    + ', "title": '
                    + orjson.dumps(titles.get(code, "")).decode()
                    + f', "weight": {weight}, "recency_multiplier": '
                )
            self.prefix.append(row)
        self.recency = [
            [repr(round(float(r), 4)) for r in libraries.recency[v]]
            for v in range(len(libraries.versions))
        ]
        self.confidence = [repr(round(float(c), 4)) for c in confidence_table()]
        self.contribution: dict[int, str] = {}

    def screening_text(
        self, screened: Screened, child: int, version: int, days: Sequence[str]
    ) -> str:
        """The factors of child number ``child`` as JSON; ``days[age]`` is the ISO date
        ``age`` days before the screening date."""
        start, end = int(screened.factor_start[child]), int(screened.factor_end[child])
        if start == end:
            return "[]"
        parts = []
        prefix, recency = self.prefix[version], self.recency[version]
        for f in range(start, end):
            hundredths_ = int(screened.factor_contribution[f])
            contribution = self.contribution.get(hundredths_)
            if contribution is None:
                contribution = self.contribution.setdefault(hundredths_, repr(hundredths_ / 100))
            s0, s1 = int(screened.source_start[f]), int(screened.source_end[f])
            sources = ", ".join(
                f'{{"agency_id": {agency}, "seen_on": "{days[age]}"}}'
                for age, agency in zip(
                    screened.source_age[s0:s1].tolist(),
                    screened.source_agency[s0:s1].tolist(),
                    strict=True,
                )
            )
            parts.append(
                prefix[int(screened.factor_code[f])]
                + recency[int(screened.factor_age[f])]
                + ', "confidence_multiplier": '
                + self.confidence[int(screened.factor_confidence[f])]
                + ', "corroboration_multiplier": '
                + ("1.5" if screened.factor_corroborated[f] else "1.0")
                + ', "contribution": '
                + contribution
                + ', "sources": ['
                + sources
                + "]}"
            )
        return "[" + ", ".join(parts) + "]"


def notes(screened: Screened, child: int) -> list[str]:
    """The engine's notes for child number ``child``, in the engine's order."""
    result = []
    if screened.protective_lowered[child]:
        label = LEVEL_VALUES[int(screened.level_from_score[child])].label.lower()
        result.append(f"Protective factors lowered the level from {label}.")
    safeguard = int(screened.safeguard[child])
    if safeguard:
        result.append(f"{SAFEGUARDS[safeguard]}: never graded below medium when any sign is seen.")
    return result
