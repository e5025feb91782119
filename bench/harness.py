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
from typing import TYPE_CHECKING

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
        met = self.value <= self.target if self.lower_is_better else self.value >= self.target
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


def write_report(results: list[Result], *, dataset: Dataset, path: Path | None = None) -> Path:
    path = path or ROOT / "docs" / "benchmarks.md"
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench SCALE=...` (do not edit by hand; bench/ holds the code).",
        "Every baseline is measured in the same run as the figure it is compared with.",
        "Ratio = figure / baseline. Target: the figure the issue asks for, and whether it is met.",
        "",
        "How: one module per benchmark in bench/; the load test's scenario is",
        "bench/locustfile.py; what building the indexes after a load gains is measured in",
        "docs/decisions/0006-synthetic-data-copy-with-reserved-ids.md.",
        "",
        f"- Date: {now}",
        f"- Machine: {machine()} (load average {load:.1f} when the report was written: "
        "the 2 cores are shared with other engineers' test runs)",
        f"- Data: synthetic `{dataset.scale}` scale, seed 1 ({dataset.persons:,} persons of "
        f"whom {dataset.children:,} children, {dataset.observations:,} observations, "
        f"{dataset.episodes:,} missing episodes; {dataset.rows:,} rows), generated around "
        f"{dataset.loaded_on}; the load took {dataset.loaded_seconds:,.0f} s"
        + (" in this run" if dataset.loaded_now else " in an earlier run"),
        "",
        "| Benchmark | Figure | Value | Baseline | Baseline value | Ratio | Target met | Data |",
        "| --- | --- | ---: | --- | ---: | ---: | --- | --- |",
    ]
    for r in results:
        lines.append(
            f"| {r.benchmark} | {r.figure} | {_number(r.value)} {r.unit} | {r.baseline_name} | "
            f"{_number(r.baseline_value)} {r.unit} | {r.ratio:.2f} | {r.passes} | "
            f"{r.data_size} |"
        )
    if dataset.scale != "national":
        lines += [
            "",
            "## National scale",
            "",
            "National-scale figures pending: `make bench SCALE=national` has not been run on",
            "this machine yet (it is only run when the load average is below 2, and the cores",
            "have been busy with other engineers' tests). The figures above are for the",
            f"`{dataset.scale}` scale; the issue's targets are set for the national scale.",
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
