"""Reads for missing episodes, always through the persons the actor may see."""

from __future__ import annotations

from django.db.models import QuerySet

from clearsight.access.actor import Actor
from clearsight.access.policy import visible_persons
from clearsight.missing.models import MissingEpisode


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
