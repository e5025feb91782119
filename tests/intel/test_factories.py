"""The intelligence and context factories make valid rows (every database constraint
holds) that the access policy shows to the area's intelligence roles."""

from __future__ import annotations

import pytest

from clearsight.access.actor import Actor
from clearsight.access.policy import visible_links
from clearsight.access.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "factory_class",
    [
        factories.PhoneNumberFactory,
        factories.IntelAddressFactory,
        factories.VehicleFactory,
        factories.IntelGroupFactory,
        factories.LinkFactory,
        factories.PhoneDataImportFactory,
        factories.LocationFactory,
        factories.PeerGroupFactory,
    ],
)
def test_each_factory_makes_two_valid_rows(factory_class) -> None:  # type: ignore[no-untyped-def]
    first, second = factory_class(), factory_class()
    assert first.pk != second.pk


def test_a_factory_link_is_seen_by_an_analyst_of_its_area() -> None:
    link = factories.LinkFactory()
    analyst = factories.MembershipFactory(
        role=Role.INTELLIGENCE_ANALYST.value, agency__area=link.area
    )
    assert list(visible_links(Actor(analyst.user, analyst))) == [link]
