from __future__ import annotations

from dataclasses import dataclass

import pytest

from clearsight.access.actor import Actor
from clearsight.access.roles import Role
from clearsight.intel import services
from clearsight.intel.models import IntelAddress, IntelGroup, Link, PhoneNumber, Vehicle
from clearsight.people.models import Person
from tests.conftest import Cast
from tests.factories import PersonFactory, TeamMemberFactory


def actor_for(cast: Cast, role: Role) -> Actor:
    membership = cast.members[role]
    return Actor(membership.user, membership)


@dataclass
class Intel:
    child: Person
    adult: Person
    phone: PhoneNumber
    address: IntelAddress
    vehicle: Vehicle
    group: IntelGroup
    link: Link

    # Values that must never reach a role without sight of intelligence.
    secrets = (
        "+447700900123",
        "07700 900123",
        "07700900123",
        "AB12CDE",
        "AB12 CDE",
        "13 Cuckoo Lane",
        "Blade Line",
        "Covert source 77",
        "Bladeline",
    )


def link(analyst: Actor, a: str, b: str, link_type: str = "associates_with", **kw: object) -> Link:
    return services.create_link(
        actor=analyst,
        new=services.NewLink(
            from_node=a,
            to_node=b,
            link_type=link_type,
            source=str(kw.get("source", "Officer")),
            source_evaluation="1",
            intelligence_assessment="B",
            handling_code="P",
        ),
    )


@pytest.fixture
def intel(cast: Cast) -> Intel:
    analyst = actor_for(cast, Role.INTELLIGENCE_ANALYST)
    child = PersonFactory(area=cast.area, given_names="Riley", family_name="Atrisk")
    adult = PersonFactory(area=cast.area, given_names="Dane", family_name="Concern", kind="adult")
    for role in Role:
        TeamMemberFactory(person=child, membership=cast.members[role])
    phone = services.create_phone(
        actor=analyst, number="07700 900123", is_deal_line=True, line_name="Bladeline"
    )
    address = services.create_address(
        actor=analyst, line_1="13 Cuckoo Lane", postcode="LS1 4AP", is_cuckooing_concern=True
    )
    vehicle = services.create_vehicle(actor=analyst, registration="ab12 cde")
    group = services.create_group(actor=analyst, name="Blade Line")
    made = link(
        analyst, f"phone:{phone.pk}", f"person:{child.pk}", "contacted", source="Covert source 77"
    )
    link(analyst, f"person:{adult.pk}", f"phone:{phone.pk}", "controls_line")
    link(analyst, f"person:{adult.pk}", f"person:{child.pk}", "suspected_of_exploiting")
    link(analyst, f"vehicle:{vehicle.pk}", f"address:{address.pk}", "seen_at")
    link(analyst, f"group:{group.pk}", f"phone:{phone.pk}", "member_of")
    return Intel(child, adult, phone, address, vehicle, group, made)
