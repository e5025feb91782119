"""Reads for missing episodes, always through the persons the actor may see."""

from __future__ import annotations

from django.db.models import QuerySet

from clearsight.access.actor import Actor
from clearsight.access.policy import visible_persons
from clearsight.missing.models import MissingEpisode, ReturnHomeInterview, RhiState
from clearsight.missing.patterns import EpisodeFacts, Pattern, summarise


def open_episodes(*, actor: Actor) -> QuerySet[MissingEpisode]:
    """Children missing now, longest missing first (the live board)."""
    return (
        MissingEpisode.objects.filter(ended_at__isnull=True, person__in=visible_persons(actor))
        .select_related("person", "reporting_membership__agency")
        .order_by("started_at")
    )


def episode_for_actor(*, actor: Actor, pk: int) -> MissingEpisode | None:
    return (
        MissingEpisode.objects.filter(pk=pk, person__in=visible_persons(actor))
        .select_related("person", "reported_by", "reporting_membership__agency", "return_interview")
        .prefetch_related("grading_history__changed_by")
        .first()
    )


def open_interviews(*, actor: Actor) -> QuerySet[ReturnHomeInterview]:
    """Return home interviews not yet finished, soonest due first."""
    return (
        ReturnHomeInterview.objects.filter(episode__person__in=visible_persons(actor))
        .exclude(state=RhiState.COMPLETED)
        .select_related("episode__person", "worker__user")
        .order_by("due_at")
    )


def rhi_workers(*, actor: Actor) -> list[tuple[int, str]]:
    """Current return home interview workers of the area, for the offer form."""
    from clearsight.access.roles import Role
    from clearsight.areas.models import Membership

    workers = (
        Membership.objects.current()
        .filter(agency__area_id=actor.area_id, role=Role.RHI_WORKER, user__is_active=True)
        .select_related("user", "agency")
        .order_by("user__full_name")
    )
    return [(m.pk, f"{m.user.full_name}, {m.agency.name}") for m in workers]


def missing_pattern(*, actor: Actor, person_id: int) -> Pattern | None:
    """The child's missing history and flags, or None if they have never been missing."""
    from django.utils import timezone

    episodes = MissingEpisode.objects.filter(person_id=person_id, person__in=visible_persons(actor))
    facts = [
        EpisodeFacts(
            started_at=e.started_at,
            ended_at=e.ended_at,
            found_place=e.found_place,
            found_with=e.found_with,
            found_out_of_area=e.found_out_of_area,
            found_area_name=e.found_area_name,
        )
        for e in episodes
    ]
    return summarise(facts, timezone.now()) if facts else None
