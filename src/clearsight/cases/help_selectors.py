"""Reads for the time-to-help page: each child's clock and the area's figures, built only
from records of children the actor may see (``visible_persons``), so nobody learns
anything about a child outside their need to know from a figure."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.conf import settings
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.policy import visible_persons
from clearsight.cases import time_to_help as rules
from clearsight.cases.models import PlanAction, Referral
from clearsight.missing.models import ReturnHomeInterview, RhiState
from clearsight.people.models import Person
from clearsight.risk.models import Observation, Screening

PUBLIC_SOURCE = "Member of the public or helpline"


def no_action_days() -> int:
    return int(settings.CLEARSIGHT_NO_ACTION_DAYS)


def _signs(person_ids: list[int]) -> dict[int, list[rules.Event]]:
    signs: dict[int, list[rules.Event]] = defaultdict(list)
    observations = Observation.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "created_at", "agency__name"
    )
    for person_id, at, agency in observations:
        signs[person_id].append(rules.Event(at=at, label=agency))
    # Concerns count as first signs once the concerns app is installed (it arrives with
    # its own issue); until then observations alone start the clock.
    if apps.is_installed("clearsight.concerns"):
        concern_model = apps.get_model("concerns", "Concern")
        concerns = concern_model.objects.filter(person_id__in=person_ids).values_list(
            "person_id", "created_at", "raised_by_membership__agency__name"
        )
        for person_id, at, agency in concerns:
            signs[person_id].append(rules.Event(at=at, label=agency or PUBLIC_SOURCE))
    return signs


def _helps(person_ids: list[int]) -> dict[int, list[rules.Event]]:
    helps: dict[int, list[rules.Event]] = defaultdict(list)
    accepted = Referral.objects.filter(
        person_id__in=person_ids, accepted_at__isnull=False
    ).values_list("person_id", "accepted_at")
    for person_id, at in accepted:
        if at is not None:
            helps[person_id].append(rules.Event(at=at, label="Referral accepted"))
    started = PlanAction.objects.filter(
        case__person_id__in=person_ids, started_at__isnull=False
    ).values_list("case__person_id", "started_at")
    for person_id, at in started:
        if at is not None:
            helps[person_id].append(rules.Event(at=at, label="Plan action started"))
    interviews = ReturnHomeInterview.objects.filter(
        episode__person_id__in=person_ids, state=RhiState.COMPLETED, finished_at__isnull=False
    ).values_list("episode__person_id", "finished_at")
    for person_id, at in interviews:
        if at is not None:
            helps[person_id].append(rules.Event(at=at, label="Return home interview completed"))
    return helps


@dataclass(frozen=True)
class Waiting:
    person: Person
    screening: Screening
    days_since_rise: int


@dataclass(frozen=True)
class HelpReport:
    clocks: list[rules.Clock]
    by_month: list[rules.Figure]
    by_agency: list[rules.Figure]
    overall: rules.Figure | None
    without_action: list[Waiting]
    days: int


def clocks_for(actor: Actor) -> tuple[list[rules.Clock], dict[int, list[rules.Event]]]:
    person_ids = list(
        visible_persons(actor)
        .filter(area_id=actor.area_id, kind="child")
        .values_list("pk", flat=True)
    )
    signs = _signs(person_ids)
    helps = _helps(person_ids)
    clocks = [
        clock
        for person_id in person_ids
        if (clock := rules.clock_for(person_id, signs.get(person_id, []), helps.get(person_id, [])))
    ]
    return clocks, helps


def time_to_help(
    *, actor: Actor, days: int | None = None, now: datetime | None = None
) -> HelpReport:
    """The area's time to help for the children the actor may see, and the children
    whose risk rose with nothing protective done for ``days`` days."""
    now = now or timezone.now()
    days = days if days is not None else no_action_days()
    clocks, helps = clocks_for(actor)
    overall = rules.figures_by(clocks, lambda clock: "All children")
    rising = (
        Screening.objects.filter(
            is_current=True,
            level_rose_at__isnull=False,
            final_level__in=["medium", "high"],
            person__in=visible_persons(actor).filter(area_id=actor.area_id),
        )
        .select_related("person")
        .order_by("level_rose_at")
    )
    without_action = []
    for screening in rising:
        assert screening.level_rose_at is not None
        last = max((e.at for e in helps.get(screening.person_id, [])), default=None)
        if rules.is_without_action(
            last_help_at=last, rose_at=screening.level_rose_at, now=now, days=days
        ):
            without_action.append(
                Waiting(
                    person=screening.person,
                    screening=screening,
                    days_since_rise=(now - screening.level_rose_at).days,
                )
            )
    return HelpReport(
        clocks=clocks,
        by_month=rules.figures_by(clocks, lambda clock: clock.month),
        by_agency=rules.figures_by(clocks, lambda clock: clock.first_sign.label),
        overall=overall[0] if overall else None,
        without_action=without_action,
        days=days,
    )
