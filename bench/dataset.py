"""The database a benchmark run uses: one per scale (``clearsight_bench_<scale>`` on the
same server as DATABASE_URL, or the embedded server), migrated and loaded with the
synthetic data of that scale (seed 1) unless it already holds them. BENCH_DATABASE_URL
names another database instead."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

SEED = 1


def bench_database_url(scale: str) -> str:
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    base = os.environ.get("DATABASE_URL")
    if not base:
        from clearsight import embedded_db

        base = embedded_db.start()
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/clearsight_bench_{scale}"))


def ensure_database(url: str) -> None:
    """Create the database if the server lacks it (connecting to ``postgres``)."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


@dataclass(frozen=True)
class Dataset:
    scale: str
    persons: int
    children: int
    observations: int
    episodes: int
    rows: int
    loaded_seconds: float
    loaded_on: str
    loaded_now: bool

    @property
    def label(self) -> str:
        return f"{self.scale}: {self.persons:,} persons, {self.observations:,} observations"


def ensure_loaded(scale: str) -> Dataset:
    """Migrate, then load the scale if no complete load of it is recorded (after
    django.setup(), with DATABASE_URL pointing at the bench database)."""
    from django.core.management import call_command
    from django.db import connection

    from clearsight.synth import loader
    from clearsight.synth.models import SynthRun, SynthRunStatus
    from clearsight.synth.scales import scale_named

    call_command("migrate", verbosity=0, interactive=False)
    result = loader.load(scale=scale_named(scale), seed=SEED, progress=sys.stderr)
    run = result.run
    if not result.skipped:
        print(
            f"Loaded {result.rows:,} rows of {scale} in {result.seconds:,.0f} s "
            f"({result.rows_per_second:,.0f} rows/s)"
        )
    assert run.status == SynthRunStatus.COMPLETE
    assert SynthRun.objects.filter(pk=run.pk).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FILTER (WHERE kind = 'child'), count(*) FROM people_person")
        children, persons = cursor.fetchone()
    counts = run.row_counts
    return Dataset(
        scale=scale,
        persons=persons,
        children=children,
        observations=counts.get("risk_observation", 0),
        episodes=counts.get("missing_missingepisode", 0),
        rows=sum(counts.values()),
        loaded_seconds=run.seconds or 0.0,
        loaded_on=run.as_of.isoformat(),
        loaded_now=not result.skipped,
    )
