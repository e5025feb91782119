"""Reporting a child missing, recording their return, and the police risk grading.

Recording a return creates the Return Home Interview task due 72 hours later (statutory
guidance: children who run away or go missing from home or care, DfE 2014)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.policy import can, visible_persons
from clearsight.access.roles import Capability, Role
from clearsight.areas.models import Area, Membership
from clearsight.audit import services as audit
from clearsight.core.errors import (
    InvalidInput,
    NotFoundError,
    PermissionDeniedError,
    StaleVersionError,
)
from clearsight.missing import cross_area, deadlines, rhi_states
from clearsight.missing.models import (
    EpisodeKind,
    MissingEpisode,
    ReturnHomeInterview,
    RiskGrading,
    RiskGradingChange,
)
from clearsight.people.models import Person, TeamMember

TEXT_MAX = 300
OVERLAP_MESSAGE = "This child already has a missing episode covering that time"


@dataclass
class NewEpisode:
    started_at: datetime
    kind: str = EpisodeKind.MISSING
    last_seen_place: str = ""
    last_seen_with: str = ""
    clothing: str = ""
    police_reference: str = ""
    risk_grading: str = ""


@dataclass
class InterviewRecord:
    """What the Return Home Interview found. Each ticked disclosure becomes an
    observation on the child's record, from source "return home interview"."""

    held_on: date
    where_child_was: str = ""
    who_with: str = ""
    what_happened: str = ""
    push_factors: str = ""
    pull_factors: str = ""
    harm: str = ""
    childs_words: str = ""
    disclosure_codes: list[str] = field(default_factory=list)
    disclosure_notes: str = ""


# A child telling the interviewer directly: strong, but not the interviewer's own sight.
DISCLOSURE_CONFIDENCE = 4
LONG_TEXT_MAX = 5000


@dataclass
class Return:
    returned_at: datetime
    found_place: str = ""
    found_with: str = ""
    found_out_of_area: bool = False
    found_area_name: str = ""
    how_returned: str = ""
    harm_noticed: str = ""
    # A Clearsight area the child was found in (other than their own), when known.
    found_area_id: int | None = None


def _require(actor: Actor, person_id: int) -> Person:
    if not can(actor, Capability.RECORD_MISSING_EPISODES):
        raise PermissionDeniedError("Your role cannot record missing episodes.")
    person = visible_persons(actor).filter(pk=person_id).first()
    if person is None:
        raise NotFoundError("There is no such child you may see.")
    return person


def _check_text(errors: dict[str, str], values: dict[str, str]) -> dict[str, str]:
    cleaned = {}
    for name, value in values.items():
        value = " ".join(value.split())
        if len(value) > TEXT_MAX:
            errors[name] = f"Keep this to {TEXT_MAX} characters or fewer"
        cleaned[name] = value
    return cleaned


def _check_not_future(errors: dict[str, str], name: str, moment: datetime, label: str) -> None:
    if moment > timezone.now():
        errors[name] = f"{label} must be now or in the past"


def _overlapping(
    person: Person, start: datetime, end: datetime | None, exclude: int | None
) -> bool:
    others = MissingEpisode.objects.filter(person=person)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    return any(deadlines.overlaps(start, end, o.started_at, o.ended_at) for o in others)


def _locked_episode(actor: Actor, episode_id: int) -> MissingEpisode:
    """The episode, locked for this transaction, if the actor may see its child."""
    episode = (
        MissingEpisode.objects.select_for_update()
        .filter(pk=episode_id, person__in=visible_persons(actor))
        .first()
    )
    if episode is None:
        raise NotFoundError("There is no such missing episode you may see.")
    return episode


@transaction.atomic
def report_missing(*, actor: Actor, person_id: int, data: NewEpisode) -> MissingEpisode:
    return create_episode(actor=actor, person=_require(actor, person_id), data=data)


def create_episode(*, actor: Actor, person: Person, data: NewEpisode) -> MissingEpisode:
    """Check and save a new episode for a child the caller has already checked the actor
    may report (their own area's child, or one placed in the actor's area)."""
    errors: dict[str, str] = {}
    _check_not_future(errors, "started_at", data.started_at, "The time last seen")
    if data.kind not in EpisodeKind.values:
        errors["kind"] = "Choose missing or away from placement"
    if data.risk_grading and data.risk_grading not in RiskGrading.values:
        errors["risk_grading"] = "Choose a police risk grading from the list"
    text = _check_text(
        errors,
        {
            "last_seen_place": data.last_seen_place,
            "last_seen_with": data.last_seen_with,
            "clothing": data.clothing,
            "police_reference": data.police_reference,
        },
    )
    if not errors and _overlapping(person, data.started_at, None, exclude=None):
        errors["started_at"] = OVERLAP_MESSAGE
    if errors:
        raise InvalidInput(errors)
    now = timezone.now()
    try:
        with transaction.atomic():
            episode = MissingEpisode.objects.create(
                person=person,
                kind=data.kind,
                reported_at=now,
                reported_by=actor.user,
                reporting_membership=actor.membership,
                started_at=data.started_at,
                risk_grading=data.risk_grading,
                **text,
            )
    except IntegrityError as error:
        raise InvalidInput({"started_at": OVERLAP_MESSAGE}) from error
    if data.risk_grading:
        RiskGradingChange.objects.create(
            episode=episode, grading=data.risk_grading, changed_by=actor.user, changed_at=now
        )
    audit.record(action="missing.reported", actor=actor, target=episode, person_id=person.pk)
    cross_area.alert_if_reported_elsewhere(episode)
    return episode


