"""`python -m bench [--scale area] [--only name]`: load the scale into its own database
(bench/dataset.py) unless it is there already, run every bench_*.py module against it,
print a table and rewrite docs/benchmarks.md."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil

import django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default=os.environ.get("BENCH_SCALE", "area"))
    parser.add_argument(
        "--only", default="", help="comma-separated modules to run, e.g. load,screening"
    )
    parser.add_argument(
        "--no-report", action="store_true", help="print the table without rewriting the report"
    )
    args = parser.parse_args()

    from bench.dataset import bench_database_url, ensure_database

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearsight.settings")
    os.environ.setdefault("CLEARSIGHT_MODE", "demo")
    url = bench_database_url(args.scale)
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    django.setup()

    import bench
    from bench.dataset import ensure_loaded
    from bench.harness import print_table, write_report

    dataset = ensure_loaded(args.scale)
    wanted = {f"bench_{name.strip()}" for name in args.only.split(",") if name.strip()}
    by_module = {}
    for module in sorted(m.name for m in pkgutil.iter_modules(bench.__path__)):
        if module.startswith("bench_") and (not wanted or module in wanted):
            print(f"Running {module} at {dataset.label}", flush=True)
            by_module[module] = importlib.import_module(f"bench.{module}").run(dataset)
    print_table([r for results in by_module.values() for r in results])
    if not args.no_report:
        print(f"\nWritten to {write_report(by_module, dataset=dataset)}")


if __name__ == "__main__":
    main()
