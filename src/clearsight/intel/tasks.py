"""Background jobs for intelligence (procrastinate, PostgreSQL-backed). The demo worker
runs without a --queues filter, so it takes this queue as well as the others."""

from __future__ import annotations

from procrastinate.contrib.django import app

from clearsight.intel import phone_imports

PHONE_DATA_QUEUE = "phone_data"


@app.task(queue=PHONE_DATA_QUEUE, name="clearsight.intel.run_phone_import")
def run_phone_import(import_id: int) -> None:
    """Idempotent: a finished import is left alone, an unfinished one starts again."""
    phone_imports.run_phone_import(import_id)
