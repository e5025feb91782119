"""Recompute the screening of many children at once: the nightly run (signs fade with
time, so levels change without new observations), after a library version is
published, and after a synthetic load.

Same rules as ``services.screen_person`` (the pure ``engine.screen``), applied set-based
by ``batch_engine`` (numpy; checked against the engine with hypothesis). Children are
taken in slices of consecutive ids. For each slice the children, their observations,
their current screenings and protective factors are read with binary COPY straight
into arrays; the slice is screened; and the new screenings are written with one COPY.
Everything happens in one transaction: a failure leaves every screening as it was.

A child whose screening would not change (same library version, day, computed level
and score) keeps the current one. Upward professional overrides are carried forward as
``screen_person`` does. Bulk recomputes do not notify teams: a risen level is on the
rising-risk list (docs/decisions/0004-risk-screening.md). Measured in
docs/decisions/0011-batched-screening-with-numpy.md and docs/benchmarks.md."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import orjson
import psycopg
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from psycopg import sql

from clearsight.areas.models import Area
from clearsight.audit import services as audit
from clearsight.risk import batch_engine, engine, selectors
from clearsight.risk.models import LibraryVersion, OverrideApproval, ProtectiveFactor, Screening
from clearsight.risk.services import _carried_override, engine_library

# Children per slice: bounds memory (about 1 KB per child at the national mix).
SLICE = 250_000
SCREENING_COLUMNS = (
    "person_id", "library_version_id", "as_of", "computed_level", "score", "factors",
    "protective_factors", "explanation", "final_level", "previous_level", "level_rose_at",
    "override_level", "override_reason", "override_by_id", "override_at", "approval_status",
    "approved_by_id", "approved_at", "is_current", "created_at",
)  # fmt: skip
EPOCH = date(2000, 1, 1)


@dataclass
class RecomputeStats:
    children: int = 0
    sightings: int = 0
    written: int = 0
    unchanged: int = 0
    seconds: float = 0.0


@transaction.atomic
def recompute_screenings(
    *,
    as_of: date | None = None,
    person_ids: tuple[int, int] | None = None,
    rewrite: bool = False,
) -> RecomputeStats:
    """Screen every live child (or those with ids in ``person_ids``) on ``as_of``.

    A new screening is written when the library version, the level or the signs that
    count (or the protective factors) changed; signs only fading keeps the screening
    on record. ``rewrite`` writes a new one whenever the day or the score differs
    too, as ``screen_person`` does (the cost of a new library version for everyone)."""
    started = time.perf_counter()
    as_of = as_of or timezone.localdate()
    stats = RecomputeStats()
    run = _Run(as_of, timezone.now(), rewrite)
    for low, high in _slices(person_ids):
        run.slice(low, high, stats)
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


def _slices(person_ids: tuple[int, int] | None) -> Iterator[tuple[int, int]]:
    """Consecutive id ranges of about SLICE children each."""
    low, high = person_ids or (0, 2**63 - 1)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM people_person "
            "WHERE kind = 'child' AND deleted_at IS NULL AND id BETWEEN %s AND %s) t "
            "WHERE n %% %s = 1 ORDER BY id",
            [low, high, SLICE],
        )
        starts = [row[0] for row in cursor.fetchall()]
    for i, start in enumerate(starts):
        yield start, (starts[i + 1] - 1 if i + 1 < len(starts) else high)


class _Run:
    """What every slice shares: the libraries, their arrays and the JSON fragments."""

    def __init__(self, as_of: date, now: datetime, rewrite: bool):
        self.as_of, self.now, self.rewrite = as_of, now, rewrite
        by_area = {area_id: selectors.current_library(area_id) for area_id in _area_ids()}
        self.versions: list[LibraryVersion] = sorted(
            {v.pk: v for v in by_area.values()}.values(), key=lambda v: v.pk
        )
        number = {v.pk: i for i, v in enumerate(self.versions)}
        self.area_version = np.full(max(by_area, default=0) + 1, -1, dtype=np.int64)
        for area_id, version in by_area.items():
            self.area_version[area_id] = number[version.pk]
        self.libraries = batch_engine.Libraries.build([engine_library(v) for v in self.versions])
        titles = [
            dict(v.indicators.values_list("code", "title")) for v in self.versions
        ]  # fmt: skip
        self.writer = batch_engine.FactorWriter(self.libraries, titles)
        longest = int(self.libraries.lookback.max(initial=0))
        self.longest = longest
        self.days = [(as_of - timedelta(days=age)).isoformat() for age in range(longest + 1)]
        self.version_pk = [v.pk for v in self.versions]
        self.as_of_text = as_of.isoformat()
        self.as_of_days = (as_of - EPOCH).days
        self.now_text = now.isoformat()

    def slice(self, low: int, high: int, stats: RecomputeStats) -> None:
        with connection.cursor() as django_cursor:
            cursor = django_cursor.cursor
            children = _children(cursor, self.as_of, low, high)
            if not len(children["id"]):
                return
            sightings = _sightings(
                cursor, self.as_of, self.longest, self.libraries.codes, low, high
            )
            previous = _previous(cursor, self.libraries.codes, low, high)
        protective = _protective(self.as_of, low, high)
        version = self.area_version[children["area"]]
        if (version < 0).any():  # an area created since the run began
            raise RuntimeError("A child's area has no indicator library.")
        screened = batch_engine.screen(
            self.libraries,
            batch_engine.Children(
                person_id=children["id"],
                version=version,
                age=children["age"],
                has_learning_disability=children["disabled"].astype(bool),
                has_protective_factor=np.isin(children["id"], list(protective)),
            ),
            batch_engine.Sightings(
                person_id=sightings["person"],
                code=sightings["code"],
                age_days=sightings["age"],
                agency_id=sightings["agency"],
                confidence=sightings["confidence"],
            ),
        )
        stats.children += len(children["id"])
        stats.sightings += len(sightings["person"])
        self._write(children["id"], version, screened, previous, protective, stats)

    def _write(
        self,
        ids: np.ndarray,
        version: np.ndarray,
        screened: batch_engine.Screened,
        previous: dict[str, np.ndarray],
        protective: dict[int, list[dict[str, str]]],
        stats: RecomputeStats,
    ) -> None:
        n = len(ids)
        at = np.searchsorted(previous["person"], ids)
        at_clipped = np.minimum(at, max(len(previous["person"]) - 1, 0))
        has_previous = (
            (at < len(previous["person"])) & (previous["person"][at_clipped] == ids)
            if len(previous["person"])
            else np.zeros(n, dtype=bool)
        )

        def before(column: str, missing: int) -> np.ndarray:
            values = previous[column][at_clipped] if len(previous["person"]) else np.zeros(n)
            return np.where(has_previous, values, missing).astype(np.int64)

        version_pk = np.array(self.version_pk, dtype=np.int64)[version]
        same = (
            has_previous
            & (before("version", -1) == version_pk)
            & (before("computed", -1) == screened.level)
        )
        if self.rewrite:
            unchanged = (
                same
                & (before("as_of", -1) == self.as_of_days)
                & (before("score", -1) == screened.score)
            )
        else:
            # The same signs, the same level: the screening on record still says what
            # is known about the child (its score is from its own day).
            counts = screened.factor_end - screened.factor_start
            unchanged = (
                same
                & (before("factors", -1) == counts)
                & (before("mask", -1) == _code_mask(screened, n))
                & (before("protective", 0) == _protective_counts(ids, protective))
            )
            unchanged = _same_protective(ids, unchanged, protective)
        previous_rank = before("final", 0)
        rose_at = before("rose_at", -1)
        overridden = has_previous & (before("override", 0) == 1)
        carried = _overrides(ids[overridden & ~unchanged])
        changed = np.flatnonzero(~unchanged)
        stats.unchanged += n - len(changed)
        stats.written += len(changed)
        if not len(changed):
            return
        replaced = ids[changed][has_previous[changed]]
        rows = self._rows(changed, ids, version, screened, has_previous, previous_rank,
                          rose_at, protective, carried)  # fmt: skip
        with connection.cursor() as django_cursor:
            cursor = django_cursor.cursor
            if len(replaced):
                cursor.execute(
                    "UPDATE risk_screening SET is_current = false "
                    "WHERE is_current AND person_id = ANY(%s)",
                    [replaced.tolist()],
                )
            columns = sql.SQL(", ").join(sql.Identifier(c) for c in SCREENING_COLUMNS)
            # Rows are sent as they are made, so the server stores one chunk while the
            # next is being made.
            with cursor.copy(sql.SQL("COPY risk_screening ({}) FROM STDIN").format(columns)) as c:
                chunk: list[str] = []
                for row in rows:
                    chunk.append(row)
                    if len(chunk) == 2_000:
                        c.write("".join(chunk))
                        chunk.clear()
                if chunk:
                    c.write("".join(chunk))

    def _rows(
        self,
        changed: np.ndarray,
        ids: np.ndarray,
        version: np.ndarray,
        screened: batch_engine.Screened,
        has_previous: np.ndarray,
        previous_rank: np.ndarray,
        rose_at: np.ndarray,
        protective: dict[int, list[dict[str, str]]],
        carried: dict[int, Screening],
    ) -> Iterator[str]:
        """Each new screening as a line of COPY text."""
        levels = [level.value for level in batch_engine.LEVEL_VALUES]
        has_previous_list = has_previous.tolist()
        ids_list, version_list = ids.tolist(), version.tolist()
        computed_list, score_list = screened.level.tolist(), screened.score.tolist()
        previous_list, rose_list = previous_rank.tolist(), rose_at.tolist()
        rose_text: dict[int, str] = {}
        head = [self.as_of_text]
        tail = f"\tt\t{self.now_text}\n"
        for i in changed.tolist():
            person_id, computed = ids_list[i], computed_list[i]
            override = carried.get(person_id)
            if override is not None:
                override = _carried_override(override, batch_engine.LEVEL_VALUES[computed])
            final = engine.Level(override.override_level).rank if override else computed
            previous_level = previous_list[i]
            if final > previous_level:
                rose = self.now_text
            elif has_previous_list[i] and final == previous_level and rose_list[i] >= 0:
                rose = rose_text.get(rose_list[i]) or rose_text.setdefault(
                    rose_list[i], _micros_text(rose_list[i])
                )
            else:
                rose = "\\N"
            notes = batch_engine.notes(screened, i)
            if override:
                notes.append("Professional override carried forward")
            score = score_list[i]
            yield (
                "\t".join(
                    (
                        str(person_id),
                        str(self.version_pk[version_list[i]]),
                        head[0],
                        levels[computed],
                        f"{score // 100}.{score % 100:02d}",
                        _copy_text(
                            self.writer.screening_text(screened, i, version_list[i], self.days)
                        ),
                        _copy_text(orjson.dumps(protective[person_id]).decode())
                        if person_id in protective
                        else "[]",
                        _copy_text(orjson.dumps(notes).decode()) if notes else "[]",
                        levels[final],
                        levels[previous_level] if has_previous_list[i] else "",
                        rose,
                        *(_override_fields(override) if override else _NO_OVERRIDE),
                    )
                )
                + tail
            )


_NO_OVERRIDE = ("", "", "\\N", "\\N", OverrideApproval.NOT_NEEDED.value, "\\N", "\\N")


def _override_fields(screening: Screening) -> tuple[str, ...]:
    def value(v: Any) -> str:
        if v is None:
            return "\\N"
        return _copy_text(v.isoformat() if isinstance(v, datetime) else str(v))

    return (
        screening.override_level,
        value(screening.override_reason),
        value(screening.override_by_id),
        value(screening.override_at),
        screening.approval_status,
        value(screening.approved_by_id),
        value(screening.approved_at),
    )


def _copy_text(value: str) -> str:
    """Escape a value for COPY's text format."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return value


