"""The load test: gunicorn (scripts/gunicorn.conf.py, demo mode, no trusted proxy) on a
free loopback port against the bench database, and locust headless with 50 users for a
bounded time (BENCH_LOAD_SECONDS, default 60) running bench/locustfile.py. Reports p50,
p95 and p99 per page against /healthz asked in the same run, the error count, and the
number of database queries each page makes (one request each, in process, with
CaptureQueriesContext).

Plain HTTP on loopback, so cookies are not marked Secure (CLEARSIGHT_SECURE_COOKIES=0,
as for any plain-HTTP host): a browser would send Secure cookies to 127.0.0.1, python's
HTTP client does not. The test adds rows to the bench database: the observations and
missing episodes it records. Static files are not in the measured path: locust asks for
the pages only, as a browser with the stylesheet and scripts cached would."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import resource
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.accounts import DOMAIN, bench_users, busiest_area, signed_in_client
from bench.dataset import Dataset
from bench.harness import ROOT, Result, percentile, timed_runs

USERS = int(os.environ.get("BENCH_LOAD_USERS", "50"))
SPAWN_RATE = 10
# The production defaults of scripts/gunicorn.conf.py: sync workers, two per core plus
# one (decision 0014). BENCH_GUNICORN_WORKERS and BENCH_GUNICORN_THREADS change them
# (more than one thread means threaded workers, which keep connections alive for
# BENCH_KEEPALIVE seconds: longer than the most a simulated user waits, 3 s, or the
# server closes connections locust is about to reuse).
WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
THREADS = int(os.environ.get("BENCH_GUNICORN_THREADS", "1"))
KEEP_ALIVE_SECONDS = int(os.environ.get("BENCH_KEEPALIVE", "5"))
RUNS_ALONE = 30
# Time for fifty sign-ins (an Argon2 check each) before the measured window starts.
SIGN_IN_ALLOWANCE = 40
PAGES = (
    "child page /people/<id>/",
    "list page /missing/",
    "search /people/?text=",
    "add observation (POST)",
    "record missing episode (POST)",
)
BASELINE = "baseline /healthz"
# The goal for the child page at 50 users (at national scale).
CHILD_PAGE_P95_MS = 150
_URL = re.compile(r"""\s*(for url|url):\s*[^\s'")]+""", re.IGNORECASE)
# One line of gunicorn's access log (scripts/gunicorn.conf.py): method, path, status and
# the milliseconds gunicorn itself took, from reading the request to writing the answer.
_ACCESS = re.compile(r'\[([^]]+)\] "(GET|POST) (\S+)" (\d{3}) \S+ (\d+)ms$')
_CHILD_PAGE = re.compile(r"/people/\d+/")


def _workers() -> str:
    return f"{WORKERS} sync workers" if THREADS == 1 else f"{WORKERS} workers x {THREADS} threads"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_env(port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "CLEARSIGHT_TRUSTED_PROXY_COUNT"}
    env.update(
        CLEARSIGHT_MODE="demo",
        CLEARSIGHT_BIND=f"127.0.0.1:{port}",
        CLEARSIGHT_SECURE_COOKIES="0",
        DATABASE_URL=os.environ["DATABASE_URL"],
        DJANGO_SETTINGS_MODULE="clearsight.settings",
    )
    return env


def _wait_until_up(url: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped (exit code {server.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer /healthz in time")


def _config(users: list[Any], workdir: Path) -> Path:
    from clearsight.risk.selectors import current_library

    area_id = busiest_area()
    codes = list(current_library(area_id).indicators.values_list("code", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT given_names, family_name FROM people_person WHERE area_id = %s "
            "AND kind = 'child' AND length(family_name) > 3 ORDER BY id LIMIT 500",
            [area_id],
        )
        names = cursor.fetchall()
    path = workdir / "locust.json"
    path.write_text(
        json.dumps({"users": [u.as_dict() for u in users], "codes": codes, "names": names})
    )
    return path


def _locust(host: str, config: Path, seconds: int, workdir: Path) -> tuple[Path, dict[str, Any]]:
    """Run locust for the sign-ins plus ``seconds`` of measured load; its statistics and
    the outcome of the sign-ins (and the measured window)."""
    prefix = workdir / "locust"
    outcome = workdir / "outcome.json"
    bin_dir = Path(sys.executable).parent
    subprocess.run(  # noqa: S603 - our own locust, fixed arguments
        [
            str(bin_dir / "locust"),
            "-f", str(ROOT / "bench" / "locustfile.py"),
            "--headless", "--only-summary",
            "--users", str(USERS), "--spawn-rate", str(SPAWN_RATE),
            "--run-time", f"{seconds + SIGN_IN_ALLOWANCE}s", "--stop-timeout", "10",
            "--host", host, "--csv", str(prefix), "--loglevel", "WARNING",
        ],
        env={**os.environ, "BENCH_LOCUST_CONFIG": str(config), "BENCH_LOCUST_OUT": str(outcome)},
        check=False,  # locust exits 1 when any request failed; the failures are reported
        timeout=seconds + SIGN_IN_ALLOWANCE + 120,
    )  # fmt: skip
    return Path(f"{prefix}_stats.csv"), json.loads(outcome.read_text())


_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_of(pids: set[int]) -> dict[int, float]:
    """CPU seconds (user and system) each running process has used."""
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / _TICK
    return used


def _tree(pid: int) -> set[int]:
    found, waiting = set(), [pid]
    while waiting:
        here = waiting.pop()
        found.add(here)
        for task in Path(f"/proc/{here}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                waiting += [int(child) for child in task.read_text().split()]
    return found


def _postgres() -> set[int]:
    pids = set()
    for comm in Path("/proc").glob("[0-9]*/comm"):
        with contextlib.suppress(OSError):
            if comm.read_text().strip() == "postgres":
                pids.add(int(comm.parent.name))
    return pids


def _machine_busy() -> tuple[float, float]:
    """Busy and total CPU seconds of the whole machine since it started."""
    ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]
    return (sum(ticks) - idle) / _TICK, sum(ticks) / _TICK


@dataclass
class _Cpu:
    """Where the machine's CPU went while locust ran: the server's processes, the
    PostgreSQL processes that lived through it, locust itself and the machine."""

    server: float
    postgres: float
    locust: float
    busy: float
    seconds: float

    @classmethod
    def measure(cls, server_pid: int, run: Callable[[], Any]) -> tuple[Any, _Cpu]:
        server_before, pg_before = _cpu_of(_tree(server_pid)), _cpu_of(_postgres())
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        busy_before, total_before = _machine_busy()
        outcome = run()
        busy_after, total_after = _machine_busy()
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        server_after, pg_after = _cpu_of(_tree(server_pid)), _cpu_of(_postgres())

        def spent(before: dict[int, float], after: dict[int, float]) -> float:
            return sum(after[pid] - before.get(pid, 0.0) for pid in after)

        locust = (children_after.ru_utime + children_after.ru_stime) - (
            children_before.ru_utime + children_before.ru_stime
        )
        cores = os.cpu_count() or 1
        return outcome, cls(
            server=spent(server_before, server_after),
            postgres=spent(pg_before, pg_after),
            locust=locust,
            busy=busy_after - busy_before,
            seconds=(total_after - total_before) / cores,
        )

    def describe(self, requests: int) -> str:
        cores = os.cpu_count() or 1
        return (
            f"over {self.seconds:.0f} s with sign-ins, the {cores} cores were "
            f"{100 * self.busy / (self.seconds * cores):.0f}% busy: gunicorn "
            f"{self.server:.0f} s ({1000 * self.server / max(requests, 1):.1f} ms a request "
            f"of {requests:,}), PostgreSQL {self.postgres:.0f} s, locust {self.locust:.0f} s"
        )


def _stats(path: Path) -> dict[str, dict[str, str]]:
    with path.open() as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


def _exceptions(path: Path) -> int:
    """Requests that raised instead of answering (a connection reset, say): errors too."""
    exceptions = path.with_name(path.name.replace("_stats.csv", "_exceptions.csv"))
    if not exceptions.exists():
        return 0
    with exceptions.open() as handle:
        return sum(int(row["Count"]) for row in csv.DictReader(handle))


def _failure_reasons(path: Path) -> list[str]:
    """Each kind of failure with its page and count ("3 x child page: no response: ..."),
    most frequent first. Addresses are cut from the messages: a search address carries
    the name searched for."""
    failures = path.with_name(path.name.replace("_stats.csv", "_failures.csv"))
    if not failures.exists():
        return []
    with failures.open() as handle:
        rows = [
            (int(row["Occurrences"]), row["Name"], _URL.sub("", row["Error"]))
            for row in csv.DictReader(handle)
        ]
    return [f"{count} x {name}: {error}" for count, name, error in sorted(rows, reverse=True)]


def _server_side(log: Path, since: float) -> list[float]:
    """Gunicorn's own time for each child page it answered in the measured window (from
    ``since``, a Unix time, to the end of its log): the time in the application, without
    the wait for a free worker thread or for locust to read the answer."""
    times = []
    with log.open(errors="replace") as handle:
        for line in handle:
            match = _ACCESS.search(line.rstrip())
            if not match or match[2] != "GET" or match[4] != "200":
                continue
            at = datetime.strptime(match[1], "%d/%b/%Y:%H:%M:%S %z").timestamp()
            if at >= int(since) and _CHILD_PAGE.fullmatch(match[3]):
                times.append(float(match[5]))
    return times


def _in_process(user: Any) -> tuple[dict[str, int], list[Result]]:
    """Queries made by one request of each page, and each page's latency with no other
    load (in process, one request at a time, as the same user) against /healthz."""
    client = signed_in_client(user.membership_id)
    child = user.children[0]
    requests = {
        "child page /people/<id>/": lambda: client.get(f"/people/{child}/"),
        "list page /missing/": lambda: client.get("/missing/"),
        "search /people/?text=": lambda: client.get("/people/", {"text": "jayden smit"}),
    }
    baseline = timed_runs(lambda: client.get("/healthz"), runs=RUNS_ALONE)
    counts, results = {}, []
    for name, request in requests.items():
        assert request().status_code == 200, name
        with CaptureQueriesContext(connection) as queries:
            request()
        counts[name] = len(queries)
        samples = timed_runs(request, runs=RUNS_ALONE)
        results += [
            Result(
                benchmark=f"Alone (no other load): {name}",
                figure=f"p{p} of {RUNS_ALONE} ({counts[name]} queries)",
                value=percentile(samples, p),
                unit="ms",
                baseline_name="/healthz, same session",
                baseline_value=percentile(baseline, p),
                data_size=f"one request at a time, in process, as a {user.role.replace('_', ' ')}",
            )
            for p in (50, 95)
        ]
    return counts, results


def _close_earlier_reports() -> int:
    """The children earlier runs reported missing come home: each episode a bench
    account opened is closed an hour after it started (or now, if sooner). Otherwise
    every run left about 70 more open episodes in the busiest area, and the missing-now
    board, which lists them all, cost more with each run (1,187 added after a dozen runs,
    to the 52 the data has)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE missing_missingepisode SET ended_at = "
            "greatest(started_at, least(now(), started_at + interval '1 hour')) "
            "WHERE ended_at IS NULL AND reported_by_id IN "
            "(SELECT id FROM accounts_user WHERE email LIKE %s)",
            [f"bench-%@{DOMAIN}"],
        )
        return cursor.rowcount


def run(dataset: Dataset) -> list[Result]:
    seconds = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
    closed = _close_earlier_reports()
    if closed:
        print(f"Closed {closed:,} episodes earlier load tests opened", file=sys.stderr)
    users = bench_users(USERS)
    counts, results = _in_process(next(u for u in users if u.role == "police_officer"))
    port = _free_port()
    workdir = Path(tempfile.mkdtemp(prefix="clearsight-load-"))
    log = (workdir / "gunicorn.log").open("wb")
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c", str(settings.PROJECT_ROOT / "scripts" / "gunicorn.conf.py"),
            "--workers", str(WORKERS), "--threads", str(THREADS),
            "--keep-alive", str(KEEP_ALIVE_SECONDS),
            "clearsight.wsgi",
        ],
        env=_server_env(port),
        cwd=settings.PROJECT_ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    load_before = os.getloadavg()[0]
    try:
        host = f"http://127.0.0.1:{port}"
        _wait_until_up(f"{host}/healthz", server)
        config = _config(users, workdir)
        (stats_path, outcome), cpu = _Cpu.measure(
            server.pid, lambda: _locust(host, config, seconds, workdir)
        )
        stats = _stats(stats_path)
        load_after = os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    total = stats["Aggregated"]
    errors = int(total["Failure Count"]) + int(outcome["failed"]) + _exceptions(stats_path)
    reasons = _failure_reasons(stats_path)
    for reason in reasons:
        print(f"Load test failure: {reason}", file=sys.stderr)
    measured = outcome["measured_to"] - outcome["measured_from"] if outcome["measured_from"] else 0
    what = (
        f"{USERS} users signed in ({outcome['failed']} sign-ins failed), then {measured:.0f} s "
        f"measured, 1-3 s between actions, {int(total['Request Count']):,} requests, "
        f"{errors} errors; gunicorn {_workers()}; "
        f"load average {load_before:.1f} before, {load_after:.1f} after"
    )
    base = stats[BASELINE]
    for page in PAGES:
        row = stats.get(page)
        if row is None:
            continue
        queries = f", {counts[page]} queries" if page in counts else ""
        failures = int(row["Failure Count"])
        for p in ("50%", "95%", "99%"):
            results.append(
                Result(
                    benchmark=f"Load test: {page}",
                    figure=f"p{p[:-1]} of {int(row['Request Count']):,} ({failures} errors"
                    f"{queries})",
                    value=float(row[p]),
                    unit="ms",
                    baseline_name="/healthz in the same run",
                    baseline_value=float(base[p]),
                    data_size=what,
                    target=CHILD_PAGE_P95_MS if page.startswith("child") and p == "95%" else None,
                )
            )
    inside = _server_side(workdir / "gunicorn.log", outcome["measured_from"])
    if inside:
        child = stats["child page /people/<id>/"]
        results += [
            Result(
                benchmark="Load test: child page, gunicorn's own time",
                figure=f"p{p} of {len(inside):,} (from gunicorn's access log)",
                value=percentile(inside, p),
                unit="ms",
                baseline_name="as locust saw it",
                baseline_value=float(child[f"{p}%"]),
                data_size=what,
            )
            for p in (50, 95, 99)
        ]
    # And the sign-ins' requests: two pages and two answers each.
    everything = int(total["Request Count"]) + USERS * 4
    results.append(
        Result(
            benchmark="Load test: gunicorn CPU per request",
            figure="CPU ms per request, sign-ins included",
            value=1000 * cpu.server / everything,
            unit="ms",
            baseline_name="machine CPU ms per request",
            baseline_value=1000 * cpu.busy / everything,
            data_size=cpu.describe(everything),
        )
    )
    results.append(
        Result(
            benchmark="Load test: errors",
            figure="failed requests and sign-ins",
            value=errors,
            unit="",
            baseline_name="requests in all",
            baseline_value=float(total["Request Count"]),
            data_size=what + (f"; failures: {'; '.join(reasons)}" if reasons else ""),
            target=0,
        )
    )
    print(f"Load test CPU: {cpu.describe(everything)}", file=sys.stderr)
    print(f"Load test files (gunicorn log, locust CSV): {workdir}", file=sys.stderr)
    return results
