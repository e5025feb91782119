"""`python -m clearsight import persons FILE.csv --agency ID [--dry-run] [--all-or-nothing]`"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearsight.areas.models import Agency
from clearsight.core.errors import InvalidInput
from clearsight.imports import services
from clearsight.imports.models import ImportMode, ImportStatus


class Command(BaseCommand):
    help = "Import person records from an agency's CSV file (idempotent; safe to re-run)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["persons"], help="What the file holds")
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--agency", type=int, required=True, help="Id of the agency the records come from"
        )
        parser.add_argument("--dry-run", action="store_true", help="Check the file, save nothing")
        parser.add_argument(
            "--all-or-nothing", action="store_true", help="Import nothing if any row has a problem"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        agency = Agency.objects.filter(pk=options["agency"]).select_related("area").first()
        if agency is None:
            raise CommandError(f"There is no agency with id {options['agency']}.")
        if not agency.is_active:
            raise CommandError(f"The agency {agency.name} is no longer active.")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        try:
            job = services.start_import(
                actor=None,
                agency=agency,
                file_name=path.name,
                content=path.read_bytes(),
                mode=ImportMode.ALL_OR_NOTHING
                if options["all_or_nothing"]
                else ImportMode.GOOD_ROWS,
                dry_run=options["dry_run"],
            )
        except InvalidInput as error:
            raise CommandError(error.message) from error
        job = services.run_import(job.pk)
        for problem in job.problems:
            self.stdout.write(f"line {problem['line']}: {problem['field']}: {problem['message']}")
        if job.notice:
            self.stdout.write(job.notice)
        self.stdout.write(job.summary)
        if job.status == ImportStatus.FAILED:
            raise CommandError("Nothing was imported.")
        if not job.dry_run and job.created_count == 0 and job.bad_count > 0:
            raise CommandError("Nothing was imported: every new row has problems.")
