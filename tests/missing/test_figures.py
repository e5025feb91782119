"""RHI compliance figures: counted by month of return and agency of the worker, for the
coordinator's own area only, in a fixed number of queries."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from clearsight.access.actor import Actor
from clearsight.access.roles import Role
from clearsight.audit.models import AuditEvent
from clearsight.missing.deadlines import UK
from clearsight.missing.figures import missing_figures
from clearsight.missing.models import RhiState
from tests.conftest import Cast
from tests.factories import (
    AreaFactory,
    MissingEpisodeFactory,
    PersonFactory,
    ReturnHomeInterviewFactory,
)

pytestmark = pytest.mark.django_db


def coordinator(cast: Cast) -> Actor:
    membership = cast.members[Role.MISSING_COORDINATOR]
    return Actor(user=membership.user, membership=membership)


def returned(
    cast: Cast,
    ended_at: datetime,
    *,
    state: str = RhiState.TO_OFFER,
    offered_after: timedelta | None = None,
    person=None,  # type: ignore[no-untyped-def]
    worker: Role | None = Role.RHI_WORKER,
):  # type: ignore[no-untyped-def]
    """An episode that ended at ``ended_at`` and its interview."""
    episode = MissingEpisodeFactory(
        person=person or PersonFactory(area=cast.area),
        started_at=ended_at - timedelta(hours=10),
        ended_at=ended_at,
    )
    offered = offered_after is not None
    return ReturnHomeInterviewFactory(
        episode=episode,
        state=state,
        worker=cast.members[worker] if offered and worker else None,
        offered_at=ended_at + offered_after if offered else None,
    )


def at(day: int, month: int, year: int = 2026, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UK)


def test_returns_are_counted_by_month_of_return_with_the_72_hour_rule(cast: Cast) -> None:
    returned(cast, at(5, 1), state=RhiState.COMPLETED, offered_after=timedelta(hours=10))
    returned(cast, at(20, 1), state=RhiState.DECLINED, offered_after=timedelta(hours=80))
    returned(cast, at(3, 3), state=RhiState.ACCEPTED, offered_after=timedelta(hours=71))
    returned(cast, at(4, 3))
    returned(cast, at(1, 5))  # after the period

    figures = missing_figures(
        actor=coordinator(cast), from_on=date(2026, 1, 1), to_on=date(2026, 3, 31)
    )

    months = {row.label: row for row in figures.by_month}
    assert list(months) == ["January 2026", "February 2026", "March 2026"]
    january = months["January 2026"]
    assert (january.returns, january.offered, january.offered_in_time) == (2, 2, 1)
    assert (january.accepted, january.completed) == (1, 1)
    assert months["February 2026"].returns == 0
    assert months["February 2026"].in_time_percent is None
    march = months["March 2026"]
    assert (march.returns, march.offered, march.offered_in_time, march.accepted) == (2, 1, 1, 1)
    assert figures.total.returns == 4
    assert figures.total.in_time_percent == 50


def test_a_return_late_on_the_last_night_of_a_month_counts_in_that_uk_month(cast: Cast) -> None:
    # 23:30 on 31 May is 22:30 UTC: still May in the UK.
    returned(cast, at(31, 5, hour=23).replace(minute=30))
    figures = missing_figures(
        actor=coordinator(cast), from_on=date(2026, 5, 1), to_on=date(2026, 6, 30)
    )
    assert [row.returns for row in figures.by_month] == [1, 0]


def test_returns_are_counted_by_the_agency_of_the_worker(cast: Cast) -> None:
    returned(cast, at(5, 1), state=RhiState.OFFERED, offered_after=timedelta(hours=1))
    returned(cast, at(6, 1), state=RhiState.OFFERED, offered_after=timedelta(hours=1))
    returned(cast, at(7, 1))

    figures = missing_figures(
        actor=coordinator(cast), from_on=date(2026, 1, 1), to_on=date(2026, 1, 31)
    )

    agency = cast.members[Role.RHI_WORKER].agency.name
    assert [(row.label, row.returns, row.offered) for row in figures.by_agency] == [
        (agency, 2, 2),
        ("Not yet offered", 1, 0),
    ]


def test_open_and_overdue_interviews_are_counted_now(cast: Cast) -> None:
    now = datetime(2026, 6, 10, 12, tzinfo=UK)
    overdue = returned(cast, now - timedelta(days=4))
    returned(cast, now - timedelta(days=1), state=RhiState.OFFERED, offered_after=timedelta(0))
    returned(cast, now - timedelta(days=9), state=RhiState.COMPLETED, offered_after=timedelta(0))

    figures = missing_figures(
        actor=coordinator(cast), from_on=date(2026, 6, 1), to_on=date(2026, 6, 10), now=now
    )

    assert (figures.open_interviews, figures.overdue_interviews) == (2, 1)
    assert [rhi.pk for rhi in figures.overdue] == [overdue.pk]


def test_children_missing_three_times_in_90_days_are_counted_once(cast: Cast) -> None:
    child = PersonFactory(area=cast.area)
    for day in (1, 20, 40, 60):
        returned(cast, at(1, 1) + timedelta(days=day), person=child)
    sometimes = PersonFactory(area=cast.area)
    for month in (1, 5, 9):
        returned(cast, at(2, month), person=sometimes)

    figures = missing_figures(
        actor=coordinator(cast), from_on=date(2026, 1, 1), to_on=date(2026, 12, 31)
    )

    assert figures.repeat_missing_children == 1


def test_another_areas_returns_are_never_counted(cast: Cast) -> None:
    elsewhere = PersonFactory(area=AreaFactory())
    MissingEpisodeFactory(person=elsewhere, started_at=at(1, 1), ended_at=at(2, 1))
    figures = missing_figures(
        actor=coordinator(cast), from_on=date(2026, 1, 1), to_on=date(2026, 1, 31)
    )
    assert figures.total.returns == 0 and figures.open_interviews == 0


def test_the_page_shows_the_summary_and_is_audited(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    rhi = returned(cast, at(5, 1), state=RhiState.OFFERED, offered_after=timedelta(hours=2))
    waiting = returned(cast, at(6, 1))

    page = client_for(Role.MISSING_COORDINATOR).get(
        "/missing/figures/", {"from_on": "2026-01-01", "to_on": "2026-01-31"}
    )

    assert page.status_code == 200
    body = page.content.decode()
    assert "50% within 72 hours" in body
    assert "1 of 2 returns" in body
    event = AuditEvent.objects.get(action="missing.figures_viewed")
    assert event.details["from_on"] == "2026-01-01"
    # Both are past due and not finished, so both children are named in the overdue list.
    assert set(event.details["result_person_ids"]) == {
        rhi.episode.person_id,
        waiting.episode.person_id,
    }


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"from_on": "2026-02-01", "to_on": "2026-01-01"}, "must be on or after the start date"),
        ({"from_on": "yesterday", "to_on": "2026-01-01"}, "The start date must be a real date"),
        (
            {"from_on_day": "1", "from_on_year": "2026", "to_on": "2026-01-01"},
            "The start date must include a month",
        ),
        ({"from_on": "2020-01-01", "to_on": "2026-01-01"}, "3 years or less"),
        ({"from_on": "2099-01-01", "to_on": "2099-02-01"}, "today or in the past"),
    ],
)
def test_a_bad_period_is_explained(cast: Cast, client_for, query, message) -> None:  # type: ignore[no-untyped-def]
    page = client_for(Role.MISSING_COORDINATOR).get("/missing/figures/", query)
    assert page.status_code == 400
    assert message in page.content.decode()
    assert not AuditEvent.objects.filter(action="missing.figures_viewed").exists()


def test_the_page_takes_the_same_number_of_queries_however_many_returns(
    cast: Cast, client_for, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for day in range(1, 29):
        returned(cast, at(day, 1), state=RhiState.OFFERED, offered_after=timedelta(hours=day))
        returned(cast, at(day, 2))
    web = client_for(Role.MISSING_COORDINATOR)
    with django_assert_max_num_queries(12):
        page = web.get("/missing/figures/", {"from_on": "2026-01-01", "to_on": "2026-11-01"})
    assert page.status_code == 200
