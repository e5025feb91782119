"""The case around a child: opening it with a lead professional, the plan's actions,
append-only notes, reviews and closure.

A child has at most one open case. The team around the child is ``people.TeamMember``,
changed through ``people.services.add_team_member`` so access follows it; the lead
professional joins that team when named (Working Together to Safeguard Children 2023:
a lead practitioner coordinates the multi-agency plan)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clearsight.access import case_policy as policy
from clearsight.access.actor import Actor
from clearsight.access.policy import visible_persons
from clearsight.access.roles import Capability, role_can
from clearsight.areas.models import Membership
from clearsight.audit import services as audit
from clearsight.cases.models import (
    OPEN_ACTION_STATES,
    TEXT_MAX,
    TITLE_MAX,
    ActionStatus,
    AgendaItem,
    Case,
    CaseNote,
    CaseReview,
    ClosureOutcome,
    PlanAction,
)
from clearsight.cases.text import clean_text
from clearsight.core.errors import (
    InvalidInput,
    NotFoundError,
    PermissionDeniedError,
    StaleVersionError,
)
from clearsight.notifications.services import notify
from clearsight.people.models import Person, TeamMember

STALE_CASE = (
    "Someone else changed this case since you opened it. Check their changes, then make "
    "yours again."
)
STALE_ACTION = (
    "Someone else updated this action since you opened it. Check what they recorded, then "
    "make your change again."
)


def review_weeks() -> int:
    return int(settings.CLEARSIGHT_CASE_REVIEW_WEEKS)


def _child_for_case_work(actor: Actor, person_id: int) -> Person:
    person = visible_persons(actor).filter(pk=person_id).first()
    if person is None:
        raise NotFoundError("There is no such child you may see.")
    if not policy.may_manage_case(actor, person):
        raise PermissionDeniedError("Your role cannot manage cases.")
    return person


def _check_lead(errors: dict[str, str], person: Person, membership: Membership | None) -> None:
    if membership is None:
        return
    if (
        membership.agency.area_id != person.area_id
        or membership.ended_at is not None
        or not role_can(membership.role, Capability.VIEW_CHILDREN)
    ):
        errors["lead_professional"] = (
            "Choose someone with a current role in this area who can see children's records"
        )


def _join_team(actor: Actor, person: Person, membership: Membership, reason: str) -> None:
    """Put the membership on the team around the child (need to know), once."""
    if TeamMember.objects.filter(
        person=person, membership=membership, ended_at__isnull=True
    ).exists():
        return
    member = TeamMember.objects.create(
        person=person, membership=membership, reason=reason, added_by=actor.user
    )
    audit.record(
        action="person.team_member_added",
        actor=actor,
        target=member,
        person_id=person.pk,
        reason=reason,
        details={"membership_id": membership.pk, "ends_on": None},
    )


def open_case_record(
    *, actor: Actor, person: Person, lead: Membership | None, weeks: int | None = None
) -> Case:
    """Write a new open case (the caller checks who may and owns the transaction)."""
    weeks = weeks or review_weeks()
    case = Case.objects.create(
        person=person,
        lead_professional=lead,
        opened_by=actor.user,
        review_every_weeks=weeks,
        next_review_on=timezone.localdate() + timedelta(weeks=weeks),
    )
    if lead is not None:
        _join_team(actor, person, lead, "Lead professional for the case")
    audit.record(
        action="case.opened",
        actor=actor,
        target=case,
        person_id=person.pk,
        details={"lead_membership_id": lead.pk if lead else None, "review_every_weeks": weeks},
    )
    return case


@transaction.atomic
def open_case(
    *,
    actor: Actor,
    person_id: int,
    lead_professional: Membership | None,
    review_every_weeks: int | None = None,
) -> Case:
    person = _child_for_case_work(actor, person_id)
    Person.objects.select_for_update().filter(pk=person.pk).first()
    errors: dict[str, str] = {}
    if not person.is_child:
        errors["person"] = "Cases are for children. This person is recorded as an adult."
    if Case.objects.filter(person=person, closed_at__isnull=True).exists():
        errors["person"] = "This child already has an open case"
    _check_lead(errors, person, lead_professional)
    weeks = review_every_weeks or review_weeks()
    if not 1 <= weeks <= 52:
        errors["review_every_weeks"] = "Reviews must be between every 1 and every 52 weeks"
    if errors:
        raise InvalidInput(errors)
    return open_case_record(actor=actor, person=person, lead=lead_professional, weeks=weeks)


def _case_for_update(actor: Actor, case_id: int, expected_version: int | None) -> Case:
    case = (
        policy.visible_cases(actor)
        .select_for_update()
        .select_related("person")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFoundError("There is no such case you may see.")
    if not policy.may_manage_case(actor, case.person):
        raise PermissionDeniedError("Your role cannot manage cases.")
    if not case.is_open:
        raise InvalidInput({"case": "This case is closed"})
    if expected_version is not None and case.version != expected_version:
        raise StaleVersionError(STALE_CASE)
    return case


@transaction.atomic
def set_lead_professional(
    *, actor: Actor, case_id: int, expected_version: int, lead_professional: Membership
) -> Case:
    case = _case_for_update(actor, case_id, expected_version)
    errors: dict[str, str] = {}
    _check_lead(errors, case.person, lead_professional)
    if errors:
        raise InvalidInput(errors)
    case.lead_professional = lead_professional
    case.version += 1
    case.save(update_fields=["lead_professional", "version"])
    _join_team(actor, case.person, lead_professional, "Lead professional for the case")
    audit.record(
        action="case.lead_changed",
        actor=actor,
        target=case,
        person_id=case.person_id,
        details={"lead_membership_id": lead_professional.pk},
    )
    return case


# --- Plan actions --------------------------------------------------------------------------


@dataclass(frozen=True)
class NewAction:
    title: str
    owner: Membership | None
    due_on: date | None


def check_action(case: Case, data: NewAction, today: date) -> NewAction:
    errors: dict[str, str] = {}
    title = clean_text(
        errors,
        "title",
        data.title,
        missing="Enter what needs to be done",
        label="The action",
        limit=TITLE_MAX,
    )
    if data.owner is None:
        errors["owner"] = "Choose who owns this action"
    elif data.owner.agency.area_id != case.person.area_id or data.owner.ended_at is not None:
        errors["owner"] = "Choose someone with a current role in this area"
    if data.due_on is None:
        errors["due_on"] = "Enter the date the action is due"
    elif data.due_on < today:
        errors["due_on"] = (
            "The due date must be today or later: an action cannot be due before it was agreed"
        )
    if errors:
        raise InvalidInput(errors)
    return NewAction(title=title, owner=data.owner, due_on=data.due_on)


def create_action(
    *, actor: Actor, case: Case, data: NewAction, agenda_item: AgendaItem | None = None
) -> PlanAction:
    """Write an action on the child's plan (the caller checks who may and locks)."""
    today = timezone.localdate()
    data = check_action(case, data, today)
    assert data.owner is not None and data.due_on is not None  # checked above
    action = PlanAction.objects.create(
        case=case,
        title=data.title,
        owner=data.owner,
        due_on=data.due_on,
        created_on=today,
        created_by=actor.user,
        agenda_item=agenda_item,
    )
    # The owner hears of it in Clearsight (no name in the title), once.
    notify(
        recipient=data.owner.user,
        kind="case_action",
        key=f"action:{action.pk}:owner",
        title="You own a new action on a child's plan",
        body=f"Due by {data.due_on:%-d %B %Y}.",
        url=f"/actions/{action.pk}/",
        person_id=case.person_id,
    )
    audit.record(
        action="case.action_added",
        actor=actor,
        target=action,
        person_id=case.person_id,
        details={
            "owner_membership_id": data.owner.pk,
            "due_on": data.due_on.isoformat(),
            "agenda_item_id": agenda_item.pk if agenda_item else None,
        },
    )
    return action


