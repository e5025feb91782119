"""Reads of places and peer groups, scoped by the access policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.case_policy import visible_meetings
from clearsight.access.policy import (
    can,
    visible_locations,
    visible_peer_groups,
    visible_persons,
)
from clearsight.access.roles import Capability
from clearsight.cases.models import MaceMeeting, MeetingStatus
from clearsight.contexts.models import (
    ContextAgendaEntry,
    ContextNoteKind,
    Location,
    PeerGroup,
    PeerGroupMembership,
    PersonPlace,
    PlaceLinkType,
)
from clearsight.people.models import Person


def location(*, actor: Actor, pk: int) -> Location | None:
    return visible_locations(actor).filter(pk=pk).first()


def peer_group(*, actor: Actor, pk: int) -> PeerGroup | None:
    return visible_peer_groups(actor).filter(pk=pk).first()


def children_at(
    *, actor: Actor, subject: Location | PeerGroup
) -> list[PersonPlace] | list[PeerGroupMembership]:
    people = visible_persons(actor)
    if isinstance(subject, Location):
        return list(subject.people.filter(person__in=people).select_related("person"))
    return list(subject.members.filter(person__in=people).select_related("person"))


@dataclass(frozen=True)
class ChildPlace:
    location_id: int
    name: str
    link_type: str

    @property
    def link_type_label(self) -> str:
        return _PLACE_LINK_LABELS.get(self.link_type, self.link_type)


_PLACE_LINK_LABELS = dict(PlaceLinkType.choices)


@dataclass(frozen=True)
class ChildPeerGroup:
    peer_group_id: int
    name: str
    from_on: date
    to_on: date | None


@dataclass(frozen=True)
class ChildContexts:
    places: list[ChildPlace]
    peer_groups: list[ChildPeerGroup]


def contexts_of(*, actor: Actor, person: Person) -> ChildContexts:
    """The places and peer groups a child is linked to, for the child's page: newest
    place link first, peer groups in the order the child joined them. Only the columns
    the page shows are read."""
    places = (
        visible_locations(actor)
        .filter(people__person=person)
        .order_by("-people__from_on", "people__pk")
        .values_list("pk", "name", "people__link_type")
    )
    peer_groups = (
        visible_peer_groups(actor)
        .filter(members__person=person)
        .order_by("members__from_on", "members__pk")
        .values_list("pk", "name", "members__from_on", "members__to_on")
    )
    return ChildContexts(
        places=[ChildPlace(*row) for row in places],
        peer_groups=[ChildPeerGroup(*row) for row in peer_groups],
    )


def hotspots(*, actor: Actor, since: date, until: date) -> list[dict[str, object]]:
    """Each place with coordinates, and what happened there in the period: concerns,
    observations, incidents and children found there while missing."""
    in_period = Q(notes__seen_on__gte=since, notes__seen_on__lte=until)
    places = (
        visible_locations(actor)
        .filter(latitude__isnull=False)
        .annotate(
            concerns=Count(
                "notes", filter=in_period & Q(notes__kind=ContextNoteKind.CONCERN), distinct=True
            ),
            observations=Count(
                "notes",
                filter=in_period & Q(notes__kind=ContextNoteKind.OBSERVATION),
                distinct=True,
            ),
            incidents=Count(
                "notes", filter=in_period & Q(notes__kind=ContextNoteKind.INCIDENT), distinct=True
            ),
            found_missing=Count(
                "people",
                filter=Q(
                    people__link_type=PlaceLinkType.FOUND_WHILE_MISSING,
                    people__from_on__gte=since,
                    people__from_on__lte=until,
                ),
                distinct=True,
            ),
        )
    )
    return [
        {
            "id": place.pk,
            "name": place.name,
            "type": place.get_location_type_display(),
            "lat": float(place.latitude or 0),
            "lng": float(place.longitude or 0),
            "concerns": place.concerns,
            "observations": place.observations,
            "incidents": place.incidents,
            "foundMissing": place.found_missing,
            "total": place.concerns + place.observations + place.incidents + place.found_missing,
        }
        for place in places
    ]


def meetings_to_put_on(*, actor: Actor) -> list[MaceMeeting]:
    """Scheduled MACE meetings the actor coordinates, soonest first: where a place or
    peer group can be put on the agenda."""
    if not can(actor, Capability.COORDINATE_MACE):
        return []
    return list(
        visible_meetings(actor)
        .filter(status=MeetingStatus.SCHEDULED, starts_at__gte=timezone.now())
        .order_by("starts_at")[:20]
    )


def agenda_entries(*, actor: Actor, subject: Location | PeerGroup) -> list[ContextAgendaEntry]:
    """The MACE agendas this place or peer group is on, of meetings the actor may see."""
    field = "location" if isinstance(subject, Location) else "peer_group"
    return list(
        ContextAgendaEntry.objects.filter(
            **{field: subject}, agenda_item__meeting__in=visible_meetings(actor)
        )
        .select_related("agenda_item__meeting")
        .order_by("-agenda_item__meeting__starts_at")
    )
