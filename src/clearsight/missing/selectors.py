"""Reads for missing episodes, always through the persons the actor may see."""

from __future__ import annotations

from django.db.models import QuerySet

from clearsight.access.actor import Actor
from clearsight.access.policy import visible_persons
from clearsight.missing.models import MissingEpisode, ReturnHomeInterview, RhiState
from clearsight.missing.patterns import EpisodeFacts, Pattern, summarise
from clearsight.people.models import Person


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
        .select_related(
            "person__placement_agency",
            "reported_by",
            "reporting_membership__agency",
            "return_interview__worker__user",
            "return_interview__worker__agency",
        )
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


NOT_INDEPENDENT = " (runs the child's placement: not independent)"


def rhi_workers(*, actor: Actor, person: Person | None = None) -> list[tuple[int, str]]:
    """Current return home interview workers of the area, for the offer form. Those in
    the agency that runs the child's placement are marked: the interview should be held
    by someone independent of the child's carers."""
    from clearsight.access.roles import Role
    from clearsight.areas.models import Membership

    workers = (
        Membership.objects.current()
        .filter(agency__area_id=actor.area_id, role=Role.RHI_WORKER, user__is_active=True)
        .select_related("user", "agency")
        .order_by("user__full_name")
    )
    placement = person.placement_agency_id if person is not None else None
    return [
        (
            m.pk,
            f"{m.user.full_name}, {m.agency.name}"
            + (
                " (runs the child's placement: not independent)" if m.agency_id == placement else ""
            ),
        )
        for m in workers
    ]


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


def interview_for_actor(*, actor: Actor, pk: int) -> ReturnHomeInterview | None:
    return (
        ReturnHomeInterview.objects.filter(pk=pk, episode__person__in=visible_persons(actor))
        .select_related("episode__person__placement_agency", "worker__user", "worker__agency")
        .first()
    )


def other_areas(*, exclude_id: int) -> list[tuple[int, str]]:
    """Clearsight areas other than the child's own, for "found in" (not personal data)."""
    from clearsight.areas.models import Area

    return list(Area.objects.exclude(pk=exclude_id).order_by("name").values_list("pk", "name"))
