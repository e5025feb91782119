"""Triage of a concern: assigning it, linking it to a person, recording its signs as
observations on the child's record, and deciding the outcome.

Each step is one transaction with its audit event and an append-only TriageDecision
(who, when, why)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.policy import can, visible_persons
from clearsight.access.roles import Capability, Role
from clearsight.areas.models import Membership
from clearsight.audit import services as audit
from clearsight.concerns.drafts import tidy
from clearsight.concerns.models import (
    REASON_MAX,
    Concern,
    ConcernState,
    DecisionKind,
    Outcome,
    TriageDecision,
)
from clearsight.concerns.selectors import triage_concerns
from clearsight.core.errors import InvalidInput, NotFoundError, PermissionDeniedError
from clearsight.notifications.services import notify
from clearsight.risk import services as risk_services
from clearsight.risk.models import ObservationSource


def _for_triage(actor: Actor, reference: str) -> Concern:
    if not can(actor, Capability.TRIAGE_CONCERNS):
        raise PermissionDeniedError("Your role cannot triage concerns.")
    concern = triage_concerns(actor).select_for_update().filter(reference=reference).first()
    if concern is None:
        raise NotFoundError("There is no such concern in your area.")
    return concern


def _reason(value: str, *, required: bool, field: str = "reason") -> str:
    value = tidy(value)
    if required and not value:
        raise InvalidInput({field: "Enter why"})
    if len(value) > REASON_MAX:
        raise InvalidInput({field: f"Keep this to {REASON_MAX:,} characters or fewer"})
    return value


def _decide(actor: Actor, concern: Concern, kind: str, **fields: object) -> TriageDecision:
    decision = TriageDecision.objects.create(
        concern=concern,
        kind=kind,
        decided_by=actor.user,
        membership=actor.membership,
        **fields,
    )
    audit.record(
        action=f"concern.{kind}",
        actor=actor,
        target=concern,
        person_id=concern.person_id,
        reason=decision.reason,
        details={"decision_id": decision.pk, **decision.details},
    )
    return decision


@transaction.atomic
def assign_concern(
    *, actor: Actor, reference: str, membership_id: int, reason: str = ""
) -> Concern:
    """Give the concern to a triage officer of the area (oneself or a colleague)."""
    concern = _for_triage(actor, reference)
    if not concern.is_open:
        raise InvalidInput({"membership": "This concern is closed"})
    officer = (
        Membership.objects.current()
        .filter(
            pk=membership_id,
            agency__area_id=actor.area_id,
            role=Role.TRIAGE_OFFICER.value,
            user__is_active=True,
        )
        .select_related("user")
        .first()
    )
    if officer is None:
        raise InvalidInput({"membership": "Choose a triage officer of your area"})
    concern.assigned_to = officer
    if concern.state == ConcernState.NEW:
        concern.state = ConcernState.IN_TRIAGE
    concern.save(update_fields=["assigned_to", "state"])
    _decide(
        actor,
        concern,
        DecisionKind.ASSIGNED,
        assigned_to=officer,
        reason=_reason(reason, required=False),
        details={"assigned_to": officer.user.full_name},
    )
    if officer.user_id != actor.user.pk:
        notify(
            recipient=officer.user,
            kind="concern_assigned",
            key=f"concern-assigned:{concern.pk}:{officer.pk}",
            title=f"Concern {concern.reference} has been given to you to triage",
            url=f"/concerns/{concern.reference}/",
            person_id=concern.person_id,
        )
    return concern


@transaction.atomic
def link_person(*, actor: Actor, reference: str, person_id: int, reason: str) -> Concern:
    """Say which child (or adult) the concern is about, and why the triage officer thinks
    so (for example, the likely-match reasons they checked)."""
    concern = _for_triage(actor, reference)
    person = visible_persons(actor).filter(pk=person_id).first()
    if person is None:
        raise InvalidInput({"person": "Choose a person from the list"})
    why = _reason(reason, required=True)
    concern.person = person
    if concern.state == ConcernState.NEW:
        concern.state = ConcernState.IN_TRIAGE
    concern.save(update_fields=["person", "state"])
    _decide(actor, concern, DecisionKind.LINKED, person=person, reason=why)
    return concern


@transaction.atomic
def record_observations(
    *,
    actor: Actor,
    reference: str,
    codes: list[str],
    seen_on: date | None,
    confidence: int,
    note: str = "",
) -> Concern:
    """The signs in the concern become observations on the linked child's record, from
    this concern (source "concern", with its reference), and re-screen the child."""
    concern = _for_triage(actor, reference)
    if concern.person_id is None:
        raise InvalidInput({"codes": "Link the concern to a child before recording signs"})
    if seen_on is None:
        raise InvalidInput({"seen_on": "Enter the date the signs were seen"})
    observations = risk_services.record_observations(
        actor=actor,
        person_id=concern.person_id,
        codes=codes,
        seen_on=seen_on,
        confidence=confidence,
        note=note,
        source=ObservationSource.CONCERN,
        source_ref=concern.reference,
    )
    _decide(
        actor,
        concern,
        DecisionKind.OBSERVATIONS_RECORDED,
        person_id=concern.person_id,
        reason=tidy(note),
        details={
            "codes": [o.indicator_code for o in observations],
            "observation_ids": [o.pk for o in observations],
        },
    )
    return concern


@transaction.atomic
def decide_outcome(*, actor: Actor, reference: str, outcome: str, reason: str) -> Concern:
    """Decide what happens: every outcome needs a reason. "More information requested"
    keeps the concern open (waiting); the others close it. The first outcome stops the
    triage clock."""
    concern = _for_triage(actor, reference)
    errors: dict[str, str] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = "Choose what happens next"
    if not concern.is_open:
        errors["outcome"] = "This concern is already closed"
    try:
        why = _reason(reason, required=True)
    except InvalidInput as error:
        errors.update(error.errors)
    if (
        outcome == Outcome.OBSERVATION_RECORDED
        and not concern.decisions.filter(kind=DecisionKind.OBSERVATIONS_RECORDED).exists()
    ):
        errors["outcome"] = "Record the signs on the child's record first"
    if errors:
        raise InvalidInput(errors)
    now = timezone.now()
    concern.outcome = outcome
    concern.outcome_reason = why
    concern.triaged_at = concern.triaged_at or now
    if outcome == Outcome.MORE_INFORMATION_REQUESTED:
        concern.state = ConcernState.AWAITING_INFORMATION
    else:
        concern.state = ConcernState.CLOSED
        concern.closed_at = now
    if concern.assigned_to_id is None:
        concern.assigned_to = actor.membership
    concern.save(
        update_fields=[
            "outcome",
            "outcome_reason",
            "triaged_at",
            "state",
            "closed_at",
            "assigned_to",
        ]
    )
    _decide(actor, concern, DecisionKind.OUTCOME, outcome=outcome, reason=why)
    return concern
