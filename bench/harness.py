"""A small harness: each benchmark returns Results; the runner prints a table and writes
docs/benchmarks.md with date, machine and data size."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

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

    @property
    def ratio(self) -> float:
        return self.value / self.baseline_value if self.baseline_value else float("nan")


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


def write_report(results: list[Result], *, path: Path | None = None) -> Path:
    path = path or ROOT / "docs" / "benchmarks.md"
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (do not edit by hand). Every baseline is measured in the",
        "same run as the figure it is compared with. Ratio = figure / baseline.",
        "",
        f"- Date: {now}",
        f"- Machine: {machine()}",
        "",
        "| Benchmark | Figure | Value | Baseline | Baseline value | Ratio | Data size |",
        "| --- | --- | ---: | --- | ---: | ---: | --- |",
    ]
    for r in results:
        lines.append(
            f"| {r.benchmark} | {r.figure} | {r.value:.2f} {r.unit} | {r.baseline_name} | "
            f"{r.baseline_value:.2f} {r.unit} | {r.ratio:.2f} | {r.data_size} |"
        )
    path.write_text("\n".join(lines) + "\n")
    return path


def print_table(results: list[Result]) -> None:
    header = f"{'benchmark':32} {'figure':28} {'value':>14} {'baseline':>14} {'ratio':>7}"
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.benchmark:32} {r.figure:28} {r.value:>10.2f} {r.unit:3} "
            f"{r.baseline_value:>10.2f} {r.unit:3} {r.ratio:>7.2f}"
        )
