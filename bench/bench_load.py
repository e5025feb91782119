"""Load rate of the synthetic loader's COPY path (synth/loader.copy_rows: Python tuples
formatted to COPY text with ``str.join``, synth/copytext.py) against two baselines with
the same rows: Django's
``bulk_create`` (the ORM's fastest insert), and a raw ``COPY`` of the rows already in
PostgreSQL's text format (the server's own ceiling, no Python per row).

The rows are copies of persons and observations of the loaded scale with their ids moved
past the table's end, inserted into the populated tables with all their indexes and
constraints, each attempt in a transaction that is rolled back. Each method runs three
times, interleaved, and the median counts."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from bench.dataset import Dataset
from bench.harness import Result

SAMPLES = {"people_person": 20_000, "risk_observation": 50_000}
ATTEMPTS = 3


class _Rollback(Exception):
    pass


def _rolled_back(insert: Callable[[], None]) -> float:
    """Seconds the insert took, inside a transaction that is then rolled back."""
    try:
        with transaction.atomic():
            started = time.perf_counter()
            insert()
            seconds = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        return seconds


def _sample(db_table: str, limit: int) -> tuple[list[str], list[tuple[Any, ...]], bytes]:
    """The same rows three ways: column names, Python tuples and COPY text, each with the
    id moved past the table's highest id (and inside the bigint range)."""
    from clearsight.synth import tables

    spec = tables.table(db_table, timezone.now())
    columns = [*spec.columns, *spec.fixed_columns]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT max(id) FROM {db_table}")  # noqa: S608 - fixed table names
        offset = int(cursor.fetchone()[0]) + 1_000_000
    shifted = ", ".join(f"id + {offset}" if c == "id" else c for c in columns)
    query = f"SELECT {shifted} FROM {db_table} ORDER BY id LIMIT {int(limit)}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(query)
        rows = cursor.fetchall()
    text = bytearray()
    with connection.connection.cursor() as raw, raw.copy(f"COPY ({query}) TO STDOUT") as out:
        for block in out:
            text += block
    return columns, rows, bytes(text)


def _loader_copy(db_table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    from clearsight.synth import loader, tables

    spec = tables.table(db_table, timezone.now())
    # The generator supplies only spec.columns; the loader appends the fixed ones.
    generated = [row[: len(spec.columns)] for row in rows]
    with connection.connection.cursor() as cursor:
        loader.copy_rows(cursor, spec, generated)


def _raw_copy(db_table: str, columns: list[str], text: bytes) -> None:
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY {db_table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        copy.write(text)


def _bulk_create(db_table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    from clearsight.synth import tables

    model = tables.model_for(db_table)
    attnames = {f.column: f.attname for f in model._meta.concrete_fields}
    names = [attnames[c] for c in columns]
    model._default_manager.bulk_create(
        [model(**dict(zip(names, row, strict=True))) for row in rows], batch_size=2_000
    )


def _rates(db_table: str, limit: int) -> tuple[int, dict[str, float]]:
    columns, rows, text = _sample(db_table, limit)
    methods = {
        "loader": lambda: _loader_copy(db_table, columns, rows),
        "raw": lambda: _raw_copy(db_table, columns, text),
        "orm": lambda: _bulk_create(db_table, columns, rows),
    }
    times: dict[str, list[float]] = {name: [] for name in methods}
    for _ in range(ATTEMPTS):
        for name, insert in methods.items():
            times[name].append(_rolled_back(insert))
    return len(rows), {name: len(rows) / statistics.median(ts) for name, ts in times.items()}


def run(dataset: Dataset) -> list[Result]:
    results = []
    for db_table, limit in SAMPLES.items():
        count, rate = _rates(db_table, limit)
        what = f"{count:,} rows of {db_table} into the {dataset.scale} tables, rolled back"
        for baseline, name in (("orm", "Django bulk_create"), ("raw", "raw COPY (text format)")):
            results.append(
                Result(
                    benchmark=f"Load {db_table} (synth loader COPY)",
                    figure="rows per second (median of 3)",
                    value=rate["loader"],
                    unit="rows/s",
                    baseline_name=name,
                    baseline_value=rate[baseline],
                    data_size=what,
                    lower_is_better=False,
                )
            )
    return results
