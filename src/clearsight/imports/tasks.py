"""Background jobs for imports (procrastinate, PostgreSQL-backed)."""

from __future__ import annotations

from procrastinate.contrib.django import app

from clearsight.imports import services


@app.task(queue="imports", name="clearsight.imports.run_import")
def run_import(job_id: int) -> None:
    """Idempotent: a re-run (after a crash or a retry) skips rows already imported."""
    services.run_import(job_id)
