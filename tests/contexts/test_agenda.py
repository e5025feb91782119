"""A MACE coordinator puts a place or a peer group on a meeting's agenda from its page;
the entry ties the agenda item to the context record. Others are refused."""

from __future__ import annotations

import pytest

from clearsight.access.actor import Actor
from clearsight.access.roles import Role
from clearsight.cases.models import AgendaItem
from clearsight.contexts import services
from clearsight.contexts.models import ContextAgendaEntry
from clearsight.core.errors import InvalidInput, PermissionDeniedError
from tests.conftest import Cast
from tests.factories import LocationFactory, MaceMeetingFactory, PeerGroupFactory

pytestmark = pytest.mark.django_db


def actor(cast: Cast, role: Role) -> Actor:
    return Actor(cast.members[role].user, cast.members[role])


def test_a_coordinator_puts_a_place_on_the_agenda_from_its_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    place = LocationFactory(area=cast.area, name="Northgate Station")
    meeting = MaceMeetingFactory(area=cast.area, title="Testshire MACE, March")
    client = client_for(Role.MACE_COORDINATOR)
    page = client.get(f"/places/{place.pk}/").content.decode()
    assert "Put this place on a MACE meeting’s agenda" in page
    response = client.post(
        f"/places/{place.pk}/", {"action": "agenda", "agenda-meeting": str(meeting.pk)}
    )
    assert response.status_code == 302
    entry = ContextAgendaEntry.objects.get()
    assert entry.location == place
    assert (entry.agenda_item.kind, entry.agenda_item.subject) == ("location", "Northgate Station")
    page = client.get(f"/places/{place.pk}/").content.decode()
    assert "On the agenda of" in page and "Testshire MACE, March" in page


def test_the_same_peer_group_is_not_put_on_one_agenda_twice(cast: Cast) -> None:
    group = PeerGroupFactory(area=cast.area)
    meeting = MaceMeetingFactory(area=cast.area)
    coordinator = actor(cast, Role.MACE_COORDINATOR)
    services.put_on_agenda(actor=coordinator, subject=group, meeting_id=meeting.pk)
    with pytest.raises(InvalidInput, match="already on that meeting"):
        services.put_on_agenda(actor=coordinator, subject=group, meeting_id=meeting.pk)
    assert AgendaItem.objects.get().kind == "peer_group"


def test_a_meeting_of_another_area_cannot_be_chosen(cast: Cast) -> None:
    place = LocationFactory(area=cast.area)
    elsewhere = MaceMeetingFactory()
    with pytest.raises(InvalidInput, match="Choose a MACE meeting"):
        services.put_on_agenda(
            actor=actor(cast, Role.MACE_COORDINATOR), subject=place, meeting_id=elsewhere.pk
        )


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.DESIGNATED_SAFEGUARDING_LEAD])
def test_only_a_coordinator_may_put_a_place_on_the_agenda(
    cast: Cast, client_for, role: Role
) -> None:  # type: ignore[no-untyped-def]
    place = LocationFactory(area=cast.area)
    meeting = MaceMeetingFactory(area=cast.area)
    client = client_for(role)
    assert "MACE meeting’s agenda" not in client.get(f"/places/{place.pk}/").content.decode()
    response = client.post(
        f"/places/{place.pk}/", {"action": "agenda", "agenda-meeting": str(meeting.pk)}
    )
    assert response.status_code == 403
    with pytest.raises((InvalidInput, PermissionDeniedError)):
        services.put_on_agenda(actor=actor(cast, role), subject=place, meeting_id=meeting.pk)
    assert not ContextAgendaEntry.objects.exists()
