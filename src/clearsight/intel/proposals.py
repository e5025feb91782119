"""Links proposed from missing episodes ("found at", "found with") and return home
interview disclosures ("where I was", "who I was with"). They wait for an analyst's
review and are never shown as fact until accepted: what a child says, or where they
were found, is information about risk to the child, not proof about anyone."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from clearsight.access.actor import Actor
from clearsight.access.policy import may_review_links, visible_locations, visible_persons
from clearsight.audit import services as audit
from clearsight.core.errors import PermissionDeniedError
from clearsight.intel.models import Link, LinkType, NodeKind, ProposedFrom
from clearsight.intel.services import propose_link
from clearsight.missing.models import MissingEpisode, ReturnHomeInterview
from clearsight.people.models import Person


def _names(text: str) -> list[str]:
    """'Jay Smith, Kerry Doe and a man' -> candidate names to match exactly."""
    parts = text.replace(" and ", ",").replace(";", ",").split(",")
    return [" ".join(part.split()).lower() for part in parts if part.strip()]


def _people_named(people: QuerySet[Person], text: str, child: Person) -> list[Person]:
    names = _names(text)
    if not names:
        return []
    return list(people.filter(search_name__in=names).exclude(pk=child.pk))


@transaction.atomic
def propose_from_missing(*, actor: Actor) -> list[Link]:
    """Scan the area's finished missing episodes and completed interviews for places and
    people already on record, and propose a link for each, once."""
    if not may_review_links(actor):
        raise PermissionDeniedError("Only intelligence analysts review proposed links.")
    people = visible_persons(actor)
    places = visible_locations(actor)
    proposed: list[Link | None] = []
    episodes = MissingEpisode.objects.filter(
        person__in=people, ended_at__isnull=False
    ).select_related("person")
    for episode in episodes.exclude(found_place="", found_with=""):
        ref = f"episode:{episode.pk}"
        child = (NodeKind.PERSON, episode.person_id)
        for place in places.filter(name__iexact=episode.found_place.strip()):
            proposed.append(
                propose_link(
                    area_id=actor.area_id,
                    from_node=child,
                    to_node=(NodeKind.LOCATION, place.pk),
                    link_type=LinkType.FOUND_AT_WHILE_MISSING,
                    source="Missing episode record",
                    proposed_from=ProposedFrom.MISSING_EPISODE,
                    proposed_ref=ref,
                    valid_from=episode.ended_at.date() if episode.ended_at else None,
                )
            )
        for other in _people_named(people, episode.found_with, episode.person):
            proposed.append(
                propose_link(
                    area_id=actor.area_id,
                    from_node=child,
                    to_node=(NodeKind.PERSON, other.pk),
                    link_type=LinkType.FOUND_WITH_WHILE_MISSING,
                    source="Missing episode record",
                    proposed_from=ProposedFrom.MISSING_EPISODE,
                    proposed_ref=ref,
                    valid_from=episode.ended_at.date() if episode.ended_at else None,
                )
            )
    interviews = ReturnHomeInterview.objects.filter(
        episode__person__in=people, held_on__isnull=False
    ).select_related("episode__person")
    for interview in interviews.exclude(who_with="", where_child_was=""):
        ref = f"interview:{interview.pk}"
        child_person = interview.episode.person
        child = (NodeKind.PERSON, child_person.pk)
        for other in _people_named(people, interview.who_with, child_person):
            proposed.append(
                propose_link(
                    area_id=actor.area_id,
                    from_node=child,
                    to_node=(NodeKind.PERSON, other.pk),
                    link_type=LinkType.ASSOCIATES_WITH,
                    source="Return home interview disclosure",
                    proposed_from=ProposedFrom.RETURN_INTERVIEW,
                    proposed_ref=ref,
                    valid_from=interview.held_on,
                )
            )
        for place in places.filter(name__iexact=interview.where_child_was.strip()):
            proposed.append(
                propose_link(
                    area_id=actor.area_id,
                    from_node=child,
                    to_node=(NodeKind.LOCATION, place.pk),
                    link_type=LinkType.SEEN_AT,
                    source="Return home interview disclosure",
                    proposed_from=ProposedFrom.RETURN_INTERVIEW,
                    proposed_ref=ref,
                    valid_from=interview.held_on,
                )
            )
    made = [link for link in proposed if link is not None]
    audit.record(
        action="intel.links.proposed_from_missing",
        actor=actor,
        details={"link_ids": [link.pk for link in made]},
    )
    return made
