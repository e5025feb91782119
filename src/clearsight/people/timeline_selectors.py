"""A child's timeline: every event about them from every module (the record, the team,
emergency access, missing episodes and their flags, observations, concerns), newest
first, a page at a time. Reads through the access selectors, as the child's page does."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator

from clearsight.access.actor import Actor
from clearsight.access.models import BreakGlassAccess
from clearsight.areas.models import Agency
from clearsight.people.models import Person, TeamMember
from clearsight.people.selectors import team_history

if TYPE_CHECKING:
    from clearsight.missing.selectors import MissingHistory


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    title: str
    agency: Agency | None
    detail: str = ""
    who: str = ""


# Events on one page of a child's timeline: a child with a long history (a hundred
# observations and missing episodes is not rare) gets the newest first, then older pages.
TIMELINE_PAGE_SIZE = 25


@dataclass(frozen=True)
class Timeline:
    """One page of the timeline (``entries``, newest first) and what its filters offer;
    ``page`` tells which page of how many, and how many events match the filters."""

    entries: list[TimelineEntry]
    kinds: list[tuple[str, str]] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)
    page: Page[TimelineEntry] | None = None

    @property
    def showing(self) -> str:
        """ "Showing events 26 to 50 of 2,595, newest first", for a timeline of pages."""
        if self.page is None:
            return ""
        return (
            f"Showing events {self.page.start_index():,} to {self.page.end_index():,} "
            f"of {self.page.paginator.count:,}, newest first"
        )

    @property
    def page_numbers(self) -> list[int | str]:
        """The page links to offer: the first and last pages, two either side of this
        one, and an ellipsis for each gap (Paginator.ELLIPSIS)."""
        if self.page is None:
            return []
        return list(
            self.page.paginator.get_elided_page_range(self.page.number, on_each_side=2, on_ends=1)
        )


TIMELINE_KINDS = [
    ("record", "Record"),
    ("missing", "Missing episodes"),
    ("flag", "Flags"),
    ("observation", "Observations"),
    ("concern", "Concerns"),
    ("team", "Team around the child"),
    ("access", "Emergency access"),
]


def person_timeline(
    *,
    actor: Actor,
    person: Person,
    kind: str = "",
    agency_id: int | None = None,
    team: list[TeamMember] | None = None,
    missing: MissingHistory | None = None,
    observations: list[dict[str, Any]] | None = None,
    page: str | int = 1,
) -> Timeline:
    """Every event about the person from every module, newest first, a page at a time
    (``page`` counts from 1; anything that is not a page number gives the first page, a
    number past the end the last). Each module adds its own source here as it arrives
    (missing episodes, observations, concerns...). The child's page passes the team's
    history, the missing history and the observations it has read for its other panels,
    so they are read once."""
    from clearsight.missing.selectors import missing_history

    entries: list[TimelineEntry] = []
    # known_to is prefetched with the person; the first agency added is the creator.
    creator_agency = min(person.known_to.all(), key=lambda agency: agency.pk, default=None)
    entries.append(
        TimelineEntry(
            at=person.created_at,
            kind="record",
            title="Added to Clearsight",
            agency=creator_agency,
            who=person.created_by.full_name if person.created_by else "",
        )
    )
    members = team_history(actor=actor, person=person) if team is None else team
    for member in members:
        entries.append(
            TimelineEntry(
                at=member.added_at,
                kind="team",
                title=(
                    f"{member.membership.user.full_name} joined the team "
                    f"({member.membership.get_role_display()})"
                ),
                agency=member.membership.agency,
                detail=member.reason,
            )
        )
    grants = (
        BreakGlassAccess.objects.filter(person=person)
        .select_related("membership__agency", "user")
        .only("granted_at", "reason", "user__full_name", "membership__agency__name")
    )
    for grant in grants:
        entries.append(
            TimelineEntry(
                at=grant.granted_at,
                kind="access",
                title=f"Emergency access by {grant.user.full_name}",
                agency=grant.membership.agency,
                detail=grant.reason,
            )
        )
    entries.extend(_missing_entries(missing or missing_history(actor=actor, person=person)))
    entries.extend(_observation_entries(person, observations))
    entries.extend(_concern_entries(person))
    agencies = sorted({e.agency for e in entries if e.agency is not None}, key=lambda a: a.name)
    if kind:
        entries = [e for e in entries if e.kind == kind]
    if agency_id:
        entries = [e for e in entries if e.agency is not None and e.agency.pk == agency_id]
    entries.sort(key=lambda e: e.at, reverse=True)
    shown = Paginator(entries, TIMELINE_PAGE_SIZE).get_page(page)
    return Timeline(
        entries=list(shown.object_list), kinds=TIMELINE_KINDS, agencies=agencies, page=shown
    )


def _missing_entries(missing: MissingHistory) -> list[TimelineEntry]:
    from clearsight.missing.patterns import flag_events

    entries = [
        TimelineEntry(at=event.at, kind="flag", title=event.title, agency=None)
        for event in flag_events(missing.facts, missing.concerns)
    ]
    for episode in missing.episodes:
        agency = episode.reporting_membership.agency
        entries.append(
            TimelineEntry(
                at=episode.started_at,
                kind="missing",
                title=f"{episode.get_kind_display()}: last seen",
                agency=agency,
                who=episode.reported_by.full_name,
                detail=", ".join(filter(None, [episode.last_seen_place, episode.last_seen_with])),
            )
        )
        if episode.ended_at:
            found = ", ".join(filter(None, [episode.found_place, episode.found_with]))
            entries.append(
                TimelineEntry(
                    at=episode.ended_at,
                    kind="missing",
                    title="Returned"
                    + (" (found out of area)" if episode.found_out_of_area else ""),
                    agency=agency,
                    detail=found,
                )
            )
    return entries


def _observation_entries(
    person: Person, rows: list[dict[str, Any]] | None = None
) -> list[TimelineEntry]:
    """One entry per recording (the signs ticked together), when it was recorded. Plain
    rows of the shown columns (risk.panel_selectors.OBSERVATION_COLUMNS): a child can
    have hundreds of observations. ``rows`` are the child's when the page has read them
    for its risk panel."""
    from clearsight.risk.models import Observation, ObservationSource
    from clearsight.risk.panel_selectors import OBSERVATION_COLUMNS

    if rows is None:
        rows = list(Observation.objects.filter(person=person).values(*OBSERVATION_COLUMNS))
    batches: dict[tuple[datetime, int], list[dict[str, Any]]] = {}
    for row in sorted(rows, key=lambda row: (row["created_at"], row["pk"])):
        batches.setdefault((row["created_at"], row["membership_id"]), []).append(row)
    agencies: dict[int, Agency] = {}
    sources = dict(ObservationSource.choices)
    entries = []
    for (recorded_at, _), batch in batches.items():
        first = batch[0]
        agency_id = first["agency_id"]
        if agency_id not in agencies:
            agencies[agency_id] = Agency(pk=agency_id, name=first["agency__name"])
        source_name = sources.get(first["source"], first["source"])
        seen = (
            f"Seen on {first['seen_on']:%-d %B %Y}, "
            f"confidence {first['confidence']} of 5 ({source_name})."
        )
        entries.append(
            TimelineEntry(
                at=recorded_at,
                kind="observation",
                title="Signs seen: " + "; ".join(row["indicator_title"] for row in batch),
                agency=agencies[agency_id],
                who=first["author__full_name"],
                detail=" ".join(filter(None, [seen, first["note"]])),
            )
        )
    return entries


def _concern_entries(person: Person) -> list[TimelineEntry]:
    """Concerns linked to the child by triage: where they came from and what was decided.
    What the reporter wrote, and who they are, stay with the triage officers; the signs
    reach the record as observations."""
    from clearsight.concerns.models import Concern

    concerns = (
        Concern.objects.filter(person=person)
        .select_related("raised_by_membership__agency")
        .only(
            "created_at",
            "source",
            "sector",
            "reference",
            "outcome",
            "raised_by_membership__agency__name",
        )
    )
    source = {
        "public": "a member of the public or sector staff",
        "professional": "a professional",
        "helpline": "the helpline",
    }
    entries = []
    for concern in concerns:
        where = f" ({concern.get_sector_display()})" if concern.sector else ""
        entries.append(
            TimelineEntry(
                at=concern.created_at,
                kind="concern",
                title=f"Concern received from {source.get(concern.source, 'a reporter')}{where}",
                agency=concern.raised_by_membership.agency
                if concern.raised_by_membership
                else None,
                detail=(
                    f"Reference {concern.reference}. "
                    + (
                        f"Outcome: {concern.get_outcome_display().lower()}."
                        if concern.outcome
                        else "Being triaged."
                    )
                ),
            )
        )
    return entries
