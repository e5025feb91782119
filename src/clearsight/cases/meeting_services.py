"""MACE meetings: scheduling, members, the agenda, and decisions and actions recorded
against each item. Actions about a child go straight onto the child's plan.

The agenda carries a version: every change needs the version the coordinator read, so
two coordinators editing the same agenda are told, never silently overwritten."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from clearsight.access import case_policy as policy
from clearsight.access.actor import Actor
from clearsight.access.policy import visible_persons
from clearsight.access.roles import Capability, role_can
from clearsight.areas.models import Membership
from clearsight.audit import services as audit
from clearsight.cases.models import (
    TEXT_MAX,
    TITLE_MAX,
    AgendaItem,
    AgendaKind,
    Case,
    MaceMeeting,
    MeetingDecision,
    MeetingMember,
    MeetingStatus,
    PlanAction,
    ReferralService,
    ReferralStatus,
)
from clearsight.cases.services import NewAction, create_action, open_case_record
from clearsight.cases.text import clean_text
from clearsight.core.errors import (
    InvalidInput,
    NotFoundError,
    PermissionDeniedError,
    StaleVersionError,
)
from clearsight.notifications.services import notify

STALE_AGENDA = (
    "Another coordinator changed this agenda since you opened it. The page now shows "
    "their changes; check them, then make yours again."
)


@transaction.atomic
def schedule_meeting(
    *, actor: Actor, title: str, starts_at: datetime | None, location: str
) -> MaceMeeting:
    """Schedule a meeting; the coordinator who schedules it sits on it."""
    if not actor.can(Capability.COORDINATE_MACE):
        raise PermissionDeniedError("Only MACE coordinators can schedule meetings.")
    errors: dict[str, str] = {}
    title = clean_text(
        errors, "title", title, missing="Enter a title", label="The title", limit=TITLE_MAX
    )
    location = clean_text(
        errors, "location", location, missing="", label="The place", limit=TITLE_MAX, required=False
    )
    if starts_at is None:
        errors["starts_at"] = "Enter the date and time of the meeting"
    if errors:
        raise InvalidInput(errors)
    assert starts_at is not None
    meeting = MaceMeeting.objects.create(
        area_id=actor.area_id,
        title=title,
        starts_at=starts_at,
        location=location,
        created_by=actor.user,
    )
    MeetingMember.objects.create(meeting=meeting, membership=actor.membership, added_by=actor.user)
    audit.record(action="mace.scheduled", actor=actor, target=meeting)
    return meeting


def _meeting_to_coordinate(actor: Actor, meeting_id: int) -> MaceMeeting:
    meeting = policy.visible_meetings(actor).select_for_update().filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFoundError("There is no such meeting you may see.")
    if not policy.may_coordinate(actor, meeting):
        raise PermissionDeniedError("Only MACE coordinators can change a meeting.")
    return meeting


def _bump(meeting: MaceMeeting, expected_version: int) -> None:
    if meeting.version != expected_version:
        raise StaleVersionError(STALE_AGENDA)
    meeting.version += 1
    meeting.save(update_fields=["version"])


@transaction.atomic
def add_member(
    *, actor: Actor, meeting_id: int, expected_version: int, membership: Membership | None
) -> MeetingMember:
    """Invite someone to sit on the meeting; they are told in Clearsight (no names)."""
    meeting = _meeting_to_coordinate(actor, meeting_id)
    if (
        membership is None
        or membership.agency.area_id != meeting.area_id
        or membership.ended_at is not None
        or not role_can(membership.role, Capability.VIEW_CHILDREN)
    ):
        raise InvalidInput(
            {"membership": "Choose someone with a current role in this area who can see children"}
        )
    if MeetingMember.objects.filter(meeting=meeting, membership=membership).exists():
        raise InvalidInput({"membership": "They already sit on this meeting"})
    _bump(meeting, expected_version)
    member = MeetingMember.objects.create(
        meeting=meeting, membership=membership, added_by=actor.user
    )
    notify(
        recipient=membership.user,
        kind="mace_member",
        key=f"mace:{meeting.pk}:member:{membership.pk}",
        title="You have been added to a MACE meeting",
        body=f"Meeting on {timezone.localtime(meeting.starts_at):%-d %B %Y at %H:%M}.",
        url=f"/mace/{meeting.pk}/",
    )
    audit.record(
        action="mace.member_added",
        actor=actor,
        target=meeting,
        details={"membership_id": membership.pk},
    )
    return member


def _next_position(meeting: MaceMeeting) -> int:
    last = meeting.items.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


@transaction.atomic
def add_agenda_item(
    *,
    actor: Actor,
    meeting_id: int,
    expected_version: int,
    kind: str,
    person_id: int | None = None,
    referral_id: int | None = None,
    subject: str = "",
) -> AgendaItem:
    """Put a child (often from a referral to MACE), a peer group or a location on the
    agenda. Adding a referred child accepts their referral to MACE."""
    meeting = _meeting_to_coordinate(actor, meeting_id)
    errors: dict[str, str] = {}
    person = None
    referral = None
    if kind not in AgendaKind.values:
        errors["kind"] = "Choose a child, a peer group or a location"
    elif kind == AgendaKind.CHILD:
        if referral_id is not None:
            referral = (
                policy.visible_referrals(actor)
                .select_for_update()
                .filter(pk=referral_id, service=ReferralService.MACE)
                .first()
            )
            person_id = referral.person_id if referral else None
        person = (
            visible_persons(actor).filter(pk=person_id, area_id=meeting.area_id).first()
            if person_id is not None
            else None
        )
        if person is None:
            errors["person"] = "Choose a child referred to MACE"
        elif meeting.items.filter(person=person).exists():
            errors["person"] = "This child is already on the agenda"
        subject = ""
    else:
        subject = clean_text(
            errors,
            "subject",
            subject,
            missing="Enter the peer group or location",
            label="The name",
            limit=TITLE_MAX,
        )
    if errors:
        raise InvalidInput(errors)
    _bump(meeting, expected_version)
    item = AgendaItem.objects.create(
        meeting=meeting,
        kind=kind,
        person=person,
        subject=subject,
        referral=referral,
        position=_next_position(meeting),
        added_by=actor.user,
    )
    if referral is not None and referral.status == ReferralStatus.SENT:
        referral.status = ReferralStatus.ACCEPTED
        referral.accepted_at = referral.status_changed_at = timezone.now()
        referral.version += 1
        referral.save()
    audit.record(
        action="mace.agenda_item_added",
        actor=actor,
        target=item,
        person_id=person.pk if person else None,
        details={"meeting_id": meeting.pk, "kind": kind},
    )
    return item


@transaction.atomic
def remove_agenda_item(
    *, actor: Actor, meeting_id: int, expected_version: int, item_id: int
) -> None:
    meeting = _meeting_to_coordinate(actor, meeting_id)
    item = meeting.items.filter(pk=item_id).first()
    if item is None:
        raise NotFoundError("There is no such agenda item.")
    if item.decisions.exists() or item.actions.exists():
        raise InvalidInput({"item": "Items with decisions or actions stay on the agenda"})
    _bump(meeting, expected_version)
    audit.record(
        action="mace.agenda_item_removed",
        actor=actor,
        target=meeting,
        person_id=item.person_id,
        details={"kind": item.kind},
    )
    item.delete()


def _item_for_outcomes(actor: Actor, meeting_id: int, item_id: int) -> AgendaItem:
    item = (
        AgendaItem.objects.select_related("meeting", "person")
        .filter(pk=item_id, meeting_id=meeting_id, meeting__in=policy.visible_meetings(actor))
        .first()
    )
    if item is None:
        raise NotFoundError("There is no such agenda item you may see.")
    if not policy.may_record_outcomes(actor, item.meeting):
        raise PermissionDeniedError(
            "Decisions are recorded by a MACE coordinator who sits on the meeting."
        )
    return item


@transaction.atomic
def record_decision(*, actor: Actor, meeting_id: int, item_id: int, text: str) -> MeetingDecision:
    item = _item_for_outcomes(actor, meeting_id, item_id)
    errors: dict[str, str] = {}
    text = clean_text(
        errors, "text", text, missing="Enter the decision", label="The decision", limit=TEXT_MAX
    )
    if errors:
        raise InvalidInput(errors)
    decision = MeetingDecision.objects.create(item=item, text=text, recorded_by=actor.user)
    MaceMeeting.objects.filter(pk=meeting_id).update(status=MeetingStatus.HELD)
    audit.record(
        action="mace.decision_recorded",
        actor=actor,
        target=decision,
        person_id=item.person_id,
        details={"meeting_id": meeting_id},
    )
    return decision


@transaction.atomic
def record_action(*, actor: Actor, meeting_id: int, item_id: int, data: NewAction) -> PlanAction:
    """An action agreed about a child goes onto the child's plan, opening a case (with
    no lead professional yet) if the child has none, so nothing agreed is lost.
    Actions about peer groups and locations wait for the contexts model: record them as
    decisions for now."""
    item = _item_for_outcomes(actor, meeting_id, item_id)
    if item.person is None:
        raise InvalidInput(
            {"title": "Actions are recorded for children; record this as a decision instead"}
        )
    case = (
        Case.objects.select_for_update()
        .select_related("person")
        .filter(person=item.person, closed_at__isnull=True)
        .first()
    )
    if case is None:
        case = open_case_record(actor=actor, person=item.person, lead=None)
    action = create_action(actor=actor, case=case, data=data, agenda_item=item)
    MaceMeeting.objects.filter(pk=meeting_id).update(status=MeetingStatus.HELD)
    return action
