"""Reads for missing episodes, always through the persons the actor may see."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Concat, Lower, StrIndex, Trim

from clearsight.access.actor import Actor
from clearsight.access.policy import visible_persons
from clearsight.missing.models import MissingEpisode, ReturnHomeInterview, RhiState
from clearsight.missing.patterns import Concerns, EpisodeFacts, Pattern, normalise, summarise
from clearsight.people.choices import PersonKind
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


def episode_facts(episodes: Iterable[MissingEpisode]) -> list[EpisodeFacts]:
    return [
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


# A place is "of concern" once this many other children have been found there.
OTHER_CHILDREN_AT_PLACE = 2


def concerns_for(person: Person, facts: list[EpisodeFacts]) -> Concerns:
    """Places where other children of the area were found, and adults of the area named
    as found with the child: only those that touch this child's own episodes, so no
    other child's details are read beyond a count."""
    places = {normalise(f.found_place) for f in facts if f.found_place.strip()}
    found_with = [normalise(f.found_with) for f in facts if f.found_with.strip()]
    concern_places: set[str] = set()
    if places:
        concern_places = set(
            MissingEpisode.objects.filter(person__area_id=person.area_id)
            .exclude(person_id=person.pk)
            .annotate(place=Lower(Trim("found_place")))
            .filter(place__in=places)
            .values("place")
            .annotate(children=Count("person_id", distinct=True))
            .filter(children__gte=OTHER_CHILDREN_AT_PLACE)
            .values_list("place", flat=True)
        )
    adults: set[str] = set()
    if found_with:
        # An adult of the area whose full name appears in what was recorded as "found with".
        full_name = Lower(Concat("given_names", Value(" "), "family_name"))
        candidates = Person.objects.live().filter(area_id=person.area_id, kind=PersonKind.ADULT)
        for index, text in enumerate(found_with):
            candidates = candidates.annotate(**{f"at_{index}": StrIndex(Value(text), full_name)})
        condition = Q()
        for index in range(len(found_with)):
            condition |= Q(**{f"at_{index}__gt": 0})
        adults = {
            normalise(name)
            for name in candidates.filter(condition)
            .annotate(full=full_name)
            .values_list("full", flat=True)[:20]
        }
    return Concerns(places=frozenset(concern_places), adults=frozenset(adults))


def missing_pattern(*, actor: Actor, person_id: int) -> Pattern | None:
    """The child's missing history and flags, or None if they have never been missing."""
    from django.utils import timezone

    person = visible_persons(actor).filter(pk=person_id).only("pk", "area_id").first()
    if person is None:
        return None
    facts = episode_facts(MissingEpisode.objects.filter(person_id=person_id))
    if not facts:
        return None
    return summarise(facts, timezone.now(), concerns_for(person, facts))


def interviews_for_actor(*, actor: Actor) -> QuerySet[ReturnHomeInterview]:
    """Every return home interview of children the actor may see, in any state."""
    return ReturnHomeInterview.objects.filter(
        episode__person__in=visible_persons(actor)
    ).select_related("episode")


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