@transaction.atomic
def record_return(
    *, actor: Actor, episode_id: int, expected_version: int, data: Return
) -> ReturnHomeInterview:
    """Close the episode and create its Return Home Interview, due 72 hours after return.
    Two people recording the same return at once: one succeeds, the other is told."""
    episode = _locked_episode(actor, episode_id)
    _require(actor, episode.person_id)
    if episode.version != expected_version:
        raise StaleVersionError(
            "Someone else changed this episode since you opened it. Check it again before saving."
        )
    errors: dict[str, str] = {}
    if not episode.is_open:
        errors["returned_at"] = "This episode has already been closed"
    _check_not_future(errors, "returned_at", data.returned_at, "The time of return")
    if data.returned_at < episode.started_at:
        errors["returned_at"] = "The time of return must be after the time the child was last seen"
    text = _check_text(
        errors,
        {
            "found_place": data.found_place,
            "found_with": data.found_with,
            "found_area_name": data.found_area_name,
            "how_returned": data.how_returned,
        },
    )
    found_area = None
    if data.found_area_id is not None:
        found_area = Area.objects.filter(pk=data.found_area_id).first()
        if found_area is None or found_area.pk == episode.person.area_id:
            errors["found_area"] = "Choose another area from the list"
        else:
            text["found_area_name"] = found_area.name
    if data.found_out_of_area and not text["found_area_name"] and found_area is None:
        errors["found_area_name"] = "Enter which area the child was found in"
    if not errors and _overlapping(
        episode.person, episode.started_at, data.returned_at, exclude=episode.pk
    ):
        errors["returned_at"] = OVERLAP_MESSAGE
    if errors:
        raise InvalidInput(errors)
    for name, value in text.items():
        setattr(episode, name, value)
    episode.ended_at = data.returned_at
    episode.found_out_of_area = data.found_out_of_area or found_area is not None
    episode.found_area = found_area
    episode.harm_noticed = data.harm_noticed.strip()[:5000]
    episode.version += 1
    episode.save()
    interview = ReturnHomeInterview.objects.create(
        episode=episode, due_at=deadlines.rhi_due_at(data.returned_at)
    )
    audit.record(
        action="missing.returned", actor=actor, target=episode, person_id=episode.person_id
    )
    cross_area.alert_if_found_elsewhere(episode)
    return interview


@transaction.atomic
def regrade_risk(*, actor: Actor, episode_id: int, grading: str) -> RiskGradingChange:
    """A change of the police risk grading, kept with who made it and when."""
    if not (
        can(actor, Capability.RECORD_MISSING_EPISODES) and actor.can(Capability.VIEW_INTELLIGENCE)
    ):
        raise PermissionDeniedError("Only police roles change the police risk grading.")
    episode = _locked_episode(actor, episode_id)
    if grading not in RiskGrading.values:
        raise InvalidInput({"grading": "Choose a police risk grading from the list"})
    episode.risk_grading = grading
    episode.version += 1
    episode.save(update_fields=["risk_grading", "version"])
    change = RiskGradingChange.objects.create(
        episode=episode, grading=grading, changed_by=actor.user, changed_at=timezone.now()
    )
    audit.record(
        action="missing.risk_regraded",
        actor=actor,
        target=episode,
        person_id=episode.person_id,
        details={"grading": grading},
    )
    return change


