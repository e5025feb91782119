"""Background jobs for cases (procrastinate, PostgreSQL-backed)."""

from __future__ import annotations

from procrastinate.contrib.django import app

from clearsight.cases import review_reminders


@app.periodic(cron="7 * * * *")
@app.task(queue="reminders", name="clearsight.cases.send_review_reminders")
def send_review_reminders(timestamp: int) -> None:
    """Hourly: reviews are due by the day, so a reminder arrives the hour it falls due.
    Idempotent (each reminder is keyed; see the service)."""
    review_reminders.send_review_reminders()
