"""The indexes a load into empty tables builds once at the end instead of row by row
(docs/decisions/0006-synthetic-data-copy-with-reserved-ids.md).

The trigram indexes on names and the GiST index behind the "episodes of a child do not
overlap" constraint are most of the server's work during a large load. When every table
they belong to is empty (a fresh synthetic database), the loader drops them, loads, and
builds them again in one pass each; the constraint is then checked against every row at
once as it is rebuilt.

Nothing records what was dropped: the definitions come from the models (so always match
the migrations), and ``restore`` recreates whichever of them the catalogue lacks. The
loader calls it after its COPY (also when the load fails) and at the start of every
load, so a load killed outright is repaired by the next one."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connection, transaction


@dataclass(frozen=True)
class Deferred:
    model_label: str
    name: str
    is_constraint: bool = False

    @property
    def db_table(self) -> str:
        return str(apps.get_model(self.model_label)._meta.db_table)


DEFERRED = (
    Deferred("people.Person", "person_search_name_trgm"),
    Deferred("people.PersonAlias", "alias_name_trgm"),
    Deferred("missing.MissingEpisode", "episodes_of_a_child_do_not_overlap", is_constraint=True),
)


def _definition(item: Deferred) -> tuple[Any, Any]:
    model = apps.get_model(item.model_label)
    found = model._meta.constraints if item.is_constraint else model._meta.indexes
    return model, next(d for d in found if d.name == item.name)


def _exists(cursor: Any, item: Deferred) -> bool:
    if item.is_constraint:
        cursor.execute("SELECT 1 FROM pg_constraint WHERE conname = %s", [item.name])
    else:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [item.name])
    return cursor.fetchone() is not None


def missing() -> list[Deferred]:
    with connection.cursor() as cursor:
        return [item for item in DEFERRED if not _exists(cursor, item)]


def tables_are_empty() -> bool:
    """True when no table with a deferred index holds a row: only then is dropping them
    invisible to anyone (nothing to search, no episode to overlap)."""
    with connection.cursor() as cursor:
        for table in {item.db_table for item in DEFERRED}:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")  # noqa: S608 - model tables
            if cursor.fetchone()[0]:
                return False
    return True


@transaction.atomic
def drop() -> list[Deferred]:
    dropped = []
    with connection.schema_editor() as editor:
        for item in DEFERRED:
            with connection.cursor() as cursor:
                if not _exists(cursor, item):
                    continue
            model, definition = _definition(item)
            if item.is_constraint:
                editor.remove_constraint(model, definition)
            else:
                editor.remove_index(model, definition)
            dropped.append(item)
    return dropped


def restore() -> float:
    """Build every deferred index the database lacks; returns the seconds it took. Each
    is its own transaction, so one that is built stays built if a later one fails."""
    started = time.perf_counter()
    for item in missing():
        model, definition = _definition(item)
        with transaction.atomic(), connection.schema_editor() as editor:
            # More sort memory makes one large index build much faster (session only).
            editor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            if item.is_constraint:
                editor.add_constraint(model, definition)
            else:
                editor.add_index(model, definition)
    return time.perf_counter() - started
