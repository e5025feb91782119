"""Loading a synthetic data set with PostgreSQL COPY
(docs/decisions/0006-synthetic-data-copy-with-reserved-ids.md).

1. Refuse a database holding person records that no synthetic run made (unless forced).
2. Remove the rows of any earlier run (by its recorded id ranges) and record a new run.
3. Reserve an id range in every table, so that each area's rows can be generated with
   their final ids and foreign keys, in any order and in parallel, without a round trip.
4. Generate each area's rows (people one by one in Python, everything high-volume a
   column at a time with numpy, docs/decisions/0006-synthetic-data-copy-with-reserved-ids.md) and
   COPY them as pre-formatted text, one transaction per area, in ``workers``
   processes, printing rows per second. Into empty tables, secondary indexes, unique
   constraints and foreign keys are dropped first and made once afterwards
   (synth/deferred.py).
5. Screen every child once (risk/recompute.py, split over the workers), ANALYZE, and
   mark the run complete.
An interrupted load leaves a run marked "loading"; the next run removes its rows first
and rebuilds any index the interrupted one had dropped."""

from __future__ import annotations

import csv
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TextIO

import psycopg
from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

from clearsight.synth import copytext, deferred, tables
from clearsight.synth.concerns import generate_concerns
from clearsight.synth.context import area_context
from clearsight.synth.events import generate_events
from clearsight.synth.intel import generate_intel
from clearsight.synth.models import SynthRun, SynthRunStatus
from clearsight.synth.people import AreaRows, generate_people
from clearsight.synth.scales import Scale
from clearsight.synth.world import ExistingArea, Indicator, World, plan_world

SCREENING_TABLE = "risk_screening"


class SynthError(Exception):
    """A load that cannot go ahead, with a message for the person running it."""


class Interrupted(SynthError):
    pass


@dataclass
class LoadResult:
    run: SynthRun
    rows: int
    seconds: float
    truth_path: Path | None
    skipped: bool = False
    # Seconds spent building the indexes deferred to the end (0 when none were).
    index_seconds: float = 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


# --- Guards and clean-up ------------------------------------------------------------


def _in_ranges(column: str, ranges: Iterable[tuple[int, int]]) -> str:
    clauses = [f"{column} BETWEEN {int(a)} AND {int(b)}" for a, b in ranges]
    return "(" + " OR ".join(clauses) + ")" if clauses else "FALSE"


def non_synthetic_persons() -> int:
    """Person records that no synthetic run created: real (or hand-made) data."""
    ranges = [
        tuple(run.id_ranges["people_person"])
        for run in SynthRun.objects.all()
        if "people_person" in run.id_ranges
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM people_person WHERE NOT {_in_ranges('id', ranges)}")  # noqa: S608 - integers only
        return int(cursor.fetchone()[0])


def delete_run(run: SynthRun) -> int:
    """Delete exactly the rows the run created, children before parents."""
    deleted = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for db_table, (first, last) in reversed(list(run.id_ranges.items())):
            try:
                with transaction.atomic():
                    cursor.execute(
                        f"DELETE FROM {connection.ops.quote_name(db_table)} "  # noqa: S608
                        "WHERE id BETWEEN %s AND %s",
                        [first, last],
                    )
            except Exception as error:
                raise SynthError(
                    f"Rows added since the synthetic load refer to it ({db_table}): remove "
                    "them first, or load into a fresh database."
                ) from error
            deleted += cursor.rowcount
        run.delete()
    return deleted


# --- Reading what the plan needs from the database -----------------------------------


def indicators() -> tuple[Indicator, ...]:
    from clearsight.risk.selectors import current_library

    version = current_library(None)
    return tuple(
        Indicator(code, title, category, weight)
        for code, title, category, weight in version.indicators.order_by(
            "position", "code"
        ).values_list("code", "title", "category", "weight")
    )


def existing_demo_area() -> ExistingArea:
    """The demo area and its accounts, made (idempotently) by load_demo."""
    from clearsight.areas.models import Agency, Membership
    from clearsight.demo.accounts import load_demo_accounts

    area, _ = load_demo_accounts()
    agencies = Agency.objects.filter(area=area).order_by("pk")
    memberships = Membership.objects.current().filter(agency__area=area).order_by("pk")
    return ExistingArea(
        id=area.pk,
        name=area.name,
        code=area.code,
        agencies=tuple(agencies.values_list("pk", "name", "agency_type")),
        memberships=tuple(memberships.values_list("pk", "user_id", "agency_id", "role")),
    )


def reserve(cursor: Any, db_table: str, count: int) -> tuple[int, int]:
    """Take ``count`` ids from the table's sequence in one jump. The table is locked
    against inserts meanwhile, so nobody else is handed an id inside the range."""
    cursor.execute(f"LOCK TABLE {db_table} IN SHARE ROW EXCLUSIVE MODE")
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [db_table])
    sequence = cursor.fetchone()[0]
    cursor.execute(
        f"SELECT setval(%s, GREATEST((SELECT last_value FROM {sequence}), "  # noqa: S608
        f"(SELECT COALESCE(max(id), 0) FROM {db_table})) + %s)",
        [sequence, count],
    )
    last = int(cursor.fetchone()[0])
    return last - count + 1, last


