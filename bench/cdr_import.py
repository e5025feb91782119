"""One run of a generated call and message records file through the real phone data
import job, for the rate and memory figures in decision 0010. Not part of `make bench`
(one run takes minutes and writes about 5 million staging rows):

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/cs_bench_net \
        .venv/bin/python -m bench.cdr_import --rows 5000000

Synthetic numbers only (Ofcom's drama ranges). The file has ten deal lines sending
flare bursts to their customers and taking short calls, and ordinary numbers calling
friends, so the patterns are found at scale. Prints rows/s and the process's peak
resident memory (the import runs in this process, as the worker would run it)."""

from __future__ import annotations

import argparse
import os
import random
import resource
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import django


def _number(n: int) -> str:
    """Ofcom's drama ranges: 1,000 mobiles, then 14,000 landlines, that no one holds."""
    from clearsight.synth.identifiers import drama_landline

    if n < 1_000:
        return f"+447700900{n:03d}"
    return drama_landline(n - 1_000)


def generated_rows(rows: int, seed: int = 5) -> Iterator[str]:
    """Deal lines 0-9 message bursts of 40 customers and take their short calls;
    everyone else (numbers 10-14,999) calls a few friends for minutes."""
    rng = random.Random(seed)
    start = datetime(2026, 3, 1, tzinfo=UTC)
    yield "from,to,time,type,duration\n"
    written = 0
    while written < rows:
        at = start + timedelta(seconds=written * 3)
        if rng.random() < 0.2:
            line = rng.randrange(10)
            customers = [rng.randrange(10, 15_000) for _ in range(40)]
            for i, customer in enumerate(customers):
                sent = (at + timedelta(seconds=5 * i)).isoformat()
                yield f"{_number(line)},{_number(customer)},{sent},sms,0\n"
            written += len(customers)
        else:
            caller = rng.randrange(10, 15_000)
            callee = (caller + 1 + rng.randrange(20)) % 15_000
            if callee < 10:
                callee += 10
            kind = "call" if rng.random() < 0.7 else "sms"
            yield (
                f"{_number(caller)},{_number(callee)},{at.isoformat()},{kind},"
                f"{rng.randrange(30, 1_200) if kind == 'call' else 0}\n"
            )
            written += 1


def _analyst() -> object:
    from clearsight.access.actor import Actor
    from clearsight.access.roles import Role
    from clearsight.accounts.models import User
    from clearsight.areas.models import Agency, AgencyType, Area, Membership

    area, _ = Area.objects.get_or_create(code="bench-cdr", defaults={"name": "Bench CDR"})
    agency, _ = Agency.objects.get_or_create(
        area=area, name="Bench police", defaults={"agency_type": AgencyType.POLICE}
    )
    user, _ = User.objects.get_or_create(
        email="bench-cdr-analyst@example.org", defaults={"full_name": "Bench Analyst"}
    )
    membership, _ = Membership.objects.get_or_create(
        user=user, agency=agency, role=Role.INTELLIGENCE_ANALYST.value
    )
    return Actor(user, membership)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=5_000_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearsight.settings")
    os.environ.setdefault("CLEARSIGHT_MODE", "demo")
    from bench.dataset import ensure_database

    url = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/cs_bench_net")
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    django.setup()
    from django.core.management import call_command

    from clearsight.intel import phone_imports, tasks

    call_command("migrate", verbosity=0, interactive=False)
    actor = _analyst()
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "records.csv"
        with path.open("w") as out:
            out.writelines(generated_rows(args.rows))

        def chunks() -> Iterator[bytes]:
            with path.open("rb") as file:
                while chunk := file.read(1024 * 1024):
                    yield chunk

        started = phone_imports.start_phone_import(
            actor=actor,  # type: ignore[arg-type]
            file_name="generated.csv",
            chunks=chunks(),
            source="Generated for the benchmark",
        )
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    began = time.perf_counter()
    tasks.run_phone_import.func(import_id=started.pk)  # the job's own function
    seconds = time.perf_counter() - began
    done = type(started).objects.get(pk=started.pk)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = os.getloadavg()
    print(
        f"{done.status}: {done.processed_rows:,} rows ({started.total_bytes / 1e6:,.0f} MB) "
        f"in {seconds:,.0f} s = {done.processed_rows / seconds:,.0f} rows/s; "
        f"peak RSS {peak:,.0f} MB (before the import {rss_before:,.0f} MB); "
        f"{done.links_made:,} links, {len(done.likely_deal_lines)} likely deal lines; "
        f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )


if __name__ == "__main__":
    main()
