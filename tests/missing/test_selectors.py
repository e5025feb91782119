"""Reads of missing episodes (missing/selectors.py): the board's rows and a child's
missing history, with only the columns their pages show."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.roles import Role
from clearsight.missing import selectors
from tests.conftest import Cast
from tests.factories import MissingEpisodeFactory, PersonFactory

pytestmark = pytest.mark.django_db


def actor(cast: Cast, role: Role = Role.POLICE_OFFICER) -> Actor:
    membership = cast.members[role]
    return Actor(user=membership.user, membership=membership)


def test_board_rows_carry_the_texts_the_board_shows(cast: Cast) -> None:
    now = timezone.now()
    child = PersonFactory(
        area=cast.area, given_names="George", family_name="Hill", preferred_name="Georgie"
    )
    episode = MissingEpisodeFactory(
        person=child,
        kind="A",
        started_at=now - timedelta(days=2, hours=3, minutes=10),
        ended_at=None,
        last_seen_place="Bus station",
        risk_grading="medium",
    )
    (row,) = selectors.board_rows(actor=actor(cast), now=now)
    assert row.person_id == child.pk
    assert row.url == f"/missing/{episode.pk}/"
    assert row.child_name == "George Hill (“Georgie”)"
    assert row.is_away
    assert row.missing_for == "2\xa0days, 3\xa0hours"
    assert row.last_seen_place == "Bus station"
    assert (row.risk_grading, row.risk_tag_colour) == ("Medium", "orange")
    assert row.reported_by == episode.reporting_membership.agency.name


def test_board_rows_are_longest_missing_first_with_ties_in_the_order_reported(
    cast: Cast,
) -> None:
    started = timezone.now() - timedelta(hours=5)
    later, first, second = (
        MissingEpisodeFactory(
            person=PersonFactory(area=cast.area), started_at=at, ended_at=None, risk_grading=""
        )
        for at in (started + timedelta(hours=1), started, started)
    )
    rows = selectors.board_rows(actor=actor(cast), now=timezone.now())
    assert [row.url for row in rows] == [f"/missing/{e.pk}/" for e in (first, second, later)]
    assert {(row.risk_grading, row.risk_tag_colour) for row in rows} == {("", "grey")}


def test_board_rows_leave_out_children_the_actor_may_not_see(cast: Cast) -> None:
    MissingEpisodeFactory(ended_at=None)  # a child of another area
    assert selectors.board_rows(actor=actor(cast), now=timezone.now()) == []


def test_missing_history_reads_only_the_shown_columns_in_three_queries(
    cast: Cast, django_assert_max_num_queries, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    child = PersonFactory(area=cast.area)
    for days in (3, 10, 40):
        started = timezone.now() - timedelta(days=days)
        MissingEpisodeFactory(
            person=child,
            started_at=started,
            ended_at=started + timedelta(hours=4),
            found_place="Flat 4, Tower Court",
            found_with="Dean Price",
        )
    # The episodes, the places of concern, the adults named in "found with".
    with django_assert_max_num_queries(3):
        history = selectors.missing_history(actor=actor(cast), person=child)
    assert len(history.episodes) == 3
    with django_assert_num_queries(0):
        for episode in history.episodes:
            assert episode.reporting_membership.agency.name
            assert episode.reported_by.full_name
            assert episode.get_kind_display() == "Missing"
            assert (episode.found_place, episode.found_with) == (
                "Flat 4, Tower Court",
                "Dean Price",
            )
    assert {"clothing", "harm_noticed", "police_reference"} <= history.episodes[
        0
    ].get_deferred_fields()
    assert history.pattern is not None and history.pattern.last_30_days == 2
