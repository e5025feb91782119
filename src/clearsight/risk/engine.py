"""The screening rules: observations + a library version + a date -> a level, a score
and the factors that produced it. Pure Python with no Django import, so every rule is
tested exhaustively with hypothesis (tests/risk/test_engine.py).

How a score is built
====================

Each indicator seen about the child is one *factor*. Its contribution is::

    weight x recency x confidence x corroboration

======================  ====================================================================
Part                    Rule
======================  ====================================================================
weight                  From the library version (1 = weak on its own, 10 = strong).
recency                 ``0.5 ** (age in days / half-life)``: a sign counts half as much
                        after one half-life (national version 1: 180 days), a quarter after
                        two. Signs seen after the screening date are not counted; signs
                        older than the look-back (version 1: 730 days) are left out.
confidence              ``0.5 + confidence / 10``: 0.6 for 1 ("unsure") to 1.0 for 5
                        ("certain").
(strongest sighting)    When a sign was seen several times, the sighting with the highest
                        ``recency x confidence`` is used, so another sighting never lowers
                        a factor.
corroboration           x1.5 when two or more agencies saw the same sign (within the
                        look-back), x1.0 otherwise.
======================  ====================================================================

Each contribution is rounded to 2 decimal places; the score is their sum. Factors that
round to 0 are not listed and do not count. Codes that are not in the library version
(for example an indicator an area removed) are not counted.

Levels (thresholds from the library version; national version 1 shown)
=======================================================================

================  ================  ======================================================
Level             Score             Notes
================  ================  ======================================================
no known risk     below 1           No sign counted.
low               1 or more         For example one weight-8 sign seen today.
medium            12 or more        For example two strong signs, or one strong sign seen
                                    by two agencies (8 x 1.5 = 12).
high              25 or more        Several strong signs, or corroborated ones.
================  ================  ======================================================

Safeguards, applied after the thresholds, in this order
=======================================================

1. **Protective factors** lower the level by one band (high -> medium, medium -> low),
   and only those recorded with a reason count. They never lower a level to "no known
   risk" while a sign is counted, and never lower the score.
2. **Under 13 or learning disability**: a child under 13 on the screening date, or with a
   recorded learning disability, with any counted sign is never graded below medium
   (younger and disabled children are targeted because they are less likely to be
   suspected, and are less able to recognise or tell of exploitation).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

CORROBORATION_MULTIPLIER = 1.5
CORROBORATING_AGENCIES = 2
UNDER_AGE_SAFEGUARD = 13
PLACES = 2


class Level(StrEnum):
    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self]


# The levels from no known risk up, indexed by rank (the batch engine indexes it too).
BY_RANK = (Level.NONE, Level.LOW, Level.MEDIUM, Level.HIGH)
_RANKS = {level: rank for rank, level in enumerate(BY_RANK)}
LEVEL_LABELS = {
    Level.NONE: "No known risk",
    Level.LOW: "Low",
    Level.MEDIUM: "Medium",
    Level.HIGH: "High",
}


@dataclass(frozen=True)
class IndicatorRule:
    code: str
    title: str
    weight: int


@dataclass(frozen=True)
class Thresholds:
    low: float
    medium: float
    high: float

    def level_for(self, score: float) -> Level:
        if score >= self.high:
            return Level.HIGH
        if score >= self.medium:
            return Level.MEDIUM
        if score >= self.low:
            return Level.LOW
        return Level.NONE


@dataclass(frozen=True)
class Library:
    indicators: tuple[IndicatorRule, ...]
    thresholds: Thresholds
    half_life_days: int
    lookback_days: int

    def rule(self, code: str) -> IndicatorRule | None:
        return next((r for r in self.indicators if r.code == code), None)


@dataclass(frozen=True)
class Sighting:
    """One indicator seen about the child by one agency on one day."""

    code: str
    seen_on: date
    agency_id: int
    confidence: int


@dataclass(frozen=True)
class Child:
    age: int | None
    has_learning_disability: bool = False


@dataclass(frozen=True)
class Protection:
    code: str
    title: str
    reason: str


@dataclass(frozen=True)
class Source:
    agency_id: int
    seen_on: date


@dataclass(frozen=True)
class Factor:
    code: str
    title: str
    weight: int
    recency_multiplier: float
    confidence_multiplier: float
    corroboration_multiplier: float
    contribution: float
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Result:
    level: Level
    score: float
    factors: tuple[Factor, ...]
    level_from_score: Level
    protective_factors: tuple[Protection, ...] = ()
    safeguard: str = ""
    notes: tuple[str, ...] = ()


def recency_multiplier(age_days: int, half_life_days: int) -> float:
    return float(0.5 ** (max(age_days, 0) / half_life_days))


def confidence_multiplier(confidence: int) -> float:
    return 0.5 + min(max(confidence, 1), 5) / 10


def screen(
    *,
    sightings: Iterable[Sighting],
    library: Library,
    as_of: date,
    child: Child,
    protective_factors: Sequence[Protection] = (),
) -> Result:
    """Screen one child on ``as_of``. Deterministic: the same input always gives the
    same result, factors strongest first."""
    by_code: dict[str, list[Sighting]] = {}
    for sighting in sightings:
        age = (as_of - sighting.seen_on).days
        if 0 <= age <= library.lookback_days:
            by_code.setdefault(sighting.code, []).append(sighting)
    factors = []
    for code, seen in by_code.items():
        rule = library.rule(code)
        if rule is None:
            continue
        factor = _factor(rule, seen, library, as_of)
        if factor.contribution > 0:
            factors.append(factor)
    factors.sort(key=lambda f: (-f.contribution, f.code))
    score = round(sum(f.contribution for f in factors), PLACES)
    from_score = library.thresholds.level_for(score)
    level, notes = from_score, []
    counted = [p for p in protective_factors if p.reason.strip()]
    if counted and level.rank >= Level.MEDIUM.rank:
        level = BY_RANK[level.rank - 1]
        notes.append(f"Protective factors lowered the level from {from_score.label.lower()}.")
    safeguard = _safeguard(child) if factors else ""
    if safeguard and level.rank < Level.MEDIUM.rank:
        level = Level.MEDIUM
        notes.append(f"{safeguard}: never graded below medium when any sign is seen.")
    return Result(
        level=level,
        score=score,
        factors=tuple(factors),
        level_from_score=from_score,
        protective_factors=tuple(counted),
        safeguard=safeguard,
        notes=tuple(notes),
    )


def _factor(rule: IndicatorRule, seen: list[Sighting], library: Library, as_of: date) -> Factor:
    def strength(s: Sighting) -> tuple[float, float, float, date, int]:
        recency = recency_multiplier((as_of - s.seen_on).days, library.half_life_days)
        confidence = confidence_multiplier(s.confidence)
        return (recency * confidence, recency, confidence, s.seen_on, -s.agency_id)

    best = max(strength(s) for s in seen)
    agencies = {s.agency_id for s in seen}
    corroboration = CORROBORATION_MULTIPLIER if len(agencies) >= CORROBORATING_AGENCIES else 1.0
    contribution = round(rule.weight * best[0] * corroboration, PLACES)
    sources = tuple(sorted({Source(s.agency_id, s.seen_on) for s in seen}, key=_source_order))
    return Factor(
        code=rule.code,
        title=rule.title,
        weight=rule.weight,
        recency_multiplier=round(best[1], 4),
        confidence_multiplier=round(best[2], 4),
        corroboration_multiplier=corroboration,
        contribution=contribution,
        sources=sources,
    )


def _source_order(source: Source) -> tuple[date, int]:
    return (source.seen_on, source.agency_id)


def _safeguard(child: Child) -> str:
    if child.age is not None and child.age < UNDER_AGE_SAFEGUARD:
        return "Child under 13"
    if child.has_learning_disability:
        return "Child with a learning disability"
    return ""
