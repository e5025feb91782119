"""Changes to places and peer groups (contextual safeguarding), each audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from clearsight.access.actor import Actor
from clearsight.access.case_policy import visible_meetings
from clearsight.access.policy import may_record_contexts, visible_persons
from clearsight.audit import services as audit
from clearsight.cases.meeting_services import add_agenda_item
from clearsight.cases.models import AgendaKind
from clearsight.contexts.models import (
    ContextAgendaEntry,
    ContextAssessment,
    ContextNote,
    ContextNoteKind,
    Location,
    LocationType,
    PeerGroup,
    PeerGroupMembership,
    PersonPlace,
    PlaceLinkType,
    ResponsibleKind,
)
from clearsight.core.errors import InvalidInput, PermissionDeniedError
from clearsight.people.identifiers import IdentifierError, normalise_postcode

Subject = Location | PeerGroup


def _require(actor: Actor) -> None:
    if not may_record_contexts(actor):
        raise PermissionDeniedError("Your role cannot record places or peer groups.")


@transaction.atomic
def create_location(
    *,
    actor: Actor,
    name: str,
    location_type: str,
    postcode: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    description: str = "",
) -> Location:
    _require(actor)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Enter the name of the place"
    if location_type not in LocationType.values:
        errors["location_type"] = "Choose the type of place"
    if postcode.strip():
        try:
            postcode = normalise_postcode(postcode)
        except IdentifierError as error:
            errors["postcode"] = str(error)
    if (latitude is None) != (longitude is None):
        errors["latitude"] = "Enter both latitude and longitude, or neither"
    elif (
        latitude is not None
        and longitude is not None
        and not (-90 <= latitude <= 90 and -180 <= longitude <= 180)
    ):
        errors["latitude"] = "Enter a latitude from -90 to 90 and a longitude from -180 to 180"
    if errors:
        raise InvalidInput(errors)
    location = Location.objects.create(
        area_id=actor.area_id,
        name=name.strip(),
        location_type=location_type,
        postcode=postcode.strip(),
        latitude=latitude,
        longitude=longitude,
        description=description.strip(),
        created_by=actor.user,
    )
    audit.record(action="context.location.created", actor=actor, target=location)
    return location


@transaction.atomic
def create_peer_group(*, actor: Actor, name: str, description: str = "") -> PeerGroup:
    _require(actor)
    if not name.strip():
        raise InvalidInput({"name": "Enter the name of the peer group"})
    group = PeerGroup.objects.create(
        area_id=actor.area_id,
        name=name.strip(),
        description=description.strip(),
        created_by=actor.user,
    )
    audit.record(action="context.peer_group.created", actor=actor, target=group)
    return group


def _subject_fields(subject: Subject) -> dict[str, Subject]:
    return {"location": subject} if isinstance(subject, Location) else {"peer_group": subject}


@transaction.atomic
def add_note(*, actor: Actor, subject: Subject, kind: str, seen_on: date, text: str) -> ContextNote:
    _require(actor)
    errors = {}
    if kind not in ContextNoteKind.values:
        errors["kind"] = "Choose concern, observation or incident"
    if not text.strip():
        errors["text"] = "Enter what was seen or reported"
    if seen_on > date.today():
        errors["seen_on"] = "The date must be today or in the past"
    if errors:
        raise InvalidInput(errors)
    note = ContextNote.objects.create(
        **_subject_fields(subject),
        kind=kind,
        seen_on=seen_on,
        text=text.strip(),
        agency=actor.membership.agency,
        author=actor.user,
        membership=actor.membership,
    )
    audit.record(action="context.note.added", actor=actor, target=note)
    return note


@transaction.atomic
def assess(
    *,
    actor: Actor,
    subject: Subject,
    assessed_on: date,
    what_makes_it_unsafe: str,
    responsible_kind: str,
    responsible_name: str,
    action_plan: str,
    what_keeps_children_safe: str = "",
    review_on: date | None = None,
) -> ContextAssessment:
    """A context assessment (Contextual Safeguarding framework): what makes the place or
    group unsafe, who can change it, and the plan."""
    _require(actor)
    errors = {}
    if not what_makes_it_unsafe.strip():
        errors["what_makes_it_unsafe"] = "Enter what makes it unsafe"
    if responsible_kind not in ResponsibleKind.values:
        errors["responsible_kind"] = "Choose who is responsible for it"
    if not responsible_name.strip():
        errors["responsible_name"] = "Enter who is responsible for it, like the station operator"
    if not action_plan.strip():
        errors["action_plan"] = "Enter the action plan"
    if review_on and review_on < assessed_on:
        errors["review_on"] = "The review date must be on or after the assessment"
    if errors:
        raise InvalidInput(errors)
    assessment = ContextAssessment.objects.create(
        **_subject_fields(subject),
        assessed_on=assessed_on,
        what_makes_it_unsafe=what_makes_it_unsafe.strip(),
        what_keeps_children_safe=what_keeps_children_safe.strip(),
        responsible_kind=responsible_kind,
        responsible_name=responsible_name.strip(),
        action_plan=action_plan.strip(),
        review_on=review_on,
        assessed_by=actor.user,
        membership=actor.membership,
    )
    audit.record(action="context.assessment.added", actor=actor, target=assessment)
    return assessment


@transaction.atomic
def link_child(
    *,
    actor: Actor,
    subject: Subject,
    person_id: int,
    from_on: date,
    to_on: date | None = None,
    link_type: str = PlaceLinkType.SPENDS_TIME,
) -> PersonPlace | PeerGroupMembership:
    """Link a child the actor may see to a place, or make them a dated member of a peer
    group."""
    _require(actor)
    person = visible_persons(actor).filter(pk=person_id).first()
    errors = {}
    if person is None:
        errors["person"] = "Enter the record number of a child you can see"
    if to_on and to_on < from_on:
        errors["to_on"] = "The end date must be on or after the start date"
    if isinstance(subject, Location) and link_type not in PlaceLinkType.values:
        errors["link_type"] = "Choose how the child is linked to the place"
    if errors or person is None:
        raise InvalidInput(errors)
    if isinstance(subject, Location):
        made: PersonPlace | PeerGroupMembership = PersonPlace.objects.create(
            location=subject,
            person=person,
            link_type=link_type,
            from_on=from_on,
            to_on=to_on,
            recorded_by=actor.user,
        )
    else:
        made = PeerGroupMembership.objects.create(
            peer_group=subject, person=person, from_on=from_on, to_on=to_on, recorded_by=actor.user
        )
    audit.record(action="context.child.linked", actor=actor, target=made, person_id=person_id)
    return made


@transaction.atomic
def put_on_agenda(*, actor: Actor, subject: Subject, meeting_id: int) -> ContextAgendaEntry:
    """Put a place or peer group on a MACE meeting's agenda, tied to its record, so that
    contexts are discussed at MACE as children are (contextual safeguarding, Firmin
    2020; Working Together 2023, 3.5: harm outside the home). The agenda item itself is
    made by the cases service, which checks that the actor coordinates the meeting."""
    meeting = visible_meetings(actor).filter(pk=meeting_id).first()
    if meeting is None:
        raise InvalidInput({"meeting": "Choose a MACE meeting from the list"})
    fields = _subject_fields(subject)
    if ContextAgendaEntry.objects.filter(agenda_item__meeting=meeting, **fields).exists():
        raise InvalidInput({"meeting": "This is already on that meeting's agenda"})
    item = add_agenda_item(
        actor=actor,
        meeting_id=meeting.pk,
        expected_version=meeting.version,
        kind=AgendaKind.LOCATION if isinstance(subject, Location) else AgendaKind.PEER_GROUP,
        subject=subject.name,
    )
    entry = ContextAgendaEntry.objects.create(agenda_item=item, **fields)
    audit.record(
        action="context.agenda_entry.created",
        actor=actor,
        target=subject,
        details={"meeting_id": meeting.pk, "agenda_item_id": item.pk},
    )
    return entry