@transaction.atomic
def add_action(*, actor: Actor, case_id: int, data: NewAction) -> PlanAction:
    case = _case_for_update(actor, case_id, None)
    return create_action(actor=actor, case=case, data=data)


@transaction.atomic
def update_action(
    *, actor: Actor, action_id: int, expected_version: int, status: str, outcome: str
) -> PlanAction:
    """Move an action on and record its outcome. Starting work on it is a protective
    action for time to help."""
    action = (
        policy.visible_actions(actor)
        .select_for_update()
        .select_related("case__person")
        .filter(pk=action_id)
        .first()
    )
    if action is None:
        raise NotFoundError("There is no such action you may see.")
    if not policy.may_update_action(actor, action):
        raise PermissionDeniedError("Only the owner or a case worker can update this action.")
    if action.version != expected_version:
        raise StaleVersionError(STALE_ACTION)
    errors: dict[str, str] = {}
    if not action.case.is_open:
        errors["status"] = "The case is closed, so its actions cannot change"
    if status not in ActionStatus.values or status == ActionStatus.CARRIED_OVER:
        errors["status"] = "Choose not started, in progress, done or no longer needed"
    outcome = clean_text(
        errors, "outcome", outcome, missing="", label="The outcome", limit=TEXT_MAX, required=False
    )
    if status in (ActionStatus.DONE, ActionStatus.NOT_NEEDED) and not outcome:
        errors["outcome"] = "Enter the outcome: what was done, or why it is no longer needed"
    if errors:
        raise InvalidInput(errors)
    now = timezone.now()
    if status != ActionStatus.NOT_STARTED and action.started_at is None:
        action.started_at = now
    if status in OPEN_ACTION_STATES:
        action.finished_at = None
    elif action.finished_at is None:
        action.finished_at = now
    action.status = status
    action.outcome = outcome
    action.version += 1
    action.save()
    audit.record(
        action="case.action_updated",
        actor=actor,
        target=action,
        person_id=action.case.person_id,
        details={"status": status},
    )
    return action


