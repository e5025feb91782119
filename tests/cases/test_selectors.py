"""Reads for cases (cases/selectors.py): the case summary on the child page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clearsight.access.roles import Role
from clearsight.cases.selectors import case_summary
from clearsight.cases.services import open_case
from tests.cases.helpers import actor_for, child_on_team
from tests.conftest import Cast
from tests.factories import PlanActionFactory

pytestmark = pytest.mark.django_db


def test_the_summary_shows_the_lead_and_counts_open_and_overdue_actions_in_two_queries(
    cast: Cast, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    child = child_on_team(cast, Role.SOCIAL_WORKER, Role.PRACTITIONER)
    worker = actor_for(cast, Role.SOCIAL_WORKER)
    case = open_case(
        actor=worker, person_id=child.pk, lead_professional=cast.members[Role.PRACTITIONER]
    )
    today = timezone.localdate()
    owner = cast.members[Role.SOCIAL_WORKER]
    earlier = {"created_on": today - timedelta(days=9), "due_on": today - timedelta(days=3)}
    PlanActionFactory(case=case, owner=owner)
    PlanActionFactory(case=case, owner=owner, **earlier)
    PlanActionFactory(case=case, owner=owner, status="in_progress", **earlier)
    PlanActionFactory(case=case, owner=owner, status="done", **earlier)
    # The case and its counts; the statutory defence flag is not the social worker's.
    with django_assert_max_num_queries(2):
        summary = case_summary(actor=worker, person=child)
    assert summary.case is not None and summary.case.pk == case.pk
    assert summary.case.opened_at == case.opened_at
    lead = summary.case.lead_professional
    assert lead is not None
    assert (lead.user.full_name, lead.agency.name) == (
        "Test Practitioner",
        "Testshire Youth service",
    )
    assert (summary.open_actions, summary.overdue_actions) == (3, 2)


def test_a_child_with_no_open_case_costs_one_query_for_the_case(
    cast: Cast, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    child = child_on_team(cast, Role.SOCIAL_WORKER)
    with django_assert_max_num_queries(1):
        summary = case_summary(actor=actor_for(cast, Role.SOCIAL_WORKER), person=child)
    assert (summary.case, summary.open_actions, summary.overdue_actions) == (None, 0, 0)
    assert summary.statutory_defence is False
