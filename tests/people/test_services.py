"""Adding people: validation of every field, and what creating a record sets up."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from clearsight.access.policy import visible_persons
from clearsight.access.roles import Role
from clearsight.audit.models import AuditEvent
from clearsight.core.errors import InvalidInput, PermissionDeniedError
from clearsight.people.models import PersonIdentifier, Phone, TeamMember
from clearsight.people.services import create_person, open_with_break_glass
from clearsight.people.validation import NewPerson
from tests.conftest import Cast
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def actor_for(cast: Cast, role: Role):  # type: ignore[no-untyped-def]
    from clearsight.access.actor import Actor

    membership = cast.members[role]
    return Actor(user=membership.user, membership=membership)


def test_creating_a_person_puts_the_creator_on_the_team_and_audits(cast: Cast) -> None:
    actor = actor_for(cast, Role.DESIGNATED_SAFEGUARDING_LEAD)
    person = create_person(
        actor=actor,
        data=NewPerson(
            given_names="Kai",
            family_name="Morgan",
            date_of_birth=date(2011, 3, 27),
            nhs_number="943 476 5919",
            phone="07700 900123",
            address_line_1="1 Example Street",
            postcode="ls1 4ap",
        ),
    )
    assert TeamMember.objects.get(person=person).membership == actor.membership
    assert PersonIdentifier.objects.get(person=person).value == "9434765919"
    assert Phone.objects.get(person=person).number == "+447700900123"
    assert person.addresses.get().postcode == "LS1 4AP"
    assert visible_persons(actor).filter(pk=person.pk).exists()
    assert AuditEvent.objects.filter(action="person.created", person_id=person.pk).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"given_names": " "}, "given_names", "Enter the first name"),
        ({"family_name": "x" * 10_000}, "family_name", "200 characters or fewer"),
        (
            {"date_of_birth": date.today() + timedelta(days=1)},
            "date_of_birth",
            "today or in the past",
        ),
        ({"date_of_birth": date(1850, 1, 1)}, "date_of_birth", "within the last 120 years"),
        ({"nhs_number": "9434765918"}, "nhs_number", "last digit does not match"),
        ({"upn": "A801200005001"}, "upn", "first letter does not match"),
        ({"phone": "12"}, "phone", "phone number"),
        ({"postcode": "NOT A CODE"}, "postcode", "real UK postcode"),
        ({"address_line_1": "1 Example Street"}, "postcode", "Enter the postcode"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    cast: Cast, changes: dict, field: str, message: str
) -> None:  # type: ignore[type-arg]
    data = NewPerson(**({"given_names": "Kai", "family_name": "Morgan"} | changes))
    with pytest.raises(InvalidInput) as caught:
        create_person(actor=actor_for(cast, Role.SOCIAL_WORKER), data=data)
    assert message in caught.value.errors[field]
    assert not TeamMember.objects.exists()


def test_all_problems_are_reported_at_once(cast: Cast) -> None:
    data = NewPerson(given_names="", family_name="", nhs_number="123", postcode="??")
    with pytest.raises(InvalidInput) as caught:
        create_person(actor=actor_for(cast, Role.SOCIAL_WORKER), data=data)
    assert set(caught.value.errors) == {"given_names", "family_name", "nhs_number", "postcode"}


def test_roles_that_cannot_record_cannot_create(cast: Cast) -> None:
    with pytest.raises(PermissionDeniedError):
        create_person(
            actor=actor_for(cast, Role.AREA_ADMINISTRATOR), data=NewPerson("Kai", "Morgan")
        )


def test_break_glass_needs_a_real_reason_and_is_flagged(cast: Cast) -> None:
    actor = actor_for(cast, Role.PRACTITIONER)
    person = PersonFactory(area=cast.area)
    assert not visible_persons(actor).filter(pk=person.pk).exists()
    with pytest.raises(InvalidInput):
        open_with_break_glass(actor=actor, person=person, reason="urgent")
    open_with_break_glass(
        actor=actor, person=person, reason="Child missing tonight, police asking for a description"
    )
    assert visible_persons(actor).filter(pk=person.pk).exists()
    event = AuditEvent.objects.get(action="person.break_glass")
    assert event.details["flagged"] is True
    assert event.person_id == person.pk