# --- COPY ---------------------------------------------------------------------------


def copy_text(cursor: psycopg.Cursor[Any], spec: tables.Table, texts: list[str]) -> None:
    """COPY rows already in text format (each row ends with the fixed columns)."""
    columns = ", ".join((*spec.columns, *spec.fixed_columns))
    with cursor.copy(f"COPY {spec.db_table} ({columns}) FROM STDIN") as copy:
        for text in texts:
            copy.write(text)


def copy_rows(cursor: psycopg.Cursor[Any], spec: tables.Table, rows: list[tuple[Any, ...]]) -> None:
    """COPY Python tuples of the generated columns, formatted with ``str.join``."""
    copy_text(cursor, spec, [copytext.rows_text(rows, copytext.suffix(spec.fixed_values))])


def _connect() -> psycopg.Connection[Any]:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    conn = psycopg.connect(**params)
    # A lost synthetic load is simply re-run, so waiting for each commit to reach disk
    # buys nothing; a larger GIN pending list makes the trigram name index cheaper.
    conn.execute("SET synchronous_commit = off")
    conn.execute("SET gin_pending_list_limit = '64MB'")
    conn.commit()
    return conn


_WORLD: World | None = None
_SPECS: dict[str, tables.Table] = {}


def generate_area(world: World, index: int) -> AreaRows:
    area = world.areas[index]
    rows, children = generate_people(world, area)
    tails = {t: copytext.suffix(spec.fixed_values) for t, spec in _SPECS.items()}
    ctx = area_context(world, area, children, tails)
    generate_events(ctx, rows)
    generate_concerns(ctx, rows)
    generate_intel(ctx, rows)
    return rows


def _load_area(index: int) -> tuple[int, dict[str, int], list[tuple[str, int, int, str, str]]]:
    assert _WORLD is not None
    rows = generate_area(_WORLD, index)
    with _connect() as conn, conn.cursor() as cursor:
        _copy_area(cursor, rows)
    return index, rows.counts, rows.truth


def _copy_area(cursor: psycopg.Cursor[Any], rows: AreaRows) -> None:
    for db_table in tables.LOAD_ORDER:
        spec = _SPECS[db_table]
        if rows.tables.get(db_table):
            copy_rows(cursor, spec, rows.tables[db_table])
        if rows.texts.get(db_table):
            copy_text(cursor, spec, rows.texts[db_table])


def _shared_rows(world: World) -> dict[str, list[tuple[Any, ...]]]:
    """Areas, agencies and staff accounts (unusable passwords: they cannot sign in)."""
    now = world.anchor
    shared: dict[str, list[tuple[Any, ...]]] = {
        "areas_area": [(a.id, a.name, a.code, now) for a in world.areas if a.is_ours],
        "areas_agency": [
            (agency_id, area.id, name, kind, now)
            for area in world.areas
            for agency_id, name, kind in area.new_agencies
        ],
        "accounts_user": [
            (user_id, f"!synthetic-{user_id}", email, name, now)
            for user_id, email, name in world.users
        ],
        "areas_membership": [
            (s.membership_id, s.user_id, s.agency_id, s.role, now)
            for area in world.areas
            for s in area.staff
            if not s.is_demo
        ],
    }
    return shared


# --- The load ----------------------------------------------------------------------


