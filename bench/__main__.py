"""`python -m bench [--scale demo]`: run every bench_*.py module and write the report."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil

import django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default=os.environ.get("BENCH_SCALE", "demo"))
    parser.add_argument("--only", default="", help="run only modules whose name contains this")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearsight.settings")
    if not os.environ.get("DATABASE_URL"):
        from clearsight import embedded_db

        embedded_db.start()
    django.setup()

    import bench
    from bench.harness import print_table, write_report

    results = []
    for module in sorted(m.name for m in pkgutil.iter_modules(bench.__path__)):
        if module.startswith("bench_") and args.only in module:
            results.extend(importlib.import_module(f"bench.{module}").run(args.scale))
    print_table(results)
    print(f"\nWritten to {write_report(results)}")


if __name__ == "__main__":
    main()
