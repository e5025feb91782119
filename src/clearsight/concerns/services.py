"""Concerns arriving (from the public, professionals and the helpline) and their triage:
assigning, linking to a person, recording observations and deciding an outcome.

Every step is written in one transaction with its audit event and its TriageDecision
(who, when, why). Urgent concerns ("a child is in danger now") notify the area's triage
officers as they arrive."""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.policy import can, visible_persons
from clearsight.access.roles import Capability, Role
from clearsight.areas.models import Area, Membership
from clearsight.audit import services as audit
from clearsight.concerns import rules
from clearsight.concerns.drafts import ConcernDraft, tidy, validate_draft
from clearsight.concerns.models import (
    REASON_MAX,
    Concern,
    ConcernSource,
    ConcernState,
    DecisionKind,
    Outcome,
    PublicSubmission,
    TriageDecision,
)
from clearsight.concerns.selectors import triage_concerns
from clearsight.core.errors import DomainError, InvalidInput, NotFoundError, PermissionDeniedError
from clearsight.notifications.services import notify
from clearsight.people.models import Person
from clearsight.risk import services as risk_services
from clearsight.risk.models import ObservationSource

logger = logging.getLogger(__name__)
SUBMISSION_KEY_MAX = 64
RATE_WINDOW = timedelta(hours=1)


class RateLimited(DomainError):
    """Too many public concerns from one address, or from everyone, in the last hour."""


@dataclass(frozen=True)
class Submitted:
    concern: Concern
    is_new: bool


# --- Arriving -------------------------------------------------------------------------


def public_area(draft: ConcernDraft) -> Area:
    """The area a public concern goes to: the one the reporter picked, else the one whose
    postcode prefix matches (CLEARSIGHT_PUBLIC_CONCERN_POSTCODE_AREAS), else the default
    (CLEARSIGHT_PUBLIC_CONCERN_DEFAULT_AREA), else the first area, so that a concern is
    never refused for want of an area. docs/users/look-closer.md explains it."""
    areas = Area.objects.order_by("pk")
    if draft.area_code:
        chosen = areas.filter(code=draft.area_code).first()
        if chosen is not None:
            return chosen
    if draft.postcode:
        mapping = rules.parse_postcode_areas(settings.CLEARSIGHT_PUBLIC_CONCERN_POSTCODE_AREAS)
        code = rules.area_code_for_postcode(draft.postcode, mapping)
        matched = areas.filter(code=code).first() if code else None
        if matched is not None:
            return matched
    default = areas.filter(code=settings.CLEARSIGHT_PUBLIC_CONCERN_DEFAULT_AREA).first()
    if default is not None:
        return default
    first = areas.first()
    if first is None:
        raise DomainError("Clearsight has no areas yet, so it cannot take a concern.")
    logger.warning("Public concern sent to the first area: set CLEARSIGHT_PUBLIC_CONCERN_*")
    return first


def hash_address(ip_address: str) -> str:
    """A keyed hash, so the table of recent submissions never holds anyone's address."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"concern-ip:{ip_address}".encode(), hashlib.sha256).hexdigest()


def _lock_address(ip_hash: str) -> None:
    """One submission at a time per address (until the transaction ends), so two sent
    at once can neither both slip under the limit nor both make a concern."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [ip_hash])


def _check_rate(ip_hash: str) -> None:
    since = timezone.now() - RATE_WINDOW
    recent = PublicSubmission.objects.filter(submitted_at__gte=since)
    if recent.filter(ip_hash=ip_hash).count() >= settings.CLEARSIGHT_PUBLIC_CONCERN_PER_IP_PER_HOUR:
        raise RateLimited("You have sent a lot of reports in the last hour.")
    if recent.count() >= settings.CLEARSIGHT_PUBLIC_CONCERN_PER_HOUR:
        raise RateLimited("We are getting a lot of reports at the moment.")


def _check_key(submission_key: str) -> str:
    key = submission_key.strip()
    if not key or len(key) > SUBMISSION_KEY_MAX:
        raise InvalidInput({"submission_key": "This form has expired: check your answers again"})
    return key


def _new_concern(
    *, draft: ConcernDraft, area: Area, source: str, submission_key: str, **extra: object
) -> Concern:
    assert draft.seen_on is not None  # validate_draft requires it
    for _ in range(5):
        try:
            with transaction.atomic():
                return Concern.objects.create(
                    reference=rules.new_reference(),
                    area=area,
                    source=source,
                    sector=draft.sector,
                    what_seen=draft.what_seen,
                    where_seen=draft.where_seen,
                    postcode=draft.postcode,
                    seen_on=draft.seen_on,
                    seen_time=draft.seen_time,
                    description=draft.description,
                    sign_codes=list(draft.sign_codes),
                    is_child_in_danger_now=draft.is_child_in_danger_now,
                    reporter_name=draft.reporter_name,
                    reporter_email=draft.reporter_email,
                    reporter_phone=draft.reporter_phone,
                    has_consent_to_contact=draft.has_consent_to_contact,
                    submission_key=submission_key,
                    **extra,
                )
        except IntegrityError as error:
            # Another concern already has this reference (about one in 10^11): draw again.
            # Anything else (a second submit of the same page) is for the caller.
            if "concerns_concern_reference" not in str(error):
                raise
    raise DomainError("Could not make a unique reference; try again.")


