"""Time to help: the pure arithmetic (hypothesis) and the selector that feeds it only
what the actor may see."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from clearsight.access.actor import Actor
from clearsight.access.roles import Role
from clearsight.cases import time_to_help as rules
from clearsight.cases.help_selectors import time_to_help
from clearsight.cases.models import ReferralStatus
from tests.conftest import Cast
from tests.factories import (
    AreaFactory,
    CaseFactory,
    ObservationFactory,
    PersonFactory,
    PlanActionFactory,
    ReferralFactory,
    TeamMemberFactory,
)

START = datetime(2026, 1, 1, tzinfo=UTC)
moments = st.integers(min_value=0, max_value=400 * 24).map(lambda h: START + timedelta(hours=h))
events = st.lists(st.builds(rules.Event, at=moments, label=st.sampled_from(["Police", "School"])))


@given(signs=events.filter(bool), helps=events)
def test_days_to_help_are_never_negative(
    signs: list[rules.Event], helps: list[rules.Event]
) -> None:
    clock = rules.clock_for(1, signs, helps)
    assert clock is not None
    assert clock.days is None or clock.days >= 0
    assert (clock.days is None) == (not helps)


@given(signs=events.filter(bool), helps=events.filter(bool), later=moments)
def test_a_later_sign_never_changes_the_clock(
    signs: list[rules.Event], helps: list[rules.Event], later: datetime
) -> None:
    before = rules.clock_for(1, signs, helps)
    assert before is not None
    late_sign = rules.Event(at=max(later, before.first_sign.at), label="Health")
    after = rules.clock_for(1, [*signs, late_sign], helps)
    assert after is not None and after.days == before.days


def test_no_sign_means_no_clock() -> None:
    assert rules.clock_for(1, [], [rules.Event(at=START, label="Referral accepted")]) is None


def test_days_count_from_the_first_sign_to_the_first_help() -> None:
    clock = rules.clock_for(
        7,
        [rules.Event(START + timedelta(days=3), "School"), rules.Event(START, "Police")],
        [rules.Event(START + timedelta(days=12), "x"), rules.Event(START + timedelta(days=9), "y")],
    )
    assert clock is not None
    assert (clock.days, clock.first_sign.label, clock.month) == (9, "Police", "2026-01")


@given(st.lists(st.integers(min_value=0, max_value=1000), min_size=1))
def test_percentiles_lie_within_the_values_in_order(values: list[int]) -> None:
    median = rules.percentile(values, 0.5)
    p90 = rules.percentile(values, 0.9)
    assert median is not None and p90 is not None
    assert min(values) <= median <= p90 <= max(values)


def test_median_and_90th_percentile_of_known_values() -> None:
    assert rules.percentile([1, 2, 3, 4], 0.5) == 2.5
    assert rules.percentile(list(range(11)), 0.9) == 9
    assert rules.percentile([], 0.5) is None


clock_lists = st.lists(
    st.builds(
        rules.Clock,
        person_id=st.integers(1, 50),
        first_sign=st.builds(rules.Event, at=moments, label=st.sampled_from(["A", "B"])),
        first_help=st.none() | st.builds(rules.Event, at=moments, label=st.just("help")),
    )
)


@given(visible=clock_lists, hidden=clock_lists)
def test_figures_are_unchanged_by_children_filtered_out_as_not_visible(
    visible: list[rules.Clock], hidden: list[rules.Clock]
) -> None:
    """The selector drops children the actor may not see before any arithmetic; the
    figures of what is left are exactly those of the visible children alone."""
    seen = {c.person_id for c in visible}
    hidden = [c for c in hidden if c.person_id not in seen]
    combined = [c for c in [*visible, *hidden] if c.person_id in seen]
    key = lambda clock: clock.month  # noqa: E731
    assert rules.figures_by(combined, key) == rules.figures_by(visible, key)


def test_waiting_children_are_counted_but_not_as_zero_days() -> None:
    clocks = [
        rules.Clock(1, rules.Event(START, "A"), rules.Event(START + timedelta(days=4), "h")),
        rules.Clock(2, rules.Event(START, "A"), None),
    ]
    (figure,) = rules.figures_by(clocks, lambda c: "all")
    assert (figure.children, figure.helped, figure.waiting, figure.median_days) == (2, 1, 1, 4)


def test_rising_risk_without_action_needs_the_full_number_of_days() -> None:
    rose = START
    assert not rules.is_without_action(
        last_help_at=None, rose_at=rose, now=rose + timedelta(days=13), days=14
    )
    assert rules.is_without_action(
        last_help_at=None, rose_at=rose, now=rose + timedelta(days=14), days=14
    )
    assert not rules.is_without_action(
        last_help_at=rose + timedelta(days=1), rose_at=rose, now=rose + timedelta(days=30), days=14
    )


# --- The selector -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_selector_counts_only_children_the_actor_may_see(cast: Cast) -> None:
    social_worker = cast.members[Role.SOCIAL_WORKER]
    actor = Actor(user=social_worker.user, membership=social_worker)
    mine = PersonFactory(area=cast.area)
    TeamMemberFactory(person=mine, membership=social_worker)
    ObservationFactory(person=mine, created_at=timezone.now() - timedelta(days=10))
    ReferralFactory(
        person=mine, status=ReferralStatus.ACCEPTED, accepted_at=timezone.now() - timedelta(days=4)
    )
    before = time_to_help(actor=actor)
    assert [c.days for c in before.clocks] == [6]

    # Records about children outside the actor's team, and in another area, change nothing.
    other = PersonFactory(area=cast.area)
    ObservationFactory(person=other, created_at=timezone.now() - timedelta(days=300))
    action = PlanActionFactory(case=CaseFactory(person=other))
    action.started_at = timezone.now()
    action.save()
    away = PersonFactory(area=AreaFactory())
    ObservationFactory(person=away)
    after = time_to_help(actor=actor)
    assert after.by_month == before.by_month and after.by_agency == before.by_agency
    assert [c.person_id for c in after.clocks] == [mine.pk]


@pytest.mark.django_db
def test_a_concern_counts_as_the_first_sign_and_a_started_action_as_help(cast: Cast) -> None:
    from tests.factories import ConcernFactory

    coordinator = cast.members[Role.MACE_COORDINATOR]
    actor = Actor(user=coordinator.user, membership=coordinator)
    child = PersonFactory(area=cast.area)
    ConcernFactory(area=cast.area, person=child, created_at=timezone.now() - timedelta(days=20))
    ObservationFactory(person=child, created_at=timezone.now() - timedelta(days=5))
    action = PlanActionFactory(case=CaseFactory(person=child))
    action.started_at = timezone.now() - timedelta(days=2)
    action.save()
    (clock,) = [c for c in time_to_help(actor=actor).clocks if c.person_id == child.pk]
    assert clock.days == 18
    assert clock.first_help is not None and clock.first_help.label == "Plan action started"
