"""Intelligence services: each bad input gets its own message against its field, and
the database refuses what validation might miss; a network too big to show is capped
at 500 records with a message saying how to narrow it."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from clearsight.access.roles import Role
from clearsight.core.errors import InvalidInput, PermissionDeniedError
from clearsight.intel import explorer, services
from clearsight.intel.models import Link, PhoneNumber
from tests.conftest import Cast
from tests.intel.conftest import Intel, actor_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(cast: Cast):  # type: ignore[no-untyped-def]
    return actor_for(cast, Role.INTELLIGENCE_ANALYST)


def errors_of(call, **kwargs) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as raised:
        call(**kwargs)
    return raised.value.errors


@pytest.mark.parametrize("number", ["12345", "phone", "07700 9009", "+44 20 1234 567890123"])
def test_a_bad_phone_number_gets_a_clear_message(analyst, number: str) -> None:  # type: ignore[no-untyped-def]
    errors = errors_of(services.create_phone, actor=analyst, number=number)
    assert errors["number"].startswith("Enter a")
    assert not PhoneNumber.objects.exists()


def test_the_same_number_written_differently_is_refused_the_second_time(analyst) -> None:  # type: ignore[no-untyped-def]
    services.create_phone(actor=analyst, number="07700 900982")
    errors = errors_of(services.create_phone, actor=analyst, number="+44 7700 900982")
    assert errors["number"] == "This number is already in the register"


def test_a_closed_number_needs_a_closure_type(analyst) -> None:  # type: ignore[no-untyped-def]
    errors = errors_of(services.create_phone, actor=analyst, number="07700 900982", status="closed")
    assert errors == {"closure_type": "Choose how the number was closed"}


def test_an_active_number_has_no_closure(analyst) -> None:  # type: ignore[no-untyped-def]
    errors = errors_of(
        services.create_phone,
        actor=analyst,
        number="07700 900982",
        closure_type="dormant",
        closed_on=date(2026, 3, 1),
    )
    assert errors == {"closure_type": "Only a closed number has a closure type and date"}


def test_the_database_refuses_a_closed_number_without_a_closure_type(analyst) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError), transaction.atomic():
        PhoneNumber.objects.create(
            area_id=analyst.area_id,
            number="+447700900982",
            status="closed",
            created_by=analyst.user,
        )


@pytest.mark.parametrize("registration", ["", "AB12 CDEF", "12345678X", "A!12"])
def test_a_bad_registration_gets_a_clear_message(analyst, registration: str) -> None:  # type: ignore[no-untyped-def]
    errors = errors_of(services.create_vehicle, actor=analyst, registration=registration)
    assert "registration" in errors["registration"]


def test_a_registration_is_stored_upper_case_without_spaces(analyst) -> None:  # type: ignore[no-untyped-def]
    assert services.create_vehicle(actor=analyst, registration="ab12 cde").registration == "AB12CDE"


def new_link(intel: Intel, **changes: object) -> services.NewLink:
    values: dict[str, object] = {
        "from_node": f"phone:{intel.phone.pk}",
        "to_node": f"person:{intel.child.pk}",
        "link_type": "contacted",
        "source": "Officer",
        "source_evaluation": "1",
        "intelligence_assessment": "B",
        "handling_code": "P",
    }
    values.update(changes)
    return services.NewLink(**values)  # type: ignore[arg-type]


def test_a_link_from_a_record_to_itself_is_refused(analyst, intel: Intel) -> None:  # type: ignore[no-untyped-def]
    itself = new_link(intel, to_node=f"phone:{intel.phone.pk}")
    errors = errors_of(services.create_link, actor=analyst, new=itself)
    assert errors == {"to_node": "A link must join two different records, not one to itself"}


def test_the_database_refuses_a_link_to_itself(analyst, intel: Intel) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError), transaction.atomic():
        Link.objects.create(
            area_id=analyst.area_id,
            from_kind="phone",
            from_id=intel.phone.pk,
            to_kind="phone",
            to_id=intel.phone.pk,
            link_type="contacted",
            source="x",
            source_evaluation="1",
            intelligence_assessment="A",
            handling_code="P",
        )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("source_evaluation", "4", "Choose a source evaluation of 1, 2 or 3"),
        ("source_evaluation", "0", "Choose a source evaluation of 1, 2 or 3"),
        ("intelligence_assessment", "F", "Choose an intelligence assessment from A to E"),
        ("handling_code", "X", "Choose a handling code of P or C"),
    ],
)
def test_grading_out_of_range_is_refused(
    analyst, intel: Intel, field: str, value: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    errors = errors_of(services.create_link, actor=analyst, new=new_link(intel, **{field: value}))
    assert errors == {field: message}


def test_the_database_refuses_grading_out_of_range(analyst, intel: Intel) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError), transaction.atomic():
        Link.objects.filter(pk=intel.link.pk).update(source_evaluation="4")


def test_a_link_to_a_record_that_does_not_exist_and_dates_out_of_order(
    analyst, intel: Intel
) -> None:  # type: ignore[no-untyped-def]
    bad = new_link(
        intel, to_node="person:999999", valid_from=date(2026, 3, 2), valid_to=date(2026, 3, 1)
    )
    errors = errors_of(services.create_link, actor=analyst, new=bad)
    assert errors["to_node"] == "There is no such record you may link"
    assert errors["valid_to"].startswith("The end date must be")


def test_a_role_without_intelligence_cannot_record_it(cast: Cast) -> None:
    with pytest.raises(PermissionDeniedError):
        services.create_phone(
            actor=actor_for(cast, Role.DESIGNATED_SAFEGUARDING_LEAD), number="07700 900982"
        )


def test_a_network_too_big_to_show_is_capped_at_500_with_a_way_to_narrow_it(
    analyst, intel: Intel
) -> None:  # type: ignore[no-untyped-def]
    phones = PhoneNumber.objects.bulk_create(
        PhoneNumber(area_id=analyst.area_id, number=f"+44113496{i:04d}", created_by=analyst.user)
        for i in range(600)
    )
    Link.objects.bulk_create(
        Link(
            area_id=analyst.area_id,
            from_kind="phone",
            from_id=intel.phone.pk,
            to_kind="phone",
            to_id=phone.pk,
            link_type="contacted",
            source="Call records",
            source_evaluation="1",
            intelligence_assessment="A",
            handling_code="P",
        )
        for phone in phones
    )
    view = explorer.explore(
        actor=analyst, query=explorer.Query(start=("phone", intel.phone.pk), depth=2)
    )
    assert view.subgraph.capped
    assert len(view.info) == 500
    assert "more than 500 records within 2 links" in view.message
    assert "Narrow it" in view.message
    assert explorer.as_json(view)["capped"] is True


def test_a_small_network_is_not_capped(analyst, intel: Intel) -> None:  # type: ignore[no-untyped-def]
    view = explorer.explore(
        actor=analyst, query=explorer.Query(start=("phone", intel.phone.pk), depth=2)
    )
    assert not view.subgraph.capped and view.message == ""