def _micros_text(micros: int) -> str:
    moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=micros)
    return moment.isoformat()


def _area_ids() -> list[int]:
    return list(Area.objects.values_list("pk", flat=True))


def _read_arrays(
    cursor: Any, query: str, params: list[Any], names: tuple[str, ...], order_by: str = ""
) -> dict[str, np.ndarray]:
    """Run ``query`` (every column a non-null bigint) and return each column as an array.

    Each column comes back as one bytea of big-endian integers (``string_agg`` of
    ``int8send``): a binary COPY would hand Python one message per row, which costs
    more than the screening itself at national scale."""
    columns = ", ".join(f"string_agg(int8send(q.{name}), ''::bytea)" for name in names)
    aliases = ", ".join(names)
    # A server-side binding cursor: Django's are client-side, which cannot fetch binary.
    with psycopg.Cursor(cursor.connection) as raw:
        raw.execute(
            f"SELECT {columns} FROM ({query}) AS q ({aliases})",  # noqa: S608
            params,
            binary=True,
        )
        row = raw.fetchone()
    arrays = {
        name: np.frombuffer(data or b"", dtype=">i8").astype(np.int64)
        for name, data in zip(names, row or (None,) * len(names), strict=True)
    }
    if order_by:
        order = np.argsort(arrays[order_by], kind="stable")
        arrays = {name: values[order] for name, values in arrays.items()}
    return arrays


