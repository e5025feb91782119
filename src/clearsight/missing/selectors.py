"""Reads for missing episodes, always through the persons the actor may see."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import QuerySet

from clearsight.access.actor import Actor
from clearsight.access.policy import rows_of_person, visible_persons
from clearsight.missing.board_text import BoardText, episode_url
from clearsight.missing.models import (
    EpisodeKind,
    MissingEpisode,
    ReturnHomeInterview,
    RhiState,
    RiskGrading,
)
from clearsight.missing.patterns import Concerns, EpisodeFacts, Pattern, normalise, summarise
from clearsight.people.models import Person, display_name


def open_episodes(*, actor: Actor) -> QuerySet[MissingEpisode]:
    """Children missing now, longest missing first (the live board)."""
    return (
        MissingEpisode.objects.filter(ended_at__isnull=True, person__in=visible_persons(actor))
        .select_related("person", "reporting_membership__agency")
        # The id settles ties (episodes reported for the same hour), so the board keeps its
        # order from one refresh to the next and the API's pages do not overlap.
        .order_by("started_at", "pk")
    )


@dataclass(frozen=True)
class BoardRow:
    """One child on the live board, its texts ready to show."""

    person_id: int
    url: str
    child_name: str
    is_away: bool
    missing_for: str
    last_seen_at: str
    last_seen_place: str
    risk_grading: str
    risk_tag_colour: str
    reported_by: str


_RISK_GRADINGS: dict[str, str] = {value: str(label) for value, label in RiskGrading.choices}
_RISK_TAG_COLOURS = {RiskGrading.HIGH.value: "red", RiskGrading.MEDIUM.value: "orange"}


def board_rows(*, actor: Actor, now: datetime) -> list[BoardRow]:
    """The live board's rows, longest missing first: plain rows of the columns it shows,
    with their texts made once in Python (a few hundred rows at national scale; whole
    model instances and template filters for each cost most of the page)."""
    rows = open_episodes(actor=actor).values_list(
        "pk",
        "person_id",
        "kind",
        "started_at",
        "last_seen_place",
        "risk_grading",
        "person__given_names",
        "person__family_name",
        "person__preferred_name",
        "reporting_membership__agency__name",
    )
    text = BoardText(now)
    url = episode_url()
    return [
        BoardRow(
            person_id=person_id,
            url=url(pk),
            child_name=display_name(given_names, family_name, preferred_name),
            is_away=kind == EpisodeKind.AWAY,
            missing_for=text.missing_for(started_at),
            last_seen_at=text.last_seen(started_at),
            last_seen_place=last_seen_place,
            risk_grading=_RISK_GRADINGS.get(grading, grading),
            risk_tag_colour=_RISK_TAG_COLOURS.get(grading, "grey"),
            reported_by=agency,
        )
        for (
            pk,
            person_id,
            kind,
            started_at,
            last_seen_place,
            grading,
            given_names,
            family_name,
            preferred_name,
            agency,
        ) in rows
    ]


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
# Below this many episodes in the whole country a place is "rare".
RARE_PLACE_EPISODES = 2000
# Each of the child's places (the episode_found_place index, which answers every look-up
# below without reading the table), counted so that the cost
# stays bounded at national scale: a rare place (a flat) from its own episodes, each
# checked for the child's area; a common one (a town centre, a home address, found
# thousands of times in every area) from the area's children, stopping at the second
# found there, which comes after a few dozen. The correlated "(SELECT ...)" conditions
# make PostgreSQL look each row up by index instead of joining whole tables.
# One place, as a constant: PostgreSQL then plans the count with the place's own
# statistics. Read from unnest() each place had the estimate of an average place, so
# for a common one (290,000 episodes at national scale) it read the whole index range
# before counting 2,000: 30 ms a place (decision 0012).
_PLACE_OF_CONCERN = """
SELECT {place}::text WHERE CASE
    WHEN (SELECT count(*) FROM (
        SELECT 1 FROM missing_missingepisode e
        WHERE lower(trim(e.found_place)) = {place}
        ORDER BY lower(trim(e.found_place)), e.person_id LIMIT %(rare)s
    ) found) < %(rare)s
    THEN (
        SELECT count(DISTINCT e.person_id) FROM missing_missingepisode e
        WHERE lower(trim(e.found_place)) = {place} AND e.person_id <> %(person)s
        AND (SELECT p.area_id FROM people_person p WHERE p.id = e.person_id) = %(area)s
    )
    ELSE (SELECT count(*) FROM (
        SELECT 1 FROM people_person p WHERE p.area_id = %(area)s AND p.id <> %(person)s
        AND (
            SELECT true FROM missing_missingepisode e
            WHERE e.person_id = p.id AND lower(trim(e.found_place)) = {place} LIMIT 1
        )
        LIMIT %(children)s
    ) found)
