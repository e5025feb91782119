"""Reads for referrals, cases, NRM records and MACE meetings. Every query starts from
``cases.policy`` (itself built on ``access.policy.visible_persons``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from clearsight.access import case_policy as policy
from clearsight.access.actor import Actor
from clearsight.access.policy import rows_of_person, visible_persons
from clearsight.access.roles import Capability, role_can
from clearsight.areas.models import Membership
from clearsight.cases import nrm_services
from clearsight.cases.models import (
    OPEN_ACTION_STATES,
    AgendaItem,
    Case,
    CaseNote,
    MaceMeeting,
    MeetingDecision,
    NrmReferral,
    PlanAction,
    Referral,
    ReferralService,
    ReferralStatus,
)
from clearsight.people.models import Person, TeamMember


def child_for_actor(actor: Actor, person_id: int) -> Person | None:
    return visible_persons(actor).filter(pk=person_id).first()


def open_case_for(actor: Actor, person: Person) -> Case | None:
    return (
        policy.visible_cases(actor)
        .filter(person=person, closed_at__isnull=True)
        .select_related("lead_professional__user", "lead_professional__agency")
        .first()
    )


@dataclass(frozen=True)
class NrmRow:
    record: NrmReferral
    has_flag: bool


@dataclass(frozen=True)
class CaseSummary:
    """What the child page shows: the open case, its open actions, and the NRM flag."""

    case: Case | None
    open_actions: int
    overdue_actions: int
    statutory_defence: bool


def _open_case_shown(actor: Actor, person: Person) -> Case | None:
    """The open case with only what the child page shows of it: when it opened, and the
    lead professional's name and agency."""
    return (
        Case.objects.filter(rows_of_person(actor, person), closed_at__isnull=True)
        .select_related("lead_professional__user", "lead_professional__agency")
        .only("opened_at", "lead_professional__user__full_name", "lead_professional__agency__name")
        .first()
    )


def case_summary(*, actor: Actor, person: Person) -> CaseSummary:
    case = _open_case_shown(actor, person)
    counts = {"open": 0, "overdue": 0}
    if case is not None:
        # Both counts in one query, and only for a child with an open case: counting in
        # the case's own query (a join and GROUP BY) cost more to build than it saved,
        # and most children have no open case.
        counts = PlanAction.objects.filter(case=case, status__in=OPEN_ACTION_STATES).aggregate(
            open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=timezone.localdate()))
        )
    flag = policy.sees_statutory_defence_flag(actor, person) and any(
        nrm_services.has_statutory_defence_flag(record)
        for record in policy.visible_nrm_referrals(actor).filter(person=person)
    )
    return CaseSummary(
        case=case,
        open_actions=counts["open"],
        overdue_actions=counts["overdue"],
        statutory_defence=flag,
    )


@dataclass
class CasePage:
    person: Person
    case: Case | None
    actions: list[PlanAction] = field(default_factory=list)
    notes: list[CaseNote] = field(default_factory=list)
    team: list[TeamMember] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    nrm: list[NrmRow] = field(default_factory=list)
    past_cases: list[Case] = field(default_factory=list)
    shows_statutory_defence: bool = False


def case_page(*, actor: Actor, person: Person) -> CasePage:
    """Everything about the child's multi-agency response, for people who may see them."""
    case = open_case_for(actor, person)
    page = CasePage(person=person, case=case)
    if case is not None:
        page.actions = list(
            case.actions.select_related("owner__user", "owner__agency", "agenda_item__meeting")
        )
        page.notes = list(
            case.notes.select_related("author", "membership__agency", "corrects").order_by(
                "-written_at", "-pk"
            )
        )
    page.team = list(
        TeamMember.objects.filter(person=person, ended_at__isnull=True)
        .select_related("membership__user", "membership__agency")
        .order_by("added_at")
    )
    page.referrals = list(
        policy.visible_referrals(actor)
        .filter(person=person)
        .select_related("referred_by", "referred_by_membership__agency", "screening")
        .prefetch_related("observations")
    )
    page.shows_statutory_defence = policy.sees_statutory_defence_flag(actor, person)
    page.nrm = [
        NrmRow(record=r, has_flag=nrm_services.has_statutory_defence_flag(r))
        for r in policy.visible_nrm_referrals(actor).filter(person=person)
    ]
    page.past_cases = list(
        policy.visible_cases(actor).filter(person=person, closed_at__isnull=False)
    )
    return page


def referral_for_actor(actor: Actor, pk: int) -> Referral | None:
    return (
        policy.visible_referrals(actor)
        .select_related("person", "referred_by", "referred_by_membership__agency", "screening")
        .prefetch_related("observations__agency")
        .filter(pk=pk)
        .first()
    )


def case_for_actor(actor: Actor, pk: int) -> Case | None:
    return policy.visible_cases(actor).select_related("person").filter(pk=pk).first()


def action_for_actor(actor: Actor, pk: int) -> PlanAction | None:
    return (
        policy.visible_actions(actor)
        .select_related("case__person", "owner__user", "owner__agency")
        .filter(pk=pk)
        .first()
    )


def nrm_for_actor(actor: Actor, pk: int) -> NrmReferral | None:
    return policy.visible_nrm_referrals(actor).select_related("person").filter(pk=pk).first()


def area_memberships(*, person_area_id: int) -> list[tuple[int, str]]:
    """Current roles of the area that may see children: owners, leads and members
    (staff and their roles, not personal data about a child)."""
    memberships = (
        Membership.objects.current()
        .filter(agency__area_id=person_area_id, user__is_active=True)
        .select_related("user", "agency")
        .order_by("user__full_name")
    )
    return [
        (m.pk, f"{m.user.full_name}: {m.get_role_display()}, {m.agency.name}")
        for m in memberships
        if role_can(m.role, Capability.VIEW_CHILDREN)
    ]


# --- MACE meetings ------------------------------------------------------------------------


def meetings_for(actor: Actor) -> QuerySet[MaceMeeting]:
    return policy.visible_meetings(actor).order_by("-starts_at", "-pk")


def referred_to_mace(actor: Actor) -> list[Referral]:
    """Referrals to MACE still waiting for a meeting, oldest first."""
    return list(
        policy.visible_referrals(actor)
        .filter(
            service=ReferralService.MACE,
            status=ReferralStatus.SENT,
            person__area_id=actor.area_id,
        )
        .select_related("person", "referred_by", "referred_by_membership__agency")
        .order_by("referred_at")
    )


def meeting_for_actor(actor: Actor, pk: int) -> MaceMeeting | None:
    return (
        policy.visible_meetings(actor)
        .prefetch_related(
            "members__membership__user",
            "members__membership__agency",
            Prefetch(
                "items",
                queryset=AgendaItem.objects.select_related("person", "referral").prefetch_related(
                    Prefetch(
                        "decisions",
                        queryset=MeetingDecision.objects.select_related("recorded_by"),
                    ),
                    Prefetch(
                        "actions",
                        queryset=PlanAction.objects.select_related("owner__user", "owner__agency"),
                    ),
                ),
            ),
        )
        .filter(pk=pk)
        .first()
    )


def item_of(meeting: MaceMeeting, item_id: int) -> AgendaItem | None:
    return next((item for item in meeting.items.all() if item.pk == item_id), None)