class Progress:
    def __init__(self, total_areas: int, stream: TextIO | None) -> None:
        self.total, self.stream = total_areas, stream
        self.done, self.rows, self.started = 0, 0, time.perf_counter()

    def area_done(self, rows: int) -> None:
        self.done += 1
        self.rows += rows
        if self.stream is None:
            return
        elapsed = time.perf_counter() - self.started
        rate = self.rows / elapsed if elapsed else 0.0
        filled = int(30 * self.done / self.total)
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total} areas, "
            f"{self.rows:,} rows, {rate:,.0f} rows/s, {elapsed:,.0f} s"
        )
        if self.done == self.total:
            self.stream.write("\n")
        self.stream.flush()


def load(
    *,
    scale: Scale,
    seed: int,
    as_of: date | None = None,
    force: bool = False,
    replace: bool = False,
    truth_path: Path | None = None,
    workers: int | None = None,
    progress: TextIO | None = sys.stderr,
    warn: Callable[[str], None] = print,
    interrupt_after_areas: int | None = None,
    defer_indexes: bool = True,
) -> LoadResult:
    if seed < 0:
        raise SynthError("The seed must be 0 or more.")
    # A load killed outright (not just interrupted) may have left indexes dropped.
    deferred.restore()
    as_of = as_of or timezone.localdate()
    done = SynthRun.objects.filter(
        scale=scale.name, seed=seed, status=SynthRunStatus.COMPLETE
    ).first()
    if done is not None and not replace:
        return LoadResult(run=done, rows=0, seconds=0.0, truth_path=None, skipped=True)
    foreign = non_synthetic_persons()
    if foreign:
        if not force:
            raise SynthError(
                f"This database holds {foreign:,} person records that synthetic data did not "
                "create. Load synthetic data into its own database, or pass --force."
            )
        warn(
            f"Warning: the database holds {foreign:,} person records that are not synthetic. "
            "They are left untouched."
        )
    for earlier in SynthRun.objects.order_by("started_at"):
        warn(f"Removing an earlier synthetic load ({earlier}).")
        delete_run(earlier)

    workers = workers or default_workers()
    started = time.perf_counter()
    empty = deferred.empty_tables(tables.LOAD_ORDER) if defer_indexes else []
    dropped = deferred.drop(empty) if empty else []
    world = _plan(scale, seed, as_of)
    run = _start_run(world)
    global _WORLD, _SPECS
    _WORLD = world
    _SPECS = {t: tables.table(t, world.anchor) for t in tables.LOAD_ORDER}
    counts: dict[str, int] = {}
    truth: list[tuple[str, int, int, str, str]] = []
    with _connect() as conn, conn.cursor() as cursor:
        shared = _shared_rows(world)
        for db_table in tables.LOAD_ORDER:
            if shared.get(db_table):
                copy_rows(cursor, _SPECS[db_table], shared[db_table])
                counts[db_table] = len(shared[db_table])
    tracker = Progress(len(world.areas), progress)
    tracker.rows = sum(counts.values())

    def collect(result: tuple[int, dict[str, int], list[Any]]) -> None:
        _, area_counts, area_truth = result
        for db_table, n in area_counts.items():
            counts[db_table] = counts.get(db_table, 0) + n
        truth.extend(area_truth)
        tracker.area_done(sum(area_counts.values()))
        if interrupt_after_areas is not None and tracker.done >= interrupt_after_areas:
            raise Interrupted("Interrupted (as asked by a test).")

    try:
        _load_areas(len(world.areas), workers, collect)
    finally:
        index_seconds = deferred.restore(progress.write if progress is not None else None)
    if dropped and progress is not None:
        progress.write(
            f"Made {len(dropped)} indexes and constraints after the load in "
            f"{index_seconds:,.0f} s\n"
        )

    screened = _screen_children(run, world, workers)
    counts[SCREENING_TABLE] = screened
    with connection.cursor() as analyse:
        analyse.execute("ANALYZE " + ", ".join([*tables.LOAD_ORDER, SCREENING_TABLE]))
    seconds = time.perf_counter() - started
    run.row_counts = counts
    run.status = SynthRunStatus.COMPLETE
    run.finished_at = timezone.now()
    run.seconds = seconds
    run.save()
    path = write_truth(truth, truth_path or default_truth_path(scale, seed))
    return LoadResult(
        run=run,
        rows=sum(counts.values()),
        seconds=seconds,
        truth_path=path,
        index_seconds=index_seconds if dropped else 0.0,
    )


