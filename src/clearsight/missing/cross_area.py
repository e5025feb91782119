"""Children of one area found in, or reported missing from, another.

The home area's missing children coordinators are told with the minimum needed (child,
episode times, where found). A user in the other area can record that a child of the
home area was found, after finding the open episode by the child's name and exact date
of birth; they see only a summary, never the child's record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.contrib.postgres.search import TrigramSimilarity
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.policy import can, cross_area_open_episodes, placed_in_my_area
from clearsight.access.roles import Capability, Role
from clearsight.areas.models import Membership
from clearsight.audit import services as audit
from clearsight.core.errors import InvalidInput, NotFoundError, PermissionDeniedError
from clearsight.missing import deadlines
from clearsight.missing.models import MissingEpisode, ReturnHomeInterview

if TYPE_CHECKING:
    from clearsight.missing.services import NewEpisode
from clearsight.notifications.services import notify

NAME_SIMILARITY = 0.45
# The lookup hands the found form a signed ticket, so the summary cannot be reached by
# guessing episode numbers; it lasts long enough to fill in the form.
TICKET_SALT = "clearsight.missing.cross-area"
TICKET_SECONDS = 60 * 60


@dataclass(frozen=True)
class Summary:
    """All a user of another area is shown about a missing child."""

    episode_id: int
    ticket: str
    name: str
    date_of_birth: date | None
    home_area: str
    missing_since: datetime
    last_seen_place: str
    police_reference: str


def _coordinators(area_id: int) -> list[Membership]:
    return list(
        Membership.objects.current()
        .filter(agency__area_id=area_id, role=Role.MISSING_COORDINATOR, user__is_active=True)
        .select_related("user")
    )


def alert_home_area(*, episode: MissingEpisode, kind: str, title: str, body: str) -> int:
    """Tell the child's home-area coordinators, once per episode and kind."""
    sent = 0
    for coordinator in _coordinators(episode.person.area_id):
        created = notify(
            recipient=coordinator.user,
            kind=kind,
            key=f"{kind}:{episode.pk}",
            title=title,
            body=body,
            url=f"/missing/{episode.pk}/",
            person_id=episode.person_id,
        )
        sent += created is not None
    return sent


def alert_if_found_elsewhere(episode: MissingEpisode) -> None:
    """After a return: a child found outside their home area is a warning sign the home
    area must know about, whoever recorded it."""
    if not episode.found_out_of_area:
        return
    where = episode.found_area_name or "another area"
    alert_home_area(
        episode=episode,
        kind="found_elsewhere",
        title=f"A child from your area was found in {where}",
        body=(
            f"Missing since {deadlines.uk_display(episode.started_at)}, found "
            f"{deadlines.uk_display(episode.ended_at)}"
            + (f" at {episode.found_place}" if episode.found_place else "")
            + f". Episode {episode.pk}. A return home interview is due within 72 hours."
        ),
    )


def alert_if_reported_elsewhere(episode: MissingEpisode) -> None:
    """A child reported missing by a user of another area (for example their placement
    in that area): the home area is told at once."""
    reporting_area = episode.reporting_membership.agency.area
    if reporting_area.pk == episode.person.area_id:
        return
    alert_home_area(
        episode=episode,
        kind="reported_elsewhere",
        title=f"A child from your area was reported missing in {reporting_area.name}",
        body=(
            f"Last seen {deadlines.uk_display(episode.started_at)}"
            + (f" at {episode.last_seen_place}" if episode.last_seen_place else "")
            + f". Episode {episode.pk}."
        ),
    )


