from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearsight.synth.loader import SynthError, load
from clearsight.synth.scales import UnknownScale, scale_named


class Command(BaseCommand):
    help = (
        "Load synthetic data: demo (the demo area), area (a few areas) or national "
        "(1,000,000 persons in 150 areas). The same seed gives the same data. "
        "See docs/synthetic-data.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", required=True, help="demo, area or national")
        parser.add_argument("--seed", type=int, default=1, help="0 or more (default 1)")
        parser.add_argument("--as-of", type=date.fromisoformat, help="the day (default today)")
        parser.add_argument(
            "--force", action="store_true", help="load beside person records that are not synthetic"
        )
        parser.add_argument(
            "--replace", action="store_true", help="load again even if this seed is loaded"
        )
        parser.add_argument("--truth-file", type=Path, help="where to write the ground truth")
        parser.add_argument(
            "--workers",
            type=int,
            default=0,
            help="processes generating rows (0: one per core, up to 2)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError("Synthetic data is never loaded in production mode.")
        try:
            scale = scale_named(options["scale"])
            result = load(
                scale=scale,
                seed=options["seed"],
                as_of=options["as_of"],
                force=options["force"],
                replace=options["replace"],
                truth_path=options["truth_file"],
                workers=max(0, options["workers"]) or None,
                warn=lambda message: self.stderr.write(self.style.WARNING(message)),
            )
        except (SynthError, UnknownScale) as error:
            raise CommandError(str(error)) from error
        if result.skipped:
            self.stdout.write(
                f"Synthetic {scale.name} data with seed {options['seed']} is already loaded "
                "(--replace loads it again)."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {result.rows:,} synthetic rows ({scale.name}, seed "
                f"{options['seed']}) in {result.seconds:,.1f} s, "
                f"{result.rows_per_second:,.0f} rows/s."
            )
        )
        self.stdout.write(f"Which records are the same child: {result.truth_path}")