def _children(cursor: Any, as_of: date, low: int, high: int) -> dict[str, np.ndarray]:
    return _read_arrays(
        cursor,
        "SELECT id, area_id::bigint, COALESCE(%s - EXTRACT(YEAR FROM date_of_birth)::int "
        "- CASE WHEN (%s, %s) < (EXTRACT(MONTH FROM date_of_birth)::int, "
        "EXTRACT(DAY FROM date_of_birth)::int) THEN 1 ELSE 0 END, -1)::bigint, "
        "has_learning_disability::int::bigint FROM people_person "
        "WHERE kind = 'child' AND deleted_at IS NULL AND id BETWEEN %s AND %s",
        [as_of.year, as_of.month, as_of.day, low, high],
        ("id", "area", "age", "disabled"),
        order_by="id",
    )


def _sightings(
    cursor: Any, as_of: date, lookback: int, codes: tuple[str, ...], low: int, high: int
) -> dict[str, np.ndarray]:
    return _read_arrays(
        cursor,
        "SELECT o.person_id, (c.n - 1)::bigint, (%s::date - o.seen_on)::bigint, "
        "o.agency_id::bigint, o.confidence::bigint FROM risk_observation o "
        "JOIN unnest(%s::text[]) WITH ORDINALITY AS c(code, n) ON c.code = o.indicator_code "
        "WHERE o.person_id BETWEEN %s AND %s AND o.seen_on <= %s AND o.seen_on >= %s",
        [as_of, list(codes), low, high, as_of, as_of - timedelta(days=lookback)],
        ("person", "code", "age", "agency", "confidence"),
    )