def find_missing_from_other_areas(
    *, actor: Actor, given_names: str, family_name: str, date_of_birth: date | None
) -> list[Summary]:
    """Open episodes of children from other areas with this exact date of birth and a
    name like this one. Both are required: nobody can browse other areas' children."""
    if not can(actor, Capability.RECORD_MISSING_EPISODES):
        raise PermissionDeniedError("Your role cannot record missing episodes.")
    errors = {}
    if not given_names.strip():
        errors["given_names"] = "Enter the child's first name"
    if not family_name.strip():
        errors["family_name"] = "Enter the child's last name"
    if date_of_birth is None:
        errors["date_of_birth"] = "Enter the child's date of birth"
    if errors:
        raise InvalidInput(errors)
    full_name = f"{given_names.strip()} {family_name.strip()}"
    episodes = (
        cross_area_open_episodes(actor)
        .filter(person__date_of_birth=date_of_birth)
        .annotate(similarity=TrigramSimilarity("person__search_name", full_name))
        .filter(
            Q(similarity__gte=NAME_SIMILARITY) | Q(person__family_name__iexact=family_name.strip())
        )
        .select_related("person__area")
        .order_by("-similarity")[:5]
    )
    results = [
        Summary(
            episode_id=e.pk,
            ticket=_ticket("found", e.pk, actor),
            name=e.person.display_name,
            date_of_birth=e.person.date_of_birth,
            home_area=e.person.area.name,
            missing_since=e.started_at,
            last_seen_place=e.last_seen_place,
            police_reference=e.police_reference,
        )
        for e in episodes
    ]
    audit.record(
        action="missing.cross_area_lookup",
        actor=actor,
        details={"result_person_ids": [e.person_id for e in episodes]},
    )
    return results


def _ticket(kind: str, object_id: int, actor: Actor) -> str:
    signer = signing.TimestampSigner(salt=TICKET_SALT)
    return signer.sign(f"{kind}:{object_id}:{actor.membership.pk}")


def _read_ticket(ticket: str, kind: str, actor: Actor) -> int:
    """The episode or child id in a ticket the lookup gave this user, still fresh."""
    expired = "This link has expired. Search for the child again."
    signer = signing.TimestampSigner(salt=TICKET_SALT)
    try:
        value = signer.unsign(ticket, max_age=TICKET_SECONDS)
        ticket_kind, object_id, membership_id = value.split(":")
        if ticket_kind != kind or int(membership_id) != actor.membership.pk:
            raise ValueError(expired)
        return int(object_id)
    except (signing.BadSignature, ValueError) as error:
        raise NotFoundError(expired) from error


def summary_for_ticket(*, actor: Actor, ticket: str) -> Summary:
    """The summary the lookup found, if the ticket is this user's and still fresh."""
    episode_id = _read_ticket(ticket, "found", actor)
    episode = (
        cross_area_open_episodes(actor).filter(pk=episode_id).select_related("person__area").first()
    )
    if episode is None:
        raise NotFoundError(
            "This child is no longer recorded as missing, or their episode has been closed."
        )
    audit.record(
        action="missing.cross_area_summary_viewed",
        actor=actor,
        target=episode,
        person_id=episode.person_id,
    )
    return Summary(
        episode_id=episode.pk,
        ticket=ticket,
        name=episode.person.display_name,
        date_of_birth=episode.person.date_of_birth,
        home_area=episode.person.area.name,
        missing_since=episode.started_at,
        last_seen_place=episode.last_seen_place,
        police_reference=episode.police_reference,
    )