@transaction.atomic
def move_interview(
    *,
    actor: Actor,
    interview_id: int,
    expected_version: int,
    target: str,
    reason: str = "",
    worker: Membership | None = None,
) -> ReturnHomeInterview:
    """Offer, accept, decline, complete or record as not completed, with optimistic
    concurrency. Offering names the worker, who must hold a current RHI worker role."""
    interview = (
        ReturnHomeInterview.objects.select_for_update()
        .select_related("episode")
        .filter(pk=interview_id, episode__person__in=visible_persons(actor))
        .first()
    )
    if interview is None:
        raise NotFoundError("There is no such return home interview you may see.")
    if not can(actor, Capability.RECORD_RETURN_INTERVIEWS) and not can(
        actor, Capability.RECORD_MISSING_EPISODES
    ):
        raise PermissionDeniedError("Your role cannot record return home interviews.")
    if interview.version != expected_version:
        raise StaleVersionError("Someone else changed this interview since you opened it.")
    try:
        new_state = rhi_states.check_transition(interview.state, target, reason)
    except rhi_states.TransitionError as error:
        raise InvalidInput({"state": str(error)}) from error
    if new_state == rhi_states.State.COMPLETED:
        raise InvalidInput(
            {"state": "Record what the child said in the interview form to complete it"}
        )
    now = timezone.now()
    if new_state == rhi_states.State.OFFERED:
        if worker is None:
            raise InvalidInput({"worker": "Choose the return home interview worker"})
        if (
            worker.ended_at is not None
            or not worker.user.is_active
            or worker.role != Role.RHI_WORKER
        ):
            raise InvalidInput(
                {"worker": "Choose someone with a current return home interview worker role"}
            )
        interview.worker = worker
        interview.offered_at = now
        # The worker needs to see the child's record to prepare: join the team for the
        # interview, for 30 days.
        TeamMember.objects.get_or_create(
            person_id=interview.episode.person_id,
            membership=worker,
            ended_at=None,
            defaults={
                "reason": "Return home interview",
                "added_by": actor.user,
                "ends_on": (now + timedelta(days=30)).date(),
            },
        )
    elif new_state in (rhi_states.State.ACCEPTED, rhi_states.State.DECLINED):
        interview.responded_at = now
    else:
        interview.finished_at = now
    interview.state = new_state
    interview.reason = " ".join(reason.split())[:500]
    interview.version += 1
    interview.save()
    audit.record(
        action=f"rhi.{new_state.value}",
        actor=actor,
        target=interview,
        person_id=interview.episode.person_id,
        reason=interview.reason,
    )
    return interview


def _locked_interview(actor: Actor, interview_id: int) -> ReturnHomeInterview:
    interview = (
        ReturnHomeInterview.objects.select_for_update(of=("self",))
        .select_related("episode")
        .filter(pk=interview_id, episode__person__in=visible_persons(actor))
        .first()
    )
    if interview is None:
        raise NotFoundError("There is no such return home interview you may see.")
    return interview


@transaction.atomic
def complete_interview(
    *, actor: Actor, interview_id: int, expected_version: int, data: InterviewRecord
) -> ReturnHomeInterview:
    """Record the interview and mark it completed. Only the worker it was offered to may
    record it. Every ticked disclosure becomes an observation in the same transaction:
    if any part is refused, nothing is saved."""
    from clearsight.risk import services as risk_services
    from clearsight.risk.models import ObservationSource

    interview = _locked_interview(actor, interview_id)
    if not can(actor, Capability.RECORD_RETURN_INTERVIEWS):
        raise PermissionDeniedError("Your role cannot record return home interviews.")
    if interview.worker_id != actor.membership.pk:
        raise PermissionDeniedError("Only the worker the interview was offered to can record it.")
    if interview.version != expected_version:
        raise StaleVersionError("Someone else changed this interview since you opened it.")
    errors: dict[str, str] = {}
    try:
        rhi_states.check_transition(interview.state, rhi_states.State.COMPLETED)
    except rhi_states.TransitionError as error:
        errors["state"] = str(error)
    returned_on = timezone.localtime(interview.episode.ended_at).date()
    if data.held_on > timezone.localdate():
        errors["held_on"] = "The date of the interview must be today or in the past"
    elif data.held_on < returned_on:
        errors["held_on"] = "The date of the interview must be on or after the child's return"
    texts = {
        "where_child_was": data.where_child_was,
        "who_with": data.who_with,
        "what_happened": data.what_happened,
        "push_factors": data.push_factors,
        "pull_factors": data.pull_factors,
        "harm": data.harm,
        "childs_words": data.childs_words,
        "disclosure_notes": data.disclosure_notes,
    }
    for name, value in texts.items():
        if len(value.strip()) > LONG_TEXT_MAX:
            errors[name] = f"Keep this to {LONG_TEXT_MAX} characters or fewer"
    if not data.what_happened.strip():
        errors["what_happened"] = "Enter what happened while the child was away"
    codes = sorted(set(data.disclosure_codes))
    if errors:
        raise InvalidInput(errors)
    for name, value in texts.items():
        setattr(interview, name, value.strip())
    interview.held_on = data.held_on
    interview.disclosure_codes = codes
    interview.state = rhi_states.State.COMPLETED
    interview.finished_at = timezone.now()
    interview.version += 1
    interview.save()
    if codes:
        try:
            risk_services.record_observations(
                actor=actor,
                person_id=interview.episode.person_id,
                codes=codes,
                seen_on=data.held_on,
                confidence=DISCLOSURE_CONFIDENCE,
                note=f"Disclosed in the return home interview. {data.disclosure_notes.strip()}"[
                    :500
                ].strip(),
                source=ObservationSource.RETURN_HOME_INTERVIEW,
                source_ref=str(interview.pk),
            )
        except InvalidInput as error:
            # The checklist is the only way codes reach here: report against it.
            raise InvalidInput(
                {"disclosure_codes" if k == "codes" else k: v for k, v in error.errors.items()}
            ) from error
    audit.record(
        action="rhi.completed",
        actor=actor,
        target=interview,
        person_id=interview.episode.person_id,
        details={"disclosures": len(codes)},
    )
    return interview
