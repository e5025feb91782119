"""Background jobs for concerns (procrastinate, PostgreSQL-backed)."""

from __future__ import annotations

from procrastinate.contrib.django import app

from clearsight.concerns import services


@app.periodic(cron="17 3 * * *")
@app.task(queue="maintenance", name="clearsight.concerns.purge_public_submissions")
def purge_public_submissions(timestamp: int) -> None:
    """Daily: the rate limit needs an hour of submissions; a day is kept, then purged.
    Idempotent."""
    services.purge_public_submissions()