END >= %(children)s
"""


# Adults of the area (the adults_of_area partial index) whose full name appears in what
# was recorded as "found with": each distinct text once, however many episodes say it.
_ADULTS_FOUND_WITH = """
SELECT DISTINCT lower(p.given_names || ' ' || p.family_name) FROM people_person p
WHERE p.area_id = %(area)s AND p.kind = 'adult' AND p.deleted_at IS NULL
AND EXISTS (
    SELECT 1 FROM unnest(%(texts)s::text[]) AS texts(text)
    WHERE strpos(texts.text, lower(p.given_names || ' ' || p.family_name)) > 0
)
LIMIT %(most)s
"""
ADULTS_SHOWN = 20


def concerns_for(person: Person, facts: list[EpisodeFacts]) -> Concerns:
    """Places where other children of the area were found, and adults of the area named
    as found with the child: only those that touch this child's own episodes, so no
    other child's details are read beyond a count."""
    places = {normalise(f.found_place) for f in facts if f.found_place.strip()}
    found_with = {normalise(f.found_with) for f in facts if f.found_with.strip()}
    concern_places: set[str] = set()
    adults: set[str] = set()
    with connection.cursor() as cursor:
        if places:
            ordered = sorted(places)
            cursor.execute(
                " UNION ALL ".join(
                    _PLACE_OF_CONCERN.format(place=f"%(place{number})s")
                    for number in range(len(ordered))
                ),
                {
                    **{f"place{number}": place for number, place in enumerate(ordered)},
                    "area": person.area_id,
                    "person": person.pk,
                    "children": OTHER_CHILDREN_AT_PLACE,
                    "rare": RARE_PLACE_EPISODES,
                },
            )
            concern_places = {row[0] for row in cursor.fetchall()}
        if found_with:
            cursor.execute(
                _ADULTS_FOUND_WITH,
                {
                    "area": person.area_id,
                    "texts": sorted(found_with),
                    "most": ADULTS_SHOWN,
                },
            )
            adults = {normalise(row[0]) for row in cursor.fetchall()}
    return Concerns(places=frozenset(concern_places), adults=frozenset(adults))


# What the child's page shows of each episode (the timeline's entries, the missing panel
# and its flags): a child with a long history has hundreds of episodes, and each whole
# row came with the reporter's whole account and membership.
HISTORY_COLUMNS = (
    "kind",
    "started_at",
    "last_seen_place",
    "last_seen_with",
    "ended_at",
    "found_place",
    "found_with",
    "found_out_of_area",
    "found_area_name",
    "reporting_membership__agency__name",
    "reported_by__full_name",
)


@dataclass(frozen=True)
class MissingHistory:
    """A child's episodes (with who reported them) and what in them is of concern, read
    once for the child's page: its missing panel and the flags on its timeline."""

    episodes: list[MissingEpisode]
    facts: list[EpisodeFacts]
    concerns: Concerns
    pattern: Pattern | None


def missing_history(*, actor: Actor, person: Person) -> MissingHistory:
    """The child's missing history and flags; the pattern is None if they have never
    been missing (or the actor may not see them)."""
    from django.utils import timezone

    episodes = list(
        MissingEpisode.objects.filter(rows_of_person(actor, person))
        .select_related("reporting_membership__agency", "reported_by")
        .only(*HISTORY_COLUMNS)
        .order_by("-started_at", "-pk")
    )
    facts = episode_facts(episodes)
    concerns = concerns_for(person, facts) if facts else Concerns()
    pattern = summarise(facts, timezone.now(), concerns) if facts else None
    return MissingHistory(episodes=episodes, facts=facts, concerns=concerns, pattern=pattern)


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
