from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearsight.missing.rhi_states import (
    ALLOWED,
    NEEDS_REASON,
    State,
    TransitionError,
    check_transition,
)


def test_the_happy_path() -> None:
    state = State.TO_OFFER
    for target in (State.OFFERED, State.ACCEPTED, State.COMPLETED):
        state = check_transition(state, target)
    assert state == State.COMPLETED


def test_completing_an_interview_never_offered_is_refused() -> None:
    with pytest.raises(TransitionError, match="once the child has accepted it"):
        check_transition(State.TO_OFFER, State.COMPLETED)


def test_declining_needs_a_reason_and_can_be_offered_again() -> None:
    with pytest.raises(TransitionError, match="reason"):
        check_transition(State.OFFERED, State.DECLINED)
    assert check_transition(State.OFFERED, State.DECLINED, "Did not want to talk") == State.DECLINED
    assert check_transition(State.DECLINED, State.OFFERED) == State.OFFERED


@given(st.sampled_from(list(State)), st.sampled_from(list(State)), st.text(max_size=5))
def test_only_listed_moves_succeed(current: State, target: State, reason: str) -> None:
    allowed = target in ALLOWED[current] and (target not in NEEDS_REASON or reason.strip())
    try:
        check_transition(current, target, reason)
    except TransitionError as error:
        assert not allowed
        assert str(error)
    else:
        assert allowed


@given(st.sampled_from(list(State)))
def test_nothing_leaves_completed(target: State) -> None:
    with pytest.raises(TransitionError, match="already been completed"):
        check_transition(State.COMPLETED, target, "reason")
