"""Background jobs for missing episodes (procrastinate, PostgreSQL-backed)."""

from __future__ import annotations

from procrastinate.contrib.django import app

from clearsight.missing import reminder_services


@app.periodic(cron="*/5 * * * *")
@app.task(queue="reminders", name="clearsight.missing.send_rhi_reminders")
def send_rhi_reminders(timestamp: int) -> None:
    """Every five minutes, so a reminder arrives within five minutes of falling due.
    Idempotent: each notification is sent at most once per person (see the service).
    ``timestamp`` is when procrastinate scheduled the run; the service uses the clock,
    so a run that starts late still sends everything due by then."""
    reminder_services.send_rhi_reminders()