@transaction.atomic
def record_found_in_my_area(
    *,
    actor: Actor,
    ticket: str,
    found_at: datetime,
    found_place: str,
    found_with: str = "",
    how_returned: str = "",
    harm_noticed: str = "",
) -> MissingEpisode:
    """Close another area's open episode as found in the actor's area, create the
    Return Home Interview (the home area's task) and alert the home area."""
    summary = summary_for_ticket(actor=actor, ticket=ticket)
    episode = (
        cross_area_open_episodes(actor)
        .select_for_update()
        .filter(pk=summary.episode_id)
        .select_related("person")
        .first()
    )
    if episode is None:
        raise NotFoundError("This child's episode has already been closed.")
    errors: dict[str, str] = {}
    if found_at > timezone.now():
        errors["found_at"] = "The time they were found must be now or in the past"
    elif found_at < episode.started_at:
        errors["found_at"] = "The time they were found must be after the time they were last seen"
    if not found_place.strip():
        errors["found_place"] = "Enter where they were found"
    for name, value in (("found_place", found_place), ("found_with", found_with)):
        if len(value) > 300:
            errors[name] = "Keep this to 300 characters or fewer"
    if errors:
        raise InvalidInput(errors)
    episode.ended_at = found_at
    episode.found_place = " ".join(found_place.split())
    episode.found_with = " ".join(found_with.split())
    episode.how_returned = " ".join(how_returned.split())[:300]
    episode.harm_noticed = harm_noticed.strip()[:5000]
    episode.found_out_of_area = True
    episode.found_area = actor.area
    episode.found_area_name = actor.area.name
    episode.version += 1
    episode.save()
    ReturnHomeInterview.objects.create(episode=episode, due_at=deadlines.rhi_due_at(found_at))
    audit.record(
        action="missing.found_in_other_area",
        actor=actor,
        target=episode,
        person_id=episode.person_id,
    )
    alert_if_found_elsewhere(episode)
    return episode


# --- Children of other areas placed here ------------------------------------------------


@dataclass(frozen=True)
class PlacedChild:
    """All a user of the placement's area is shown about a child placed there."""

    person_id: int
    ticket: str
    name: str
    date_of_birth: date | None
    home_area: str
    placement: str


def find_placed_children(
    *, actor: Actor, given_names: str, family_name: str, date_of_birth: date | None
) -> list[PlacedChild]:
    """Children of other areas placed with an agency in the actor's area, with this exact
    date of birth and a name like this one, and not missing already."""
    if not can(actor, Capability.RECORD_MISSING_EPISODES):
        raise PermissionDeniedError("Your role cannot record missing episodes.")
    if date_of_birth is None or not family_name.strip() or not given_names.strip():
        return []
    full_name = f"{given_names.strip()} {family_name.strip()}"
    persons = (
        placed_in_my_area(actor)
        .filter(date_of_birth=date_of_birth)
        .annotate(similarity=TrigramSimilarity("search_name", full_name))
        .filter(Q(similarity__gte=NAME_SIMILARITY) | Q(family_name__iexact=family_name.strip()))
        .exclude(missing_episodes__ended_at__isnull=True, missing_episodes__isnull=False)
        .select_related("area", "placement_agency")
        .order_by("-similarity")[:5]
    )
    results = [
        PlacedChild(
            person_id=p.pk,
            ticket=_ticket("placed", p.pk, actor),
            name=p.display_name,
            date_of_birth=p.date_of_birth,
            home_area=p.area.name,
            placement=p.placement_agency.name if p.placement_agency else "",
        )
        for p in persons
    ]
    audit.record(
        action="missing.placed_lookup",
        actor=actor,
        details={"result_person_ids": [r.person_id for r in results]},
    )
    return results


def placed_child_for_ticket(*, actor: Actor, ticket: str) -> PlacedChild:
    person_id = _read_ticket(ticket, "placed", actor)
    person = (
        placed_in_my_area(actor)
        .filter(pk=person_id)
        .select_related("area", "placement_agency")
        .first()
    )
    if person is None:
        raise NotFoundError("This child is no longer placed in your area.")
    audit.record(
        action="missing.placed_summary_viewed", actor=actor, target=person, person_id=person.pk
    )
    return PlacedChild(
        person_id=person.pk,
        ticket=ticket,
        name=person.display_name,
        date_of_birth=person.date_of_birth,
        home_area=person.area.name,
        placement=person.placement_agency.name if person.placement_agency else "",
    )


def report_missing_from_placement(*, actor: Actor, ticket: str, data: NewEpisode) -> MissingEpisode:
    """Report a child of another area missing from their placement in the actor's area.
    The home area's coordinators are alerted at once; the reporter sees only a summary."""
    from clearsight.missing.services import create_episode

    with transaction.atomic():
        child = placed_child_for_ticket(actor=actor, ticket=ticket)
        person = placed_in_my_area(actor).select_for_update().get(pk=child.person_id)
        return create_episode(actor=actor, person=person, data=data)
