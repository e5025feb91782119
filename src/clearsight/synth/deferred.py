"""The indexes and constraints a load into empty tables builds once at the end instead of
row by row (docs/decisions/0006-synthetic-data-copy-with-reserved-ids.md).

Keeping a B-tree, trigram or GiST index up to date, and checking a foreign key, for
each of twenty million rows is most of the server's work during a national load. For
every table the load writes that holds no row yet, the loader drops its secondary
indexes, its unique and exclusion constraints and its foreign keys, loads, and makes
each again in one pass; a rebuilt constraint checks every row at once. Primary keys and
check constraints stay, as does any unique index a foreign key relies on.

The definitions come from the catalogue (``pg_get_indexdef``, ``pg_get_constraintdef``),
so they are exactly what the migrations made, and are kept in ``DeferredDefinition`` in
the same transaction as the drop. ``restore`` makes each again and deletes its row in
one transaction. The loader calls it after its COPY (also when the load fails) and at
the start of every load, so a load killed outright is repaired by the next one."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, transaction

from clearsight.synth.models import DeferredDefinition

INDEX, UNIQUE, FOREIGN_KEY, EXCLUSION = 0, 1, 2, 3

SLOW_SECONDS = 5.0

# Secondary indexes that back no constraint (a constraint's own index goes with it).
_INDEXES = """
SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
FROM pg_index i
WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
ORDER BY 1
"""
# Unique and exclusion constraints no foreign key relies on, and foreign keys.
_CONSTRAINTS = """
SELECT c.conname, c.contype, pg_get_constraintdef(c.oid)
FROM pg_constraint c
WHERE c.conrelid = %s::regclass AND c.contype IN ('u', 'x', 'f')
  AND NOT (c.contype IN ('u', 'x') AND EXISTS (
      SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid))
ORDER BY 1
"""


def empty_tables(tables: Iterable[str]) -> list[str]:
    """The tables that hold no row: only there is dropping an index invisible to anyone
    (nothing to search, nothing to check)."""
    found = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")  # noqa: S608 - model tables
            if not cursor.fetchone()[0]:
                found.append(table)
    return found


def _definitions(cursor: Any, table: str) -> list[tuple[str, int, str, str]]:
    """(name, rebuild order, SQL that makes it, SQL that drops it) for one table."""
    quoted = connection.ops.quote_name(table)
    found = []
    cursor.execute(_INDEXES, [table])
    for name, definition in cursor.fetchall():
        found.append((name, INDEX, definition, f"DROP INDEX {name}"))
    cursor.execute(_CONSTRAINTS, [table])
    for name, kind, definition in cursor.fetchall():
        quoted_name = connection.ops.quote_name(name)
        found.append(
            (
                name,
                {"f": FOREIGN_KEY, "u": UNIQUE, "x": EXCLUSION}[kind],
                f"ALTER TABLE {quoted} ADD CONSTRAINT {quoted_name} {definition}",
                f"ALTER TABLE {quoted} DROP CONSTRAINT {quoted_name}",
            )
        )
    return found


@transaction.atomic
def drop(tables: Iterable[str]) -> list[DeferredDefinition]:
    """Drop the deferrable indexes and constraints of ``tables`` (which the caller has
    found empty), keeping what makes each of them again."""
    dropped = []
    with connection.cursor() as cursor:
        # Foreign keys first: dropping one frees the index it relies on.
        items = sorted(
            ((t, item) for t in tables for item in _definitions(cursor, t)),
            key=lambda pair: pair[1][1] != FOREIGN_KEY,
        )
        for table, (name, order, definition, drop_sql) in items:
            cursor.execute(drop_sql)
            dropped.append(
                DeferredDefinition(db_table=table, name=name, definition=definition, position=order)
            )
    return DeferredDefinition.objects.bulk_create(dropped)


def missing() -> list[DeferredDefinition]:
    return list(DeferredDefinition.objects.all())


def restore(report: Callable[[str], object] | None = None) -> float:
    """Make again every index and constraint a load dropped; returns the seconds it
    took. Each is its own transaction, so one that is built stays built if a later one
    fails. ``report`` hears of each one that took more than a few seconds."""
    started = time.perf_counter()
    for item in DeferredDefinition.objects.all():
        began = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            # More sort memory makes one large index build much faster (session only).
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            cursor.execute(item.definition)
            item.delete()
        took = time.perf_counter() - began
        if report is not None and took > SLOW_SECONDS:
            report(f"Made {item.name} in {took:,.0f} s\n")
    return time.perf_counter() - started
