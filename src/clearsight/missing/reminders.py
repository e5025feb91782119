"""Which Return Home Interview reminders are due.

Plain Python. The interview is due 72 hours after the child's return (statutory
guidance: children who run away or go missing from home or care, DfE 2014). The worker
and their manager are reminded twice: 48 hours after the return ("due in 24 hours"),
and once the deadline has passed ("overdue"). Times are compared as instants in UTC, so
a clock change does not move a reminder.

Only one of the two is due at any moment: a job that first runs after the deadline
(say the worker was down) sends the overdue reminder alone, never a stale "due in 24
hours" beside it. The overdue reminder is sent only in the week after the deadline:
older interviews are on the missing figures' overdue list already, and a first
deployment with years of imported history must not send a reminder for each of them."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from clearsight.missing.deadlines import REMINDERS

# The same conversion the deadlines use: elapsed time, right across a clock change.
from clearsight.missing.deadlines import _utc as utc
from clearsight.missing.rhi_states import State

DUE_SOON_AFTER: timedelta = REMINDERS[0]
# How long after the deadline an overdue reminder may still be sent.
OVERDUE_REMINDED_FOR = timedelta(days=7)

# Not yet finished: declined, completed and not-completed interviews need no reminder.
OPEN_STATES = frozenset({State.TO_OFFER, State.OFFERED, State.ACCEPTED})


class Stage(StrEnum):
    DUE_SOON = "48h"
    OVERDUE = "72h"


def due_reminder(
    *, returned_at: datetime, due_at: datetime, state: State | str, now: datetime
) -> Stage | None:
    """The reminder due now for this interview, or None."""
    returned, due, current = utc(returned_at), utc(due_at), utc(now)
    if State(state) not in OPEN_STATES:
        return None
    if current >= due + OVERDUE_REMINDED_FOR:
        return None
    if current >= due:
        return Stage.OVERDUE
    if current >= returned + DUE_SOON_AFTER:
        return Stage.DUE_SOON
    return None
