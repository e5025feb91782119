"""Making referrals and recording what happened to them.

A referral says who referred, when, why, and what it rests on (the screening of the time
and the observations chosen), so the receiving service sees the evidence, not only the
conclusion (Working Together to Safeguard Children 2023, chapter 2: information sharing
and referral)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone

from clearsight.access import case_policy as policy
from clearsight.access.actor import Actor
from clearsight.access.policy import visible_persons
from clearsight.audit import services as audit
from clearsight.cases.models import (
    CHILDREN_ONLY_SERVICES,
    TEXT_MAX,
    Referral,
    ReferralService,
    ReferralStatus,
)
from clearsight.cases.text import clean_text
from clearsight.core.errors import (
    InvalidInput,
    NotFoundError,
    PermissionDeniedError,
    StaleVersionError,
)
from clearsight.people.models import Person
from clearsight.risk.engine import Level
from clearsight.risk.models import Observation, Screening
from clearsight.risk.selectors import current_screening

ADULT_AGE = 18
STALE_MESSAGE = (
    "Someone else updated this referral since you opened it. Check what they recorded, "
    "then make your change again."
)
# Who may move a referral from one status to another.
MOVES = {
    ReferralStatus.SENT: {
        ReferralStatus.ACCEPTED,
        ReferralStatus.DECLINED,
        ReferralStatus.WITHDRAWN,
    },
    ReferralStatus.ACCEPTED: {ReferralStatus.CLOSED},
    ReferralStatus.DECLINED: set(),
    ReferralStatus.CLOSED: set(),
    ReferralStatus.WITHDRAWN: set(),
}


def is_adult(person: Person, today: date) -> bool:
    age = person.age_on(today)
    return not person.is_child or (age is not None and age >= ADULT_AGE)


def prefill_from_screening(screening: Screening | None) -> str:
    """The reason, drafted from a medium or high screening's explanation, for the
    referrer to check and add to. Lower levels draft nothing: the referrer says why."""
    if screening is None or screening.level.rank < Level.MEDIUM.rank:
        return ""
    lines = [
        f"Screening on {screening.as_of:%-d %B %Y}: {screening.get_final_level_display()} risk.",
        "Signs seen:",
    ]
    for factor in screening.factors:
        sources = len(factor.get("sources", []))
        lines.append(
            f"- {factor.get('title', factor.get('code', ''))} "
            f"(seen by {sources} source{'s' if sources != 1 else ''})"
        )
    lines.extend(str(note) for note in screening.explanation)
    if screening.override_reason:
        lines.append(f"Professional judgement: {screening.override_reason}")
    return "\n".join(lines)


def referral_basis(actor: Actor, person: Person) -> tuple[Screening | None, list[Observation]]:
    """The current screening and the observations it could rest on, newest first."""
    screening = current_screening(actor, person)
    observations = list(
        Observation.objects.filter(person=person, person__in=visible_persons(actor))
        .select_related("agency")
        .order_by("-seen_on", "-pk")[:30]
    )
    return screening, observations


@transaction.atomic
def make_referral(
    *,
    actor: Actor,
    person_id: int,
    service: str,
    reason: str,
    observation_ids: Sequence[int] = (),
    attach_screening: bool = True,
) -> Referral:
    """Refer a child to a service. Children-only services refuse an adult."""
    person = visible_persons(actor).filter(pk=person_id).first()
    if person is None:
        raise NotFoundError("There is no such person you may see.")
    if not policy.may_refer(actor, person):
        raise PermissionDeniedError("Your role cannot make referrals.")
    errors: dict[str, str] = {}
    if service not in ReferralService.values:
        errors["service"] = "Choose the service you are referring to"
    elif service in CHILDREN_ONLY_SERVICES and is_adult(person, timezone.localdate()):
        errors["service"] = (
            f"{ReferralService(service).label} works with children only, and this person "
            "is recorded as an adult. Choose a service that works with adults."
        )
    reason = clean_text(
        errors,
        "reason",
        reason,
        missing="Enter why you are making this referral",
        label="The reason",
        limit=TEXT_MAX * 2,
    )
    observations = list(Observation.objects.filter(person=person, pk__in=list(observation_ids)))
    if len(observations) != len(set(observation_ids)):
        errors["observations"] = "Choose observations recorded about this child"
    if errors:
        raise InvalidInput(errors)
    screening = current_screening(actor, person) if attach_screening else None
    referral = Referral.objects.create(
        person=person,
        service=service,
        reason=reason,
        referred_by=actor.user,
        referred_by_membership=actor.membership,
        screening=screening,
    )
    referral.observations.set(observations)
    audit.record(
        action="referral.made",
        actor=actor,
        target=referral,
        person_id=person.pk,
        details={"service": service, "observations": len(observations)},
    )
    return referral


@transaction.atomic
def update_referral(
    *,
    actor: Actor,
    referral_id: int,
    expected_version: int,
    status: str,
    outcome: str = "",
    outcome_on: date | None = None,
) -> Referral:
    """Record the service's answer (accepted, declined) and, later, the outcome."""
    referral = policy.visible_referrals(actor).select_for_update().filter(pk=referral_id).first()
    if referral is None:
        raise NotFoundError("There is no such referral you may see.")
    if not policy.may_refer(actor, referral.person):
        raise PermissionDeniedError("Your role cannot update referrals.")
    if referral.version != expected_version:
        raise StaleVersionError(STALE_MESSAGE)
    errors: dict[str, str] = {}
    current = ReferralStatus(referral.status)
    if status not in ReferralStatus.values or (
        status != current and ReferralStatus(status) not in MOVES[current]
    ):
        allowed = ", ".join(s.label.lower() for s in MOVES[current]) or "nothing else"
        errors["status"] = f"A referral that is {current.label.lower()} can become: {allowed}"
    outcome = clean_text(
        errors, "outcome", outcome, missing="", label="The outcome", limit=TEXT_MAX, required=False
    )
    closing = status in (ReferralStatus.CLOSED, ReferralStatus.DECLINED)
    if closing and not outcome:
        errors["outcome"] = "Enter the outcome, or why the service declined"
    if outcome_on is not None and outcome_on > timezone.localdate():
        errors["outcome_on"] = "The outcome date must be today or in the past"
    if outcome_on is not None and outcome_on < timezone.localtime(referral.referred_at).date():
        errors["outcome_on"] = "The outcome date must be on or after the referral"
    if errors:
        raise InvalidInput(errors)
    now = timezone.now()
    if status != referral.status:
        referral.status = status
        referral.status_changed_at = now
    if status == ReferralStatus.ACCEPTED and referral.accepted_at is None:
        referral.accepted_at = now
    referral.outcome = outcome
    referral.outcome_on = outcome_on or (timezone.localdate() if closing else None)
    referral.version += 1
    referral.save()
    audit.record(
        action="referral.updated",
        actor=actor,
        target=referral,
        person_id=referral.person_id,
        details={"status": status},
    )
    return referral