# --- Notes, reviews, closure -------------------------------------------------------------


@transaction.atomic
def add_note(*, actor: Actor, case_id: int, body: str, corrects_id: int | None = None) -> CaseNote:
    """Append a note. Notes never change: a correction is a new note pointing to the
    note it corrects."""
    case = policy.visible_cases(actor).select_related("person").filter(pk=case_id).first()
    if case is None:
        raise NotFoundError("There is no such case you may see.")
    if not policy.may_write_notes(actor, case.person):
        raise PermissionDeniedError("Your role cannot write case notes.")
    errors: dict[str, str] = {}
    body = clean_text(
        errors, "body", body, missing="Enter the note", label="The note", limit=TEXT_MAX * 2
    )
    corrects = None
    if corrects_id is not None:
        corrects = CaseNote.objects.filter(pk=corrects_id, case=case).first()
        if corrects is None:
            errors["corrects"] = "Choose a note on this case to correct"
    if errors:
        raise InvalidInput(errors)
    note = CaseNote.objects.create(
        case=case, body=body, author=actor.user, membership=actor.membership, corrects=corrects
    )
    audit.record(
        action="case.note_added",
        actor=actor,
        target=note,
        person_id=case.person_id,
        details={"corrects": corrects.pk if corrects else None},
    )
    return note


@transaction.atomic
def record_review(
    *, actor: Actor, case_id: int, expected_version: int, held_on: date | None, summary: str
) -> CaseReview:
    """Record that the team reviewed the plan; the next review falls due the case's
    interval after this one."""
    case = _case_for_update(actor, case_id, expected_version)
    errors: dict[str, str] = {}
    summary = clean_text(
        errors,
        "summary",
        summary,
        missing="Enter what the review found and decided",
        label="The summary",
        limit=TEXT_MAX * 2,
    )
    today = timezone.localdate()
    if held_on is None:
        errors["held_on"] = "Enter the date the review was held"
    elif held_on > today:
        errors["held_on"] = "The review date must be today or in the past"
    elif held_on < timezone.localtime(case.opened_at).date():
        errors["held_on"] = "The review date must be on or after the case was opened"
    if errors:
        raise InvalidInput(errors)
    assert held_on is not None
    review = CaseReview.objects.create(
        case=case,
        was_due_on=case.next_review_on,
        held_on=held_on,
        summary=summary,
        reviewed_by=actor.user,
        next_review_on=held_on + timedelta(weeks=case.review_every_weeks),
    )
    case.next_review_on = review.next_review_on
    case.version += 1
    case.save(update_fields=["next_review_on", "version"])
    audit.record(action="case.reviewed", actor=actor, target=review, person_id=case.person_id)
    return review


OPEN_ACTIONS_CHOICES = ("resolve", "carry")


@transaction.atomic
def close_case(
    *,
    actor: Actor,
    case_id: int,
    expected_version: int,
    outcome: str,
    reason: str,
    open_actions: str = "",
) -> Case:
    """Close the case with its outcome and reason. Open actions are never left hanging:
    the closer says whether they are resolved (no longer needed) or carried over to
    their owners' agencies as single-agency work."""
    case = _case_for_update(actor, case_id, expected_version)
    errors: dict[str, str] = {}
    if outcome not in ClosureOutcome.values:
        errors["outcome"] = "Choose the outcome of the case"
    reason = clean_text(
        errors,
        "reason",
        reason,
        missing="Enter why the case is closing",
        label="The reason",
        limit=TEXT_MAX,
    )
    still_open = list(case.actions.filter(status__in=OPEN_ACTION_STATES))
    if still_open and open_actions not in OPEN_ACTIONS_CHOICES:
        count = len(still_open)
        errors["open_actions"] = (
            f"This case has {count} open action{'s' if count != 1 else ''}. Choose whether "
            "to resolve them or carry them over to their owners before closing"
        )
    if errors:
        raise InvalidInput(errors)
    now = timezone.now()
    status = ActionStatus.NOT_NEEDED if open_actions == "resolve" else ActionStatus.CARRIED_OVER
    for action in still_open:
        action.status = status
        action.outcome = f"Case closed on {timezone.localdate():%-d %B %Y}: {reason}"
        action.finished_at = now
        action.version += 1
        action.save()
    case.closed_at = now
    case.closed_by = actor.user
    case.closure_outcome = outcome
    case.closure_reason = reason
    case.version += 1
    case.save()
    audit.record(
        action="case.closed",
        actor=actor,
        target=case,
        person_id=case.person_id,
        reason=reason,
        details={"outcome": outcome, "open_actions": open_actions, "actions": len(still_open)},
    )
    return case
