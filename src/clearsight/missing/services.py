"""Reporting a child missing, recording their return, and the police risk grading.

Recording a return creates the Return Home Interview task due 72 hours later (statutory
guidance: children who run away or go missing from home or care, DfE 2014)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.policy import can, visible_persons
from clearsight.access.roles import Capability
from clearsight.audit import services as audit
from clearsight.core.errors import (
    InvalidInput,
    NotFoundError,
    PermissionDeniedError,
    StaleVersionError,
)
from clearsight.missing import deadlines
from clearsight.missing.models import (
    EpisodeKind,
    MissingEpisode,
    ReturnHomeInterview,
    RiskGrading,
    RiskGradingChange,
)
from clearsight.people.models import Person

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
    episode = (
        MissingEpisode.objects.select_for_update()
        .filter(pk=episode_id, person__in=visible_persons(actor))
        .first()
    )
    if episode is None:
        raise NotFoundError("There is no such missing episode you may see.")
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
    episode = (
        MissingEpisode.objects.select_for_update()
        .filter(pk=episode_id, person__in=visible_persons(actor))
        .first()
    )
    if episode is None:
        raise NotFoundError("There is no such missing episode you may see.")
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
