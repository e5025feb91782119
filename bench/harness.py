"""A small harness: each benchmark returns Results; the runner prints a table and writes
docs/benchmarks.md with date, machine and data size."""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.dataset import Dataset

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Result:
    benchmark: str
    figure: str
    value: float
    unit: str
    baseline_name: str
    baseline_value: float
    data_size: str
    target: float | None = None
    lower_is_better: bool = True

    @property
    def ratio(self) -> float:
        return self.value / self.baseline_value if self.baseline_value else float("nan")

    @property
    def passes(self) -> str:
        """Whether the figure meets its target, when the issue sets one."""
        if self.target is None:
            return ""
        if self.target == 0 and self.lower_is_better:
            # "Zero errors": nothing can be under nought, so the target is none at all.
            return f"{'yes' if self.value == 0 else 'NO'} (none)"
        met = self.value < self.target if self.lower_is_better else self.value > self.target
        bound = "<" if self.lower_is_better else ">"
        return f"{'yes' if met else 'NO'} ({bound} {self.target:,.0f} {self.unit})"


def timed_runs(func: Callable[[], object], *, runs: int, warmup: int = 2) -> list[float]:
    """Wall-clock milliseconds of each run, after a warm-up."""
    for _ in range(warmup):
        func()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[int(p) - 1]


def machine() -> str:
    cores = os.cpu_count() or 0
    memory = ""
    try:
        with open("/proc/meminfo") as meminfo:
            kb = int(meminfo.readline().split()[1])
            memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except OSError:
        pass
    return f"{platform.machine()}, {cores} cores{memory}, Python {platform.python_version()}"


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"


def write_report(
    results_by_module: dict[str, list[Result]], *, dataset: Dataset, path: Path | None = None
) -> Path:
    """Rewrite docs/benchmarks.md. Each module's latest figures are kept in
    docs/benchmarks.json, so a run of some modules (``--only``) replaces theirs and
    keeps the others' (each row says when it was measured and under what load)."""
    path = path or ROOT / "docs" / "benchmarks.md"
    store = path.with_suffix(".json")
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    kept: dict[str, Any] = {}
    if store.exists():
        saved = json.loads(store.read_text())
        if saved.get("scale") == dataset.scale:
            kept = saved.get("modules", {})
    for module, results in results_by_module.items():
        kept[module] = {
            "measured": now,
            "load_average": round(load, 1),
            "machine": machine(),
            "results": [asdict(r) for r in results],
        }
    data = (
        f"synthetic `{dataset.scale}` scale, seed 1 ({dataset.persons:,} persons of "
        f"whom {dataset.children:,} children, {dataset.observations:,} observations, "
        f"{dataset.episodes:,} missing episodes; {dataset.rows:,} rows), generated around "
        f"{dataset.loaded_on}; the load took {dataset.loaded_seconds:,.0f} s"
        + (" in this run" if dataset.loaded_now else " in an earlier run")
    )
    store.write_text(
        json.dumps({"scale": dataset.scale, "data": data, "modules": kept}, indent=1) + "\n"
    )
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench SCALE=...` (do not edit by hand; bench/ holds the code, and",
        "docs/benchmarks.json the latest figures of each module).",
        "Every baseline is measured in the same run as the figure it is compared with.",
        "Ratio = figure / baseline. Target: the figure the issue asks for, and whether it is met.",
        "",
        "How: one module per benchmark in bench/; the load test's scenario is",
        "bench/locustfile.py; what building the indexes after a load gains is measured in",
        "docs/decisions/0006-synthetic-data-copy-with-reserved-ids.md.",
        "",
        f"- Written: {now}",
        f"- Machine: {machine()}; the load average (1 minute) when each module finished is in",
        "  the Measured column: with a load above 2 the 2 cores were shared with other work",
        f"- Data: {data}",
        "",
        "| Benchmark | Figure | Value | Baseline | Baseline value | Ratio | Target met | Data "
        "| Measured |",
        "| --- | --- | ---: | --- | ---: | ---: | --- | --- | --- |",
    ]
    for module in sorted(kept):
        entry = kept[module]
        when = f"{entry['measured']} (load {entry['load_average']})"
        for r in (Result(**row) for row in entry["results"]):
            lines.append(
                f"| {r.benchmark} | {r.figure} | {_number(r.value)} {r.unit} | "
                f"{r.baseline_name} | {_number(r.baseline_value)} {r.unit} | {r.ratio:.2f} | "
                f"{r.passes} | {r.data_size} | {when} |"
            )
    if dataset.scale != "national":
        lines += [
            "",
            "## National scale",
            "",
            "These figures are for the `" + dataset.scale + "` scale; the issues' targets are",
            "set for the national scale (`make bench SCALE=national`).",
        ]
    path.write_text("\n".join(lines) + "\n")
    return path


def print_table(results: list[Result]) -> None:
    header = f"{'benchmark':40} {'figure':40} {'value':>16} {'baseline':>16} {'ratio':>7}"
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.benchmark[:40]:40} {r.figure[:40]:40} {r.value:>12.2f} {r.unit[:3]:3} "
            f"{r.baseline_value:>12.2f} {r.unit[:3]:3} {r.ratio:>7.2f} {r.passes}"
        )
