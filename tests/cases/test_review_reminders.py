"""Case review reminders: a week before and once overdue, to the lead professional (or
the area's MACE coordinators while there is none), each exactly once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from procrastinate.contrib.django import app

from clearsight.access.roles import Role
from clearsight.cases import tasks
from clearsight.cases.review_reminders import send_review_reminders
from clearsight.notifications.models import Notification
from tests.conftest import Cast
from tests.factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db
REVIEW = date(2026, 12, 10)


def test_reminders_go_a_week_before_and_when_overdue_exactly_once(cast: Cast) -> None:
    lead = cast.members[Role.SOCIAL_WORKER]
    case = CaseFactory(
        person=PersonFactory(area=cast.area), lead_professional=lead, next_review_on=REVIEW
    )
    assert send_review_reminders(today=REVIEW - timedelta(days=8)) == 0
    assert send_review_reminders(today=REVIEW - timedelta(days=7)) == 1
    assert send_review_reminders(today=REVIEW - timedelta(days=3)) == 0
    assert send_review_reminders(today=REVIEW + timedelta(days=1)) == 1
    assert send_review_reminders(today=REVIEW + timedelta(days=2)) == 0
    titles = list(
        Notification.objects.filter(recipient=lead.user)
        .order_by("pk")
        .values_list("title", flat=True)
    )
    assert titles == ["Case review due soon", "Case review overdue"]
    assert all(case.person.family_name not in t for t in titles)


def test_without_a_lead_the_mace_coordinators_are_reminded(cast: Cast) -> None:
    CaseFactory(person=PersonFactory(area=cast.area), next_review_on=REVIEW)
    assert send_review_reminders(today=REVIEW) == 1
    assert Notification.objects.get().recipient == cast.user(Role.MACE_COORDINATOR)


def test_the_periodic_job_is_registered_and_uses_the_clock(cast: Cast) -> None:
    lead = cast.members[Role.SOCIAL_WORKER]
    CaseFactory(person=PersonFactory(area=cast.area), lead_professional=lead, next_review_on=REVIEW)
    assert "clearsight.cases.send_review_reminders" in app.tasks
    with time_machine.travel(REVIEW + timedelta(days=1), tick=False):
        tasks.send_review_reminders(timestamp=0)
        tasks.send_review_reminders(timestamp=0)
    assert Notification.objects.filter(recipient=lead.user).count() == 1


def test_a_repeat_run_costs_the_same_few_queries_however_many_cases_are_overdue(
    cast: Cast, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    lead = cast.members[Role.SOCIAL_WORKER]
    for _ in range(12):
        CaseFactory(
            person=PersonFactory(area=cast.area), lead_professional=lead, next_review_on=REVIEW
        )
        CaseFactory(person=PersonFactory(area=cast.area), next_review_on=REVIEW)
    after = REVIEW + timedelta(days=3)
    assert send_review_reminders(today=after) == 24
    with django_assert_max_num_queries(5):  # the cases, reminders sent, coordinators, savepoint
        assert send_review_reminders(today=after) == 0
    assert Notification.objects.filter(recipient=lead.user).count() == 12
    assert Notification.objects.filter(recipient=cast.user(Role.MACE_COORDINATOR)).count() == 12
