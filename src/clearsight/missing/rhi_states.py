"""The Return Home Interview's states and which moves between them are allowed.

Plain Python. to offer -> offered -> accepted or declined (with a reason); accepted ->
completed or not completed (with a reason). A declined or not-completed interview can be
offered again."""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    TO_OFFER = "to_offer"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    COMPLETED = "completed"
    NOT_COMPLETED = "not_completed"


ALLOWED: dict[State, frozenset[State]] = {
    State.TO_OFFER: frozenset({State.OFFERED}),
    State.OFFERED: frozenset({State.ACCEPTED, State.DECLINED}),
    State.ACCEPTED: frozenset({State.COMPLETED, State.NOT_COMPLETED}),
    State.DECLINED: frozenset({State.OFFERED}),
    State.NOT_COMPLETED: frozenset({State.OFFERED}),
    State.COMPLETED: frozenset(),
}
NEEDS_REASON = frozenset({State.DECLINED, State.NOT_COMPLETED})

_WHY_NOT = {
    State.COMPLETED: "An interview can only be completed once the child has accepted it",
    State.ACCEPTED: "An interview can only be accepted once it has been offered",
    State.DECLINED: "An interview can only be declined once it has been offered",
    State.NOT_COMPLETED: "Only an accepted interview can be recorded as not completed",
    State.OFFERED: "This interview has already been offered",
}


class TransitionError(ValueError):
    """A move the Return Home Interview cannot make, with a message saying why."""


def check_transition(current: State | str, target: State | str, reason: str = "") -> State:
    current, target = State(current), State(target)
    if current == State.COMPLETED:
        raise TransitionError("This interview has already been completed")
    if target not in ALLOWED[current]:
        raise TransitionError(_WHY_NOT.get(target, "That change is not possible"))
    if target in NEEDS_REASON and not reason.strip():
        raise TransitionError("Enter the reason")
    return target
