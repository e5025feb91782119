"""Background jobs for screening (procrastinate, PostgreSQL-backed). The demo worker
(scripts/run-demo) listens on every queue, ``risk`` included."""

from __future__ import annotations

from procrastinate.contrib.django import app

from clearsight.risk import services


@app.task(queue=services.RESCREEN_QUEUE, name=services.RESCREEN_TASK)
def rescreen_person(person_id: int) -> None:
    """Idempotent: a re-run finds nothing changed and reuses the screening, and each
    notification is keyed by the screening, so nobody is told twice."""
    services.rescreen(person_id)


@app.periodic(cron="30 1 * * *")
@app.task(queue=services.RESCREEN_QUEUE, name="clearsight.risk.recompute_screenings")
def recompute_screenings(timestamp: int) -> None:
    """Every night: signs fade with time, so a child's level can fall (or a sign drop
    out of the look-back) with nothing new recorded. Only changed screenings are
    written (risk/recompute.py); a re-run the same night writes nothing."""
    from clearsight.risk.recompute import recompute_screenings as recompute

    recompute()
