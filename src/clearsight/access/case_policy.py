"""Who may see or do what with referrals, cases, MACE meetings and NRM records.

These object-level rules sit on top of ``access.policy`` (which decides who sees a
child), in the access module with every other access rule. Every rule starts from
``visible_persons``, except MACE packs and minutes, whose need-to-know basis is
membership of the meeting."""

from __future__ import annotations

from django.db.models import QuerySet

from clearsight.access.actor import Actor
from clearsight.access.policy import can, current_team_places, known_on_team, visible_persons
from clearsight.access.roles import Capability, Role
from clearsight.areas.models import AgencyType
from clearsight.cases.models import (
    Case,
    MaceMeeting,
    MeetingMember,
    NrmReferral,
    PlanAction,
    Referral,
)
from clearsight.people.models import Person


def may_refer(actor: Actor, person: Person) -> bool:
    """Anyone who records what they see about a child they may see can refer them."""
    return (
        can(actor, Capability.RECORD_OBSERVATIONS)
        and visible_persons(actor).filter(pk=person.pk).exists()
    )


def may_manage_case(actor: Actor, person: Person) -> bool:
    """Case workers (social workers, designated safeguarding leads, MACE coordinators)
    who may see the child open and run the case, and record NRM decisions."""
    return (
        can(actor, Capability.MANAGE_CASES) and visible_persons(actor).filter(pk=person.pk).exists()
    )


def may_write_notes(actor: Actor, person: Person) -> bool:
    return may_refer(actor, person)


def visible_referrals(actor: Actor) -> QuerySet[Referral]:
    return Referral.objects.filter(person__in=visible_persons(actor))


def visible_cases(actor: Actor) -> QuerySet[Case]:
    return Case.objects.filter(person__in=visible_persons(actor))


def visible_actions(actor: Actor) -> QuerySet[PlanAction]:
    return PlanAction.objects.filter(case__person__in=visible_persons(actor))


def may_update_action(actor: Actor, action: PlanAction) -> bool:
    """The action's owner, or a case worker who may see the child."""
    return action.owner_id == actor.membership.pk or may_manage_case(actor, action.case.person)


def visible_nrm_referrals(actor: Actor) -> QuerySet[NrmReferral]:
    return NrmReferral.objects.filter(person__in=visible_persons(actor))


def sees_statutory_defence_flag(actor: Actor, person: Person) -> bool:
    """Police officers and youth service staff on the team around the child: those who
    may be involved in criminal proceedings about them. (There is no youth justice
    role yet; youth offending teams are recorded as youth service agencies.)"""
    if actor.role != Role.POLICE_OFFICER and (
        actor.membership.agency.agency_type != AgencyType.YOUTH_SERVICE
    ):
        return False
    on_team = known_on_team(actor, person)
    if on_team is not None:
        return on_team
    return current_team_places(actor).filter(person=person).exists()


# --- MACE meetings -----------------------------------------------------------------------


def visible_meetings(actor: Actor) -> QuerySet[MaceMeeting]:
    """MACE coordinators see every meeting of their area; anyone else the meetings they
    sit on."""
    in_area = MaceMeeting.objects.filter(area_id=actor.area_id)
    if can(actor, Capability.COORDINATE_MACE):
        return in_area
    if not can(actor, Capability.VIEW_CHILDREN):
        return MaceMeeting.objects.none()
    return in_area.filter(members__membership=actor.membership)


def is_member(actor: Actor, meeting: MaceMeeting) -> bool:
    return MeetingMember.objects.filter(meeting=meeting, membership=actor.membership).exists()


def may_coordinate(actor: Actor, meeting: MaceMeeting) -> bool:
    return can(actor, Capability.COORDINATE_MACE) and meeting.area_id == actor.area_id


def may_read_pack(actor: Actor, meeting: MaceMeeting) -> bool:
    """Packs and minutes: the meeting's members only, coordinators included only when
    they sit on it."""
    return (
        can(actor, Capability.VIEW_CHILDREN)
        and meeting.area_id == actor.area_id
        and is_member(actor, meeting)
    )


def may_record_outcomes(actor: Actor, meeting: MaceMeeting) -> bool:
    """Decisions and actions are recorded by a coordinator who sits on the meeting."""
    return may_coordinate(actor, meeting) and is_member(actor, meeting)
