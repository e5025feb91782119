"""What Clearsight keeps in a staff session, and when a session ends."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase

GENERATION_KEY = "clearsight_generation"
LAST_ACTIVITY_KEY = "clearsight_last_activity"
STARTED_KEY = "clearsight_started"
MEMBERSHIP_KEY = "clearsight_membership"

# Writing the session on every request costs a database write; a minute's grain is
# plenty for a 30-minute idle timeout.
_TOUCH_GRAIN_SECONDS = 30

END_MESSAGES = {
    "removed": "You have been signed out. Sign in again to continue.",
    "suspended": (
        "Your account has been suspended, so you have been signed out. "
        "Contact your area administrator if you think this is wrong."
    ),
    "signed_out_everywhere": (
        "You have been signed out because someone chose to sign out of your account on "
        "every device. Sign in again to continue."
    ),
    "idle": (
        "You have been signed out because you were inactive for "
        f"{settings.CLEARSIGHT_IDLE_TIMEOUT_MINUTES} minutes. Sign in again to continue."
    ),
    "expired": "Your session has reached its time limit. Sign in again to continue.",
}


def idle_seconds() -> int:
    return int(settings.CLEARSIGHT_IDLE_TIMEOUT_MINUTES) * 60


def absolute_seconds() -> int:
    return int(settings.CLEARSIGHT_SESSION_MAX_HOURS) * 3600


def start(session: SessionBase, *, generation: int) -> None:
    now = time.time()
    session[GENERATION_KEY] = generation
    session[STARTED_KEY] = now
    session[LAST_ACTIVITY_KEY] = now


def touch(session: SessionBase) -> None:
    now = time.time()
    if now - session.get(LAST_ACTIVITY_KEY, 0) >= _TOUCH_GRAIN_SECONDS:
        session[LAST_ACTIVITY_KEY] = now


def keep_alive(session: SessionBase) -> None:
    session[LAST_ACTIVITY_KEY] = time.time()


def seconds_left(session: SessionBase) -> int:
    last = session.get(LAST_ACTIVITY_KEY, 0)
    return max(0, int(last + idle_seconds() - time.time()))