def _previous(cursor: Any, codes: tuple[str, ...], low: int, high: int) -> dict[str, np.ndarray]:
    return _read_arrays(
        cursor,
        "SELECT person_id, library_version_id::bigint, (as_of - DATE '2000-01-01')::bigint, "
        "(array_position(ARRAY['none','low','medium','high'], computed_level::text) - 1)::bigint, "
        "(score * 100)::bigint, "
        "(array_position(ARRAY['none','low','medium','high'], final_level::text) - 1)::bigint, "
        "COALESCE(FLOOR(EXTRACT(EPOCH FROM level_rose_at) * 1000000), -1)::bigint, "
        "(override_level <> '')::int::bigint, jsonb_array_length(factors)::bigint, "
        "COALESCE((SELECT bit_or(1::bigint << ((c.n - 1)::int %% 63)) "
        "FROM jsonb_array_elements(factors) AS f JOIN unnest(%s::text[]) WITH ORDINALITY "
        "AS c(code, n) ON c.code = f->>'code'), 0)::bigint, "
        "jsonb_array_length(protective_factors)::bigint FROM risk_screening "
        "WHERE is_current AND person_id BETWEEN %s AND %s",
        [list(codes), low, high],
        (
            "person",
            "version",
            "as_of",
            "computed",
            "score",
            "final",
            "rose_at",
            "override",
            "factors",
            "mask",
            "protective",
        ),
        order_by="person",
    )


def _protective(as_of: date, low: int, high: int) -> dict[int, list[dict[str, str]]]:
    """The protective factors that count (recorded with a reason, in force on the day),
    for each child, in the order screen_person gives them."""
    factors = (
        ProtectiveFactor.objects.filter(recorded_on__lte=as_of, person__id__range=(low, high))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=as_of))
        .order_by("person_id", "code", "pk")
        .values_list("person_id", "code", "title", "reason")
    )
    by_person: dict[int, list[dict[str, str]]] = {}
    for person_id, code, title, reason in factors:
        if reason.strip():
            by_person.setdefault(person_id, []).append(
                {"code": code, "title": title, "reason": reason}
            )
    return by_person


def _code_mask(screened: batch_engine.Screened, n: int) -> np.ndarray:
    """Which signs each child's factors name, as bits (``_previous`` reads the same
    bits from the stored screening)."""
    mask = np.zeros(n, dtype=np.int64)
    counts = screened.factor_end - screened.factor_start
    bits = np.left_shift(np.int64(1), (screened.factor_code % 63).astype(np.int64))
    np.bitwise_or.at(mask, np.repeat(np.arange(n), counts), bits)
    return mask


def _protective_counts(ids: np.ndarray, protective: dict[int, list[dict[str, str]]]) -> np.ndarray:
    counts = np.zeros(len(ids), dtype=np.int64)
    if protective:
        keys = np.array(list(protective), dtype=np.int64)
        values = np.array([len(v) for v in protective.values()], dtype=np.int64)
        at = np.searchsorted(ids, keys)
        counts[at] = values
    return counts


def _same_protective(
    ids: np.ndarray, unchanged: np.ndarray, protective: dict[int, list[dict[str, str]]]
) -> np.ndarray:
    """Children with protective factors stay unchanged only if the list is the same."""
    if not protective:
        return unchanged
    check = [pid for pid in protective if unchanged[np.searchsorted(ids, pid)]]
    stored = dict(
        Screening.objects.filter(is_current=True, person_id__in=check).values_list(
            "person_id", "protective_factors"
        )
    )
    result = unchanged.copy()
    for person_id in check:
        if stored.get(person_id) != protective[person_id]:
            result[np.searchsorted(ids, person_id)] = False
    return result


def _overrides(person_ids: np.ndarray) -> dict[int, Screening]:
    if not len(person_ids):
        return {}
    return {
        s.person_id: s
        for s in Screening.objects.filter(is_current=True, person_id__in=person_ids.tolist())
    }
