"""CPU time and queries per request of the pages the load test asks for, in process,
through the whole middleware stack, as one signed-in bench account (bench/accounts.py).

CPU time (time.process_time) of the Python process, not wall time: on a shared machine
wall time moves with other people's work, CPU time per request hardly does. It counts
the Django process only (the view, templates, ORM, psycopg), not PostgreSQL's own work.

    DATABASE_URL=... CLEARSIGHT_MODE=demo python -m bench.profile_pages [--runs 200]
        [--role police_officer] [--only child,missing] [--profile child]

--profile NAME profiles that page's runs (pyinstrument if installed, else cProfile). The
observation form's POST adds observations to the database it runs against."""

from __future__ import annotations

import argparse
import cProfile
import functools
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import django


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearsight.settings")
    os.environ.setdefault("CLEARSIGHT_SECURE_COOKIES", "0")
    django.setup()


_HISTORY = """
SELECT p.id, (SELECT count(*) FROM risk_observation o WHERE o.person_id = p.id) AS observations,
    (SELECT count(*) FROM missing_missingepisode e WHERE e.person_id = p.id) AS episodes
FROM people_person p WHERE p.id = ANY(%s)
AND EXISTS (SELECT 1 FROM risk_screening s WHERE s.person_id = p.id)
"""


def children_to_time(children: list[int]) -> tuple[int, int, int]:
    """Three of these children: the first, who gets the observations the form's POST
    records; of the others with a screening, a typical one with observations and missing
    episodes (the median of those with both) and the one with the longest history (the
    most observations and episodes together)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(_HISTORY, [children[1:]])
        rows = sorted(cursor.fetchall(), key=lambda row: (row[1] + row[2], row[0]))
    with_both = [row for row in rows if row[1] and row[2]] or rows
    return int(with_both[len(with_both) // 2][0]), int(rows[-1][0]), children[0]


def _requests(
    client: Any, children: tuple[int, int, int], name: str, code: str
) -> dict[str, Callable[[], Any]]:
    child, busiest, observed = children
    today = date.today()
    observation = {
        "codes": code,
        "seen_on_day": today.day,
        "seen_on_month": today.month,
        "seen_on_year": today.year,
        "confidence": 3,
        "note": "Seen with older teenagers after school (profile)",
    }

    def post_observation() -> Any:
        data = {"csrfmiddlewaretoken": client.cookies["clearsight_csrf"].value, **observation}
        return client.post(f"/people/{observed}/observations/new/", data)

    return {
        "child": lambda: client.get(f"/people/{child}/"),
        "child-busiest": lambda: client.get(f"/people/{busiest}/"),
        "missing": lambda: client.get("/missing/"),
        "search": lambda: client.get("/people/", {"text": name}),
        "observation-form": lambda: client.get(f"/people/{child}/observations/new/"),
        "observation-post": post_observation,
        "healthz": lambda: client.get("/healthz"),
    }


def _measure(request: Callable[[], Any], runs: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = request()
    assert response.status_code in {200, 302}, response.status_code
    with CaptureQueriesContext(connection) as captured:
        request()
    # Counted now: the list is read from the connection's log, which the next request clears.
    queries = len(captured)
    samples = []
    for _ in range(runs):
        start = time.process_time()
        request()
        samples.append((time.process_time() - start) * 1000)
    return samples, queries


def _profiled(measure: Callable[[], tuple[list[float], int]]) -> tuple[list[float], int]:
    """Run with pyinstrument (a sampling profiler, little overhead) when it is installed,
    else cProfile; the report goes to standard error."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        profile = cProfile.Profile()
        result = profile.runcall(measure)
        pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(60)
        return result
    profiler = Profiler(interval=0.001)
    with profiler:
        result = measure()
    print(profiler.output_text(unicode=False, color=False, show_all=False), file=sys.stderr)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--role", default="police_officer")
    parser.add_argument("--only", default="")
    parser.add_argument("--profile", default="")
    args = parser.parse_args()
    _setup()

    from django.db import connection

    from bench.accounts import bench_users, busiest_area, signed_in_client
    from clearsight.risk.selectors import current_library

    user = next(u for u in bench_users(4) if u.role == args.role)
    client = signed_in_client(user.membership_id)
    children = children_to_time(user.children)
    client.get(f"/people/{children[2]}/observations/new/")  # sets the CSRF cookie
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT given_names, family_name FROM people_person WHERE area_id = %s "
            "AND kind = 'child' AND length(family_name) > 3 ORDER BY id LIMIT 1",
            [busiest_area()],
        )
        given, family = cursor.fetchone()
    code = current_library(busiest_area()).indicators.values_list("code", flat=True).first()
    requests = _requests(client, children, f"{given} {family[:-1]}", code)
    only = [name for name in args.only.split(",") if name] or list(requests)
    print(f"{args.role}, children {children}, {args.runs} runs each; CPU ms", file=sys.stderr)
    print(f"{'page':<18} {'p50':>7} {'mean':>7} {'p95':>7} {'queries':>8}")
    for name in only:
        request = requests[name]
        runs = args.runs if name != "observation-post" else max(1, args.runs // 4)
        if name == args.profile:
            samples, queries = _profiled(functools.partial(_measure, request, runs))
        else:
            samples, queries = _measure(request, runs)
        samples.sort()
        p95 = samples[int(len(samples) * 0.95) - 1] if len(samples) > 1 else samples[0]
        print(
            f"{name:<18} {statistics.median(samples):7.1f} {statistics.fmean(samples):7.1f} "
            f"{p95:7.1f} {queries:8d}"
        )


if __name__ == "__main__":
    main()
