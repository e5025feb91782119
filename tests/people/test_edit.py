"""Changing a record: details with optimistic concurrency, and adding identifiers,
addresses, phones and other names, each with clear errors."""

from __future__ import annotations

import pytest

from clearsight.access.roles import Role
from clearsight.audit.models import AuditEvent
from clearsight.people.models import Person
from tests.conftest import Cast
from tests.factories import AgencyFactory, PersonFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(cast: Cast) -> Person:
    person = PersonFactory(area=cast.area, given_names="Ava", family_name="Own")
    TeamMemberFactory(person=person, membership=cast.members[Role.SOCIAL_WORKER])
    return person


def details(person: Person, **changes: str) -> dict[str, str]:
    data = {
        "part": "details",
        "version": str(person.version),
        "given_names": person.given_names,
        "family_name": person.family_name,
        "sex": "female",
        "ethnicity": "not_known",
        "legal_status": "looked_after",
        "placing_authority": "Otherton Council",
        "languages": "English, Somali",
    }
    data.update(changes)
    return data


def test_details_are_saved_and_audited(own: Person, cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    school = AgencyFactory(area=cast.area, name="Testshire High", agency_type="school")
    client = client_for(Role.SOCIAL_WORKER)
    assert "Change the record" in client.get(f"/people/{own.pk}/").content.decode()
    response = client.post(f"/people/{own.pk}/edit/", details(own, school=str(school.pk)))
    assert response["Location"] == f"/people/{own.pk}/edit/"
    own.refresh_from_db()
    assert own.legal_status == "looked_after"
    assert own.school == school
    assert own.languages == ["English", "Somali"]
    assert own.version == 2
    assert AuditEvent.objects.filter(action="person.updated", person_id=own.pk).exists()


def test_placement_agency_in_another_area_and_learning_disability_are_recorded(
    own: Person, cast: Cast, client_for
) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import AreaFactory

    home = AgencyFactory(
        area=AreaFactory(name="Otherton", code="otherton"),
        name="Oakfield Children's Home",
        agency_type="voluntary_sector",
    )
    school = AgencyFactory(area=cast.area, name="Testshire Primary", agency_type="school")
    client = client_for(Role.SOCIAL_WORKER)
    form = client.get(f"/people/{own.pk}/edit/").content.decode()
    assert "Oakfield Children&#x27;s Home (Otherton)" in form
    assert (
        "Testshire Primary"
        not in form.split('id="id_placement_agency"', 1)[1].split("</select>")[0]
    )
    response = client.post(
        f"/people/{own.pk}/edit/",
        details(own, placement_agency=str(home.pk), has_learning_disability="on"),
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.placement_agency == home and own.has_learning_disability
    page = client.get(f"/people/{own.pk}/").content.decode()
    assert "Oakfield Children&#x27;s Home" in page and "Learning disability" in page
    refused = client.post(f"/people/{own.pk}/edit/", details(own, placement_agency=str(school.pk)))
    assert refused.status_code == 400
    assert "Choose the placement agency from the list" in refused.content.decode()


def test_a_change_made_meanwhile_is_not_overwritten(own: Person, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.SOCIAL_WORKER)
    stale = details(own, preferred_name="First tab")
    client.post(f"/people/{own.pk}/edit/", details(own, preferred_name="Second tab"))
    response = client.post(f"/people/{own.pk}/edit/", stale)
    assert response.status_code == 400
    assert "has changed since you read it" in response.content.decode()
    own.refresh_from_db()
    assert own.preferred_name == "Second tab"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {
                "part": "identifier",
                "identifier-kind": "nhs_number",
                "identifier-value": "9434765918",
            },
            "last digit does not match",
        ),
        (
            {"part": "identifier", "identifier-kind": "la_id", "identifier-value": "LA-1"},
            "Enter who issued",
        ),
        (
            {"part": "address", "address-line_1": "1 Example Street", "address-postcode": "NOPE"},
            "real UK postcode",
        ),
        (
            {
                "part": "address",
                "address-line_1": "1 Example Street",
                "address-postcode": "LS1 4AP",
                "address-from_on": "2026-05-01",
                "address-to_on": "2026-01-01",
            },
            "on or after the date they moved in",
        ),
        ({"part": "phone", "phone-number": "12"}, "phone number"),
        ({"part": "alias", "alias-name": "", "alias-kind": "nickname"}, "Enter the name"),
        (
            {
                "part": "details",
                "version": "1",
                "given_names": "",
                "family_name": "Own",
                "sex": "female",
                "ethnicity": "not_known",
                "legal_status": "none",
            },
            "Enter the first name",
        ),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(
    own: Person, client_for, data: dict, message: str
) -> None:  # type: ignore[no-untyped-def, type-arg]
    response = client_for(Role.SOCIAL_WORKER).post(f"/people/{own.pk}/edit/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    own.refresh_from_db()
    assert own.version == 1


def test_identifiers_addresses_phones_and_names_are_added(own: Person, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.SOCIAL_WORKER)
    url = f"/people/{own.pk}/edit/"
    client.post(
        url, {"part": "identifier", "identifier-kind": "upn", "identifier-value": "b801200005001"}
    )
    client.post(
        url,
        {
            "part": "address",
            "address-line_1": "1 Example Street",
            "address-postcode": "ls14ap",
            "address-from_on": "2025-01-01",
        },
    )
    client.post(url, {"part": "phone", "phone-number": "07700 900123", "phone-label": "mobile"})
    client.post(url, {"part": "alias", "alias-name": "Avs", "alias-kind": "nickname"})
    page = client.get(f"/people/{own.pk}/").content.decode()
    for text in ("B801200005001", "LS1 4AP", "+447700900123", "Avs (nickname)", "from 1 Jan 2025"):
        assert text in page
    assert Person.objects.get(pk=own.pk).version == 5


@pytest.mark.parametrize("role", list(Role))
def test_only_those_who_can_see_and_record_may_edit(own: Person, role: Role, client_for) -> None:  # type: ignore[no-untyped-def]
    status = client_for(role).get(f"/people/{own.pk}/edit/").status_code
    expected = {
        Role.SOCIAL_WORKER: 200,
        Role.TRIAGE_OFFICER: 200,
        Role.MACE_COORDINATOR: 200,
        Role.MISSING_COORDINATOR: 200,
        Role.POLICE_OFFICER: 200,
    }
    if role in (
        Role.AREA_ADMINISTRATOR,
        Role.DATA_PROTECTION_OFFICER,
        Role.HELPLINE_WORKER,
        Role.INTELLIGENCE_ANALYST,
    ):
        assert status == 403
    else:
        assert status == expected.get(role, 404)
