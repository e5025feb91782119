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
