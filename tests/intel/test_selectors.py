"""The intelligence panel on a person's page: what police roles see of the links, read
in a fixed number of queries however many links the child has."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from clearsight.access.roles import Role
from clearsight.intel import services
from clearsight.intel.models import NodeKind
from clearsight.intel.selectors import (
    CHILD_PAGE_LINKS,
    child_page_panel,
    links_of,
    police_hold_information,
)
from clearsight.people.models import Person
from tests.conftest import Cast
from tests.factories import PersonFactory
from tests.intel.conftest import Intel, actor_for, link

pytestmark = pytest.mark.django_db


def _link_phones(cast: Cast, intel: Intel, count: int) -> None:
    analyst = actor_for(cast, Role.INTELLIGENCE_ANALYST)
    for number in range(count):
        phone = services.create_phone(actor=analyst, number=f"07700 9002{number:02d}")
        link(analyst, f"phone:{phone.pk}", f"person:{intel.child.pk}", "contacted")


def test_the_panel_reads_one_query_per_kind_of_record_however_many_links(
    cast: Cast, intel: Intel, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    analyst = actor_for(cast, Role.INTELLIGENCE_ANALYST)
    child = f"person:{intel.child.pk}"
    link(analyst, child, f"address:{intel.address.pk}", "lives_at")
    link(analyst, child, f"vehicle:{intel.vehicle.pk}", "travelled_with")
    link(analyst, child, f"group:{intel.group.pk}", "member_of")
    _link_phones(cast, intel, 8)
    officer = actor_for(cast, Role.POLICE_OFFICER)
    # Places and peer groups (2), the links (1), then one per kind of end of the 11
    # newest links: the child's own record, phones, the address, the vehicle and the
    # group (5).
    with django_assert_max_num_queries(8):
        panel = child_page_panel(actor=officer, person=intel.child)
        html = render_to_string("intel/_child_panel.html", {**panel, "person": intel.child})
    assert html.count("<li>") == CHILD_PAGE_LINKS
    assert "Risk to Riley Atrisk: travelled with AB12CDE (1BP)" in html
    assert "Risk to Riley Atrisk: part of line or network Blade Line (1BP)" in html
    assert 'data-testid="more-intel-links"' in html


def test_the_panel_shows_the_same_links_as_the_entity_page_in_the_same_order(
    cast: Cast, intel: Intel
) -> None:
    _link_phones(cast, intel, 12)
    officer = actor_for(cast, Role.POLICE_OFFICER)
    panel = child_page_panel(actor=officer, person=intel.child)
    every = links_of(actor=officer, node=(NodeKind.PERSON, intel.child.pk))
    shown = panel["intel_links"]
    assert isinstance(shown, list)
    assert [(v.link.pk, v.wording) for v in shown] == [
        (v.link.pk, v.wording) for v in every[:CHILD_PAGE_LINKS]
    ]
    assert panel["more_intel_links"] is True


def test_links_to_records_the_officer_may_not_see_are_skipped_for_the_next_ones(
    cast: Cast, intel: Intel
) -> None:
    analyst = actor_for(cast, Role.INTELLIGENCE_ANALYST)
    _link_phones(cast, intel, 9)
    # The three newest links end at adults whose records are then deleted.
    removed = [PersonFactory(area=cast.area, kind="adult") for _ in range(3)]
    for adult in removed:
        link(analyst, f"person:{adult.pk}", f"person:{intel.child.pk}")
    Person.objects.filter(pk__in=[adult.pk for adult in removed]).update(deleted_at=timezone.now())
    officer = actor_for(cast, Role.POLICE_OFFICER)
    panel = child_page_panel(actor=officer, person=intel.child)
    shown = panel["intel_links"]
    assert isinstance(shown, list)
    # 9 phones and the 2 links of the fixture that touch the child: 11 visible.
    assert len(shown) == CHILD_PAGE_LINKS
    assert panel["more_intel_links"] is True
    assert all(view.other.id not in {adult.pk for adult in removed} for view in shown)
    every = links_of(actor=officer, node=(NodeKind.PERSON, intel.child.pk))
    assert [v.link.pk for v in shown] == [v.link.pk for v in every[:CHILD_PAGE_LINKS]]


def test_a_role_without_sight_of_intelligence_gets_no_links(cast: Cast, intel: Intel) -> None:
    teacher = actor_for(cast, Role.DESIGNATED_SAFEGUARDING_LEAD)
    panel = child_page_panel(actor=teacher, person=intel.child)
    assert panel["intel_links"] is None
    assert panel["police_hold"] is not None


def test_police_hold_information_names_the_force_and_its_analysts(cast: Cast, intel: Intel) -> None:
    analyst = cast.members[Role.INTELLIGENCE_ANALYST]
    teacher = actor_for(cast, Role.DESIGNATED_SAFEGUARDING_LEAD)
    held = police_hold_information(actor=teacher, person=intel.child)
    assert held is not None
    assert held.agencies == [analyst.agency.name]
    assert held.contacts == [f"{analyst.user.full_name} ({analyst.user.email})"]
    assert police_hold_information(actor=teacher, person=intel.adult) is None