def default_workers() -> int:
    """One process per core, up to two: measured on the 2-core reference machine
    (docs/decisions/0006-synthetic-data-copy-with-reserved-ids.md)."""
    return max(1, min(2, os.cpu_count() or 1))


def _load_areas(areas: int, workers: int, collect: Callable[[Any], None]) -> None:
    assert _WORLD is not None
    # Largest areas first, so that no process is left with a big one at the end.
    order = sorted(range(areas), key=lambda i: -_WORLD.areas[i].persons)
    if workers > 1:
        connections.close_all()
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for result in pool.imap_unordered(_load_area, order):
                collect(result)
    else:
        for index in order:
            collect(_load_area(index))


def _plan(scale: Scale, seed: int, as_of: date) -> World:
    existing = existing_demo_area() if scale.name == "demo" else None
    library = indicators()
    sizing = plan_world(scale=scale, seed=seed, as_of=as_of, indicators=library, existing=existing)
    bases = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for db_table in tables.LOAD_ORDER:
            bases[db_table] = reserve(cursor, db_table, sizing.capacities[db_table])[0]
    return plan_world(
        scale=scale, seed=seed, as_of=as_of, indicators=library, existing=existing, bases=bases
    )


def _start_run(world: World) -> SynthRun:
    return SynthRun.objects.create(
        scale=world.scale.name,
        seed=world.seed,
        as_of=world.as_of,
        id_ranges={
            t: [world.bases[t], world.bases[t] + world.capacities[t] - 1] for t in tables.LOAD_ORDER
        },
        started_at=timezone.now(),
    )


def _screen_children(run: SynthRun, world: World, workers: int) -> int:
    """Every synthetic child gets a current screening, as in a live system, screened
    in ``workers`` processes by ranges of person ids. The run's range of screening ids
    spans the ones written for its persons."""
    first_person = world.bases["people_person"]
    last_person = first_person + world.capacities["people_person"] - 1
    ranges = _person_ranges(world, workers * 4)
    if workers > 1:
        connections.close_all()
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            written = sum(pool.starmap(_screen, [(world.as_of, r) for r in ranges]))
    else:
        written = sum(_screen(world.as_of, r) for r in ranges)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT min(id), max(id) FROM {SCREENING_TABLE} "  # noqa: S608 - a constant
            "WHERE person_id BETWEEN %s AND %s",
            [first_person, last_person],
        )
        first, last = cursor.fetchone()
    if first is not None:
        run.id_ranges = {**run.id_ranges, SCREENING_TABLE: [first, last]}
        run.save(update_fields=["id_ranges"])
    return written


def _person_ranges(world: World, parts: int) -> list[tuple[int, int]]:
    """Ranges of person ids, whole areas each, of about equal numbers of persons."""
    ranges: list[tuple[int, int]] = []
    target = world.scale.persons / parts
    start, size = world.areas[0].person_base, 0
    for area in world.areas:
        size += area.persons
        if size >= target or area is world.areas[-1]:
            ranges.append((start, area.person_base + area.persons - 1))
            start, size = area.person_base + area.persons, 0
    return ranges


def _screen(as_of: date, person_ids: tuple[int, int]) -> int:
    from clearsight.risk.recompute import recompute_screenings

    return recompute_screenings(as_of=as_of, person_ids=person_ids).written


# --- Ground truth ---------------------------------------------------------------------


def default_truth_path(scale: Scale, seed: int) -> Path:
    return Path(settings.VAR_DIR) / "synth" / f"truth-{scale.name}-seed{seed}.csv"


def write_truth(truth: list[tuple[str, int, int, str, str]], path: Path) -> Path:
    """Which person records are the same child, for measuring entity resolution. Only
    children with more than one record are listed: every other pair is not a match."""
    by_cluster: dict[str, list[tuple[str, int, int, str, str]]] = {}
    for row in truth:
        by_cluster.setdefault(row[0], []).append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["cluster", "person_id", "agency_id", "source_record_id", "differences"])
        for cluster in sorted(by_cluster):
            records = by_cluster[cluster]
            if len(records) > 1:
                for record in sorted(records, key=_person_id):
                    writer.writerow(record)
    return path


def _person_id(record: tuple[str, int, int, str, str]) -> int:
    return record[1]
