"""Background jobs for intelligence (procrastinate, PostgreSQL-backed). The demo worker
runs without a --queues filter, so it takes these queues as well as the others."""

from __future__ import annotations

import contextlib

from procrastinate.contrib.django import app
from procrastinate.exceptions import AlreadyEnqueued

from clearsight.intel import phone_imports, snapshot

PHONE_DATA_QUEUE = "phone_data"
NETWORK_QUEUE = "network"


@app.task(queue=PHONE_DATA_QUEUE, name="clearsight.intel.run_phone_import")
def run_phone_import(import_id: int) -> None:
    """Idempotent: a finished import is left alone, an unfinished one starts again.
    The network snapshot is rebuilt after it, once, however many imports finish."""
    phone_imports.run_phone_import(import_id)
    with contextlib.suppress(AlreadyEnqueued):
        rebuild_network_snapshot.defer(timestamp=0)  # type: ignore[call-arg]


@app.periodic(cron="*/15 * * * *")
@app.task(
    queue=NETWORK_QUEUE,
    name="clearsight.intel.rebuild_network_snapshot",
    queueing_lock="network_snapshot",
)
def rebuild_network_snapshot(timestamp: int) -> None:
    """Every 15 minutes: a new snapshot of the accepted links for the network explorer
    (decision 0010). Queries read links changed since from PostgreSQL, so a late or
    failed rebuild makes answers slower, never stale."""
    snapshot.build_snapshot()