def _existing(submission_key: str) -> Concern | None:
    return Concern.objects.filter(submission_key=submission_key).first()


def _notify_if_urgent(concern: Concern) -> None:
    """A child may be in danger now: every current triage officer of the area is told at
    once (Clearsight has no duty rota; whoever is on duty picks it up, and the
    notification is keyed by the concern so nobody is told twice)."""
    if not concern.is_child_in_danger_now:
        return
    officers = (
        Membership.objects.current()
        .filter(agency__area_id=concern.area_id, role=Role.TRIAGE_OFFICER.value)
        .select_related("user")
    )
    for user in {membership.user for membership in officers}:
        notify(
            recipient=user,
            kind="concern_urgent",
            key=f"concern-urgent:{concern.pk}",
            title=f"Urgent concern {concern.reference}: a child may be in danger now",
            url=f"/concerns/{concern.reference}/",
            person_id=concern.person_id,
        )


def submit_public_concern(
    *, draft: ConcernDraft | None, submission_key: str, ip_address: str
) -> Submitted:
    """A concern from the public form (no sign-in). Idempotent by ``submission_key``:
    a double click or a retry returns the concern already made. Rate-limited per
    address and overall (CLEARSIGHT_PUBLIC_CONCERN_PER_IP_PER_HOUR, _PER_HOUR); a refused
    submission changes nothing, so the reporter's answers are kept to send later.
    ``draft`` is None when the answers are gone (sent already, or expired)."""
    key = _check_key(submission_key)
    existing = _existing(key)
    if existing is not None:
        return Submitted(concern=existing, is_new=False)
    if draft is None:
        raise InvalidInput({"submission_key": "Your answers have expired: start again"})
    draft = validate_draft(draft)
    area = public_area(draft)
    ip_hash = hash_address(ip_address)
    try:
        with transaction.atomic():
            _lock_address(ip_hash)
            existing = _existing(key)
            if existing is not None:
                return Submitted(concern=existing, is_new=False)
            _check_rate(ip_hash)
            concern = _new_concern(
                draft=draft, area=area, source=ConcernSource.PUBLIC, submission_key=key
            )
            PublicSubmission.objects.create(ip_hash=ip_hash)
            audit.record(
                action="concern.submitted",
                area=area,
                target=concern,
                details={"source": concern.source, "urgent": concern.is_child_in_danger_now},
            )
            _notify_if_urgent(concern)
    except IntegrityError:
        existing = _existing(key)
        if existing is None:
            raise
        return Submitted(concern=existing, is_new=False)
    return Submitted(concern=concern, is_new=True)


def raise_concern(
    *, actor: Actor, draft: ConcernDraft, submission_key: str, person_id: int | None = None
) -> Submitted:
    """A professional's concern about a child they can see (``person_id``) or a child
    not known to them (a description only). It goes to the actor's area's queue.
    Idempotent by ``submission_key``."""
    if not can(actor, Capability.RAISE_CONCERNS):
        raise PermissionDeniedError("Your role cannot raise concerns.")
    person = None
    if person_id is not None:
        person = visible_persons(actor).filter(pk=person_id).first()
        if person is None:
            raise NotFoundError("There is no such child you may see.")
    return _staff_concern(
        actor=actor,
        draft=draft,
        submission_key=submission_key,
        area=actor.area,
        person=person,
        source=ConcernSource.PROFESSIONAL,
    )


def raise_helpline_concern(
    *, actor: Actor, draft: ConcernDraft, submission_key: str, area: Area
) -> Concern:
    """A helpline contact the caller agreed to share, as a concern in the queue of the
    area the child is in (which need not be the helpline's own)."""
    if not can(actor, Capability.LOG_HELPLINE_CONTACTS):
        raise PermissionDeniedError("Your role cannot log helpline contacts.")
    submitted = _staff_concern(
        actor=actor,
        draft=draft,
        submission_key=submission_key,
        area=area,
        person=None,
        source=ConcernSource.HELPLINE,
    )
    return submitted.concern


def _staff_concern(
    *,
    actor: Actor,
    draft: ConcernDraft,
    submission_key: str,
    area: Area,
    person: Person | None,
    source: str,
) -> Submitted:
    key = _check_key(submission_key)
    existing = _existing(key)
    if existing is not None:
        return Submitted(concern=existing, is_new=False)
    draft = validate_draft(draft, area_id=area.pk)
    try:
        with transaction.atomic():
            concern = _new_concern(
                draft=draft,
                area=area,
                source=source,
                submission_key=key,
                person=person,
                raised_by=actor.user,
                raised_by_membership=actor.membership,
            )
            audit.record(
                action="concern.raised",
                actor=actor,
                area=area,
                target=concern,
                person_id=person.pk if person else None,
                details={"source": source, "urgent": concern.is_child_in_danger_now},
            )
            _notify_if_urgent(concern)
    except IntegrityError:
        existing = _existing(key)
        if existing is None:
            raise
        return Submitted(concern=existing, is_new=False)
    return Submitted(concern=concern, is_new=True)


# --- Triage -------------------------------------------------------------------------


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


def purge_public_submissions(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Forget rate-limit rows older than a day (they are only needed for an hour)."""
    deleted, _ = PublicSubmission.objects.filter(
        submitted_at__lt=timezone.now() - older_than
    ).delete()
    return deleted
