"""The risk panel's reads (risk/panel_selectors.py): its query count, the names of a
professional judgement, and the figures tables' texts written once in Python."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.template.defaultfilters import floatformat

from clearsight.access.actor import Actor
from clearsight.access.roles import Role
from clearsight.people.models import Person, PersonKind
from clearsight.risk import override_services
from clearsight.risk.models import LibraryVersion
from clearsight.risk.panel_selectors import HistoryRow, ObservationRow, risk_panel
from clearsight.risk.services import screen_person
from tests.conftest import Cast
from tests.factories import ObservationFactory, PersonFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db

# 23:30 in London on 14 June 2026 (British Summer Time): the next day in UTC.
LATE_EVENING = datetime(2026, 6, 14, 22, 30, tzinfo=UTC)


def actor(cast: Cast, role: Role) -> Actor:
    membership = cast.members[role]
    return Actor(user=membership.user, membership=membership)


@pytest.fixture
def child(cast: Cast, national_library: LibraryVersion) -> Person:
    person = PersonFactory(area=cast.area, date_of_birth=date(2011, 1, 1))
    TeamMemberFactory(person=person, membership=cast.members[Role.SOCIAL_WORKER])
    return person


def test_the_panel_reads_two_queries_however_many_signs_and_screenings(
    cast: Cast, child: Person, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for code in ("MIS-01", "MIS-02", "MON-02", "PHN-01", "HRM-01", "EDU-01"):
        ObservationFactory(person=child, indicator_code=code, seen_on=date.today())
        screen_person(child.pk)
    with django_assert_num_queries(2):
        panel = risk_panel(actor=actor(cast, Role.POLICE_OFFICER), person=child)
    assert panel is not None
    assert len(panel.history) == 6 and len(panel.observations) == 6
    assert panel.override_by_name == panel.approved_by_name == ""


def test_a_professional_judgement_reads_who_made_and_decided_it_in_one_more_query(
    cast: Cast, child: Person, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for code in ("MIS-01", "MIS-02"):
        ObservationFactory(person=child, indicator_code=code, seen_on=date.today())
    screen_person(child.pk)
    worker = cast.members[Role.SOCIAL_WORKER]
    worker.line_manager = cast.members[Role.MACE_COORDINATOR]
    worker.save()
    requested = override_services.override_level(
        actor=actor(cast, Role.SOCIAL_WORKER), person_id=child.pk, level="low", reason="Moved"
    )
    override_services.decide_override(
        actor=actor(cast, Role.MACE_COORDINATOR), screening_id=requested.pk, approve=True
    )
    with django_assert_num_queries(3):
        panel = risk_panel(actor=actor(cast, Role.POLICE_OFFICER), person=child)
    assert panel is not None
    assert (panel.override_by_name, panel.approved_by_name) == (
        "Test Social worker",
        "Test MACE coordinator",
    )


def test_the_figures_tables_say_dates_in_uk_time_with_labels_and_figures(
    cast: Cast, child: Person
) -> None:
    ObservationFactory(
        person=child, indicator_code="MIS-01", seen_on=date(2026, 6, 3), confidence=3
    )
    with time_machine.travel(LATE_EVENING, tick=False):
        screening = screen_person(child.pk)
    panel = risk_panel(actor=actor(cast, Role.POLICE_OFFICER), person=child)
    assert panel is not None
    assert panel.history == [
        HistoryRow(
            created="14 Jun 2026 23:30",
            level=screening.get_final_level_display(),
            computed=screening.get_computed_level_display(),
            score=floatformat(screening.score, "-2"),
        )
    ]
    assert panel.observations == [
        ObservationRow(
            seen="3 Jun 2026",
            sign="Goes missing repeatedly",
            agency=panel.observations[0].agency,
            how_sure="3 – Probably",
        )
    ]


def test_the_panel_is_none_for_an_adult(cast: Cast, national_library: LibraryVersion) -> None:
    adult = PersonFactory(area=cast.area, kind=PersonKind.ADULT)
    assert risk_panel(actor=actor(cast, Role.POLICE_OFFICER), person=adult) is None
