"""Reporting a child missing, recording their return, and the police risk grading.

Recording a return creates the Return Home Interview task due 72 hours later (statutory
guidance: children who run away or go missing from home or care, DfE 2014)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.policy import can, visible_persons
from clearsight.access.roles import Capability, Role
from clearsight.areas.models import Membership
from clearsight.audit import services as audit
from clearsight.core.errors import (
    InvalidInput,
    NotFoundError,
    PermissionDeniedError,
    StaleVersionError,
)
from clearsight.missing import deadlines, rhi_states
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
class Return:
    returned_at: datetime
    found_place: str = ""
    found_with: str = ""
    found_out_of_area: bool = False
    found_area_name: str = ""
    how_returned: str = ""
    harm_noticed: str = ""


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
    person = _require(actor, person_id)
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
    if data.found_out_of_area and not text["found_area_name"]:
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
    episode.found_out_of_area = data.found_out_of_area
    episode.harm_noticed = data.harm_noticed.strip()[:5000]
    episode.version += 1
    episode.save()
    interview = ReturnHomeInterview.objects.create(
        episode=episode, due_at=deadlines.rhi_due_at(data.returned_at)
    )
    audit.record(
        action="missing.returned", actor=actor, target=episode, person_id=episode.person_id
    )
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
