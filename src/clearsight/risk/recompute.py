"""Recompute the screening of many children at once: the nightly run (signs fade with
time, so levels change without new observations), after a library version is
published, and for a synthetic load.

Same rules as ``services.screen_person`` (the pure ``engine.screen``), but set-based:
observations are read in one pass in person order through a server-side cursor, each
child is screened in Python, and the new screenings are written with COPY in chunks.
A child whose screening would not change (same library version, day, computed level
and score) keeps the current one. Upward professional overrides are carried forward as
``screen_person`` does. Bulk recomputes do not notify teams: a risen level is on the
rising-risk list (docs/decisions/0004-risk-screening.md)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb

from clearsight.audit import services as audit
from clearsight.risk import engine, selectors
from clearsight.risk.models import LibraryVersion, OverrideApproval, Screening
from clearsight.risk.services import _carried_override, _factors_json, engine_library

FETCH = 20_000
SCREENING_COLUMNS = (
    "person_id", "library_version_id", "as_of", "computed_level", "score", "factors",
    "protective_factors", "explanation", "final_level", "previous_level", "level_rose_at",
    "override_level", "override_reason", "override_by_id", "override_at", "approval_status",
    "approved_by_id", "approved_at", "is_current", "created_at",
)  # fmt: skip


@dataclass
class RecomputeStats:
    children: int = 0
    sightings: int = 0
    written: int = 0
    unchanged: int = 0
    seconds: float = 0.0


@dataclass
class _Previous:
    version_id: int
    as_of: date
    computed_level: str
    score: Decimal
    final_level: str
    level_rose_at: datetime | None
    override: Screening | None


def _age(born: date | None, today: date) -> int | None:
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@transaction.atomic
def recompute_screenings(
    *, as_of: date | None = None, person_ids: tuple[int, int] | None = None
) -> RecomputeStats:
    """Screen every live child (or those with ids in ``person_ids``) on ``as_of``."""
    started = time.perf_counter()
    as_of = as_of or timezone.localdate()
    stats = RecomputeStats()
    libraries: dict[int, tuple[LibraryVersion, engine.Library]] = {}
    versions: dict[int | None, tuple[LibraryVersion, engine.Library]] = {}

    def library_for(area_id: int) -> tuple[LibraryVersion, engine.Library]:
        if area_id not in versions:
            version = selectors.current_library(area_id)
            if version.pk not in libraries:
                libraries[version.pk] = (version, engine_library(version))
            versions[area_id] = libraries[version.pk]
        return versions[area_id]

    protective = _protective_factors(as_of, person_ids)
    previous = _previous_screenings(person_ids)
    lookback = max(LibraryVersion.objects.values_list("lookback_days", flat=True), default=0)
    bounds = person_ids or (0, 2**63 - 1)
    now = timezone.now()
    pending: list[tuple[Any, ...]] = []
    replaced: list[int] = []
    connection.ensure_connection()
    pg = connection.connection
    with pg.cursor(name="recompute_screenings") as rows:
        rows.itersize = FETCH
        rows.execute(
            "SELECT p.id, p.area_id, p.date_of_birth, p.has_learning_disability, "
            "o.indicator_code, o.seen_on, o.agency_id, o.confidence "
            "FROM people_person p LEFT JOIN risk_observation o ON o.person_id = p.id "
            "AND o.seen_on <= %s AND o.seen_on >= %s "
            "WHERE p.kind = 'child' AND p.deleted_at IS NULL "
            "AND p.id BETWEEN %s AND %s ORDER BY p.id",
            [as_of, as_of - timedelta(days=lookback), *bounds],
        )
        current: list[Any] | None = None
        sightings: list[engine.Sighting] = []
        while batch := rows.fetchmany(FETCH):
            for person_id, area_id, born, disabled, code, seen_on, agency_id, confidence in batch:
                if current is None or current[0] != person_id:
                    if current is not None:
                        _screen_one(current, sightings, as_of, now, library_for, protective,
                                    previous, pending, replaced, stats)  # fmt: skip
                    current, sightings = [person_id, area_id, born, disabled], []
                if code is not None:
                    sightings.append(engine.Sighting(code, seen_on, agency_id, confidence))
                    stats.sightings += 1
            if len(pending) >= FETCH:
                _write(pending, replaced)
        if current is not None:
            _screen_one(current, sightings, as_of, now, library_for, protective, previous,
                        pending, replaced, stats)  # fmt: skip
    _write(pending, replaced)
    stats.seconds = time.perf_counter() - started
    audit.record(
        action="screening.recomputed",
        details={
            "as_of": as_of.isoformat(),
            "children": stats.children,
            "written": stats.written,
            "unchanged": stats.unchanged,
        },
    )
    return stats


def _screen_one(
    current: list[Any],
    sightings: list[engine.Sighting],
    as_of: date,
    now: datetime,
    library_for: Any,
    protective: dict[int, list[engine.Protection]],
    previous: dict[int, _Previous],
    pending: list[tuple[Any, ...]],
    replaced: list[int],
    stats: RecomputeStats,
) -> None:
    person_id, area_id, born, disabled = current
    version, library = library_for(area_id)
    result = engine.screen(
        sightings=sightings,
        library=library,
        as_of=as_of,
        child=engine.Child(age=_age(born, as_of), has_learning_disability=disabled),
        protective_factors=protective.get(person_id, ()),
    )
    stats.children += 1
    score = Decimal(str(result.score))
    before = previous.get(person_id)
    if (
        before is not None
        and before.version_id == version.pk
        and before.as_of == as_of
        and before.computed_level == result.level.value
        and before.score == score
    ):
        stats.unchanged += 1
        return
    carried = _carried_override(before.override if before else None, result.level)
    final = engine.Level(carried.override_level) if carried else result.level
    previous_level = engine.Level(before.final_level) if before else engine.Level.NONE
    if final.rank > previous_level.rank:
        rose_at: datetime | None = now
    elif before is not None and final == previous_level:
        rose_at = before.level_rose_at
    else:
        rose_at = None
    if before is not None:
        replaced.append(person_id)
    pending.append(
        (
            person_id, version.pk, as_of, result.level.value, score,
            Jsonb(_factors_json(result)),
            Jsonb([{"code": p.code, "title": p.title, "reason": p.reason}
                   for p in result.protective_factors]),
            Jsonb([*result.notes, *(["Professional override carried forward"] if carried else [])]),
            final.value, before.final_level if before else "", rose_at,
            carried.override_level if carried else "",
            carried.override_reason if carried else "",
            carried.override_by_id if carried else None,
            carried.override_at if carried else None,
            carried.approval_status if carried else OverrideApproval.NOT_NEEDED.value,
            carried.approved_by_id if carried else None,
            carried.approved_at if carried else None,
            True, now,
        )
    )  # fmt: skip
    stats.written += 1


def _write(pending: list[tuple[Any, ...]], replaced: list[int]) -> None:
    if not pending:
        return
    with connection.connection.cursor() as cursor:
        if replaced:
            cursor.execute(
                "UPDATE risk_screening SET is_current = false "
                "WHERE is_current AND person_id = ANY(%s)",
                [replaced],
            )
        columns = ", ".join(SCREENING_COLUMNS)
        with cursor.copy(f"COPY risk_screening ({columns}) FROM STDIN") as copy:
            for row in pending:
                copy.write_row(row)
    pending.clear()
    replaced.clear()


def _protective_factors(
    as_of: date, person_ids: tuple[int, int] | None
) -> dict[int, list[engine.Protection]]:
    from django.db.models import Q

    from clearsight.risk.models import ProtectiveFactor

    factors = ProtectiveFactor.objects.filter(recorded_on__lte=as_of).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=as_of)
    )
    if person_ids is not None:
        factors = factors.filter(person_id__gte=person_ids[0], person_id__lte=person_ids[1])
    by_person: dict[int, list[engine.Protection]] = {}
    for person_id, code, title, reason in factors.order_by("person_id", "code", "pk").values_list(
        "person_id", "code", "title", "reason"
    ):
        by_person.setdefault(person_id, []).append(engine.Protection(code, title, reason))
    return by_person


def _previous_screenings(person_ids: tuple[int, int] | None) -> dict[int, _Previous]:
    current = Screening.objects.filter(is_current=True)
    if person_ids is not None:
        current = current.filter(person_id__gte=person_ids[0], person_id__lte=person_ids[1])
    overridden = {s.person_id: s for s in current.exclude(override_level="")}
    return {
        person_id: _Previous(
            version_id, day, level, score, final, rose_at, overridden.get(person_id)
        )
        for person_id, version_id, day, level, score, final, rose_at in current.values_list(
            "person_id", "library_version_id", "as_of", "computed_level", "score",
            "final_level", "level_rose_at",
        ).iterator(chunk_size=20_000)
    }  # fmt: skip
