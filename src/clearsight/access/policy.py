"""The one place that decides who may see or do what.

Views ask ``can(actor, ...)``; selectors scope their querysets with the ``visible_*``
functions here. Later modules add their object-level rules beside these.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, TypeVar

from django.db.models import Exists, IntegerField, Model, OuterRef, Q, QuerySet, Value
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.roles import Capability, Role

_IntelModel = TypeVar("_IntelModel", bound=Model)

if TYPE_CHECKING:
    from clearsight.accounts.models import User
    from clearsight.areas.models import Agency, Membership
    from clearsight.concerns.models import Concern, HelplineContact
    from clearsight.contexts.models import Location, PeerGroup
    from clearsight.intel.models import Link
    from clearsight.missing.models import MissingEpisode
    from clearsight.people.models import Person, TeamMember

# Roles that see every person of their area: triage and MACE work across all children of
# the area, and police roles hold the police parts of every record.
AREA_WIDE_ROLES = frozenset(
    {
        Role.TRIAGE_OFFICER,
        Role.MACE_COORDINATOR,
        Role.MISSING_COORDINATOR,
        Role.POLICE_OFFICER,
        Role.INTELLIGENCE_ANALYST,
    }
)
BREAK_GLASS_HOURS = 24


def can(actor: Actor | None, capability: Capability) -> bool:
    return actor is not None and actor.can(capability)


def manageable_users(actor: Actor) -> QuerySet[User]:
    """Users an area administrator may manage: those with a membership in their area."""
    from clearsight.accounts.models import User

    if not can(actor, Capability.MANAGE_USERS):
        return User.objects.none()
    return User.objects.filter(memberships__agency__area_id=actor.area_id).distinct()


def assignable_agencies(actor: Actor) -> QuerySet[Agency]:
    """Agencies an area administrator may give roles in: those of their own area."""
    from clearsight.areas.models import Agency

    if not can(actor, Capability.MANAGE_USERS):
        return Agency.objects.none()
    return Agency.objects.filter(area_id=actor.area_id, is_active=True).order_by("name")


def can_manage_user(actor: Actor, user: User) -> bool:
    return manageable_users(actor).filter(pk=user.pk).exists()


# --- Persons -------------------------------------------------------------------------


def current_team_places(actor: Actor) -> QuerySet[TeamMember]:
    """The actor's membership's places on teams around people, not ended and not past
    their end date: the need-to-know basis."""
    from clearsight.people.models import TeamMember

    return TeamMember.objects.filter(membership=actor.membership, ended_at__isnull=True).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate())
    )


def _on_team(actor: Actor) -> Exists:
    return Exists(current_team_places(actor).filter(person=OuterRef("pk")))


def _break_glass_clause(actor: Actor) -> Q:
    from clearsight.access.models import BreakGlassAccess

    grants = BreakGlassAccess.objects.filter(
        person=OuterRef("pk"), membership=actor.membership, expires_at__gt=timezone.now()
    )
    return Q(Exists(grants))


def visible_persons(actor: Actor | None) -> QuerySet[Person]:
    """Every person the actor may see, and nothing else. All reads of persons start here."""
    from clearsight.people.models import Person

    if actor is None or not can(actor, Capability.VIEW_CHILDREN):
        return Person.objects.none()
    in_area = Person.objects.live().filter(area_id=actor.area_id)
    if actor.role in AREA_WIDE_ROLES:
        return in_area
    return in_area.filter(Q(_on_team(actor)) | _break_glass_clause(actor))


def visible_persons_with_basis(actor: Actor | None) -> QuerySet[Person]:
    """visible_persons, each person read with whether the actor is on their team, so that
    the checks a page makes next (why_visible, can_edit_person and the statutory defence
    flag) answer without a query each. The membership the fact was read for is read with
    it, and a check uses it only for that membership."""
    persons = visible_persons(actor)
    if actor is None or not can(actor, Capability.VIEW_CHILDREN):
        return persons
    return persons.annotate(
        actor_on_team=_on_team(actor),
        basis_membership_id=Value(actor.membership.pk, output_field=IntegerField()),
    )


def known_on_team(actor: Actor, person: Person) -> bool | None:
    """Whether the actor is on the person's team, when the person was read through
    visible_persons_with_basis for the actor's membership (so is visible to them); None
    when it was not, and the caller must ask the database."""
    if getattr(person, "basis_membership_id", None) != actor.membership.pk:
        return None
    return bool(person.actor_on_team)  # type: ignore[attr-defined]


def rows_of_person(actor: Actor | None, person: Person, via: str = "person") -> Q:
    """The filter that keeps a query to one person's rows (``via`` names the path to the
    person, "episode__person" say), and to none unless the actor may see the person.
    A person read through visible_persons_with_basis for the actor's membership has been
    checked already: then by the person's id alone, without visible_persons again as a
    subquery of every query the page makes about them."""
    by_id = Q(**{f"{via}_id": person.pk})
    if actor is not None and known_on_team(actor, person) is not None:
        return by_id
    return by_id & Q(**{f"{via}__in": visible_persons(actor)})


def why_visible(actor: Actor, person: Person) -> str | None:
    """The need-to-know basis on which the actor sees this person, or None."""
    on_team = known_on_team(actor, person)
    if on_team is None:
        on_team = (
            visible_persons(actor)
            .filter(pk=person.pk)
            .annotate(on_team=_on_team(actor))
            .values_list("on_team", flat=True)
            .first()
        )
    if on_team is None:
        return None
    if actor.role in AREA_WIDE_ROLES:
        return f"{actor.role.label} in {actor.area.name}"
    return "Member of the team around this person" if on_team else "Emergency (break-glass) access"


def may_break_glass(actor: Actor, person: Person) -> bool:
    """Front-line roles of the person's area may open a record outside their team in an
    emergency, giving a reason; administrators and DPOs may not."""
    return (
        can(actor, Capability.VIEW_CHILDREN)
        and person.area_id == actor.area_id
        and person.deleted_at is None
    )


def break_glass_expiry() -> timedelta:
    return timedelta(hours=BREAK_GLASS_HOURS)


def can_edit_person(actor: Actor, person: Person) -> bool:
    if not can(actor, Capability.RECORD_OBSERVATIONS):
        return False
    # Read through visible_persons_with_basis for this membership: visible.
    return (
        known_on_team(actor, person) is not None
        or visible_persons(actor).filter(pk=person.pk).exists()
    )


def area_staff(actor: Actor) -> QuerySet[User]:
    """Staff with a role in the actor's area, for administrators and data protection
    officers (whose audit screens filter by user)."""
    from clearsight.accounts.models import User

    if not (can(actor, Capability.MANAGE_USERS) or can(actor, Capability.VIEW_AUDIT_LOG)):
        return User.objects.none()
    return (
        User.objects.filter(memberships__agency__area_id=actor.area_id)
        .distinct()
        .order_by("full_name")
    )


def area_agencies(actor: Actor) -> QuerySet[Agency]:
    """The agencies of the actor's area: not personal data, every staff role may list them."""
    from clearsight.areas.models import Agency

    return Agency.objects.filter(area_id=actor.area_id).order_by("name")


def visible_memberships(actor: Actor) -> QuerySet[Membership]:
    """Administrators see every role in their area; everyone else sees their own."""
    from clearsight.areas.models import Membership

    memberships = Membership.objects.select_related("agency", "user").order_by(
        "agency__name", "role", "pk"
    )
    if can(actor, Capability.MANAGE_USERS):
        return memberships.filter(agency__area_id=actor.area_id)
    return memberships.filter(user=actor.user)


def importable_agencies(actor: Actor) -> QuerySet[Agency]:
    """Active agencies of the actor's area whose records the actor may import."""
    from clearsight.areas.models import Agency

    if not can(actor, Capability.IMPORT_RECORDS):
        return Agency.objects.none()
    return Agency.objects.filter(area_id=actor.area_id, is_active=True).order_by("name")


# --- Missing children from other areas ------------------------------------------------


def cross_area_open_episodes(actor: Actor | None) -> QuerySet[MissingEpisode]:
    """Open missing episodes of children from other areas. A user who records missing
    episodes may find one, by the child's name and exact date of birth, to record that
    the child was found in their area; they see only a summary, never the record."""
    from clearsight.missing.models import MissingEpisode

    if actor is None or not can(actor, Capability.RECORD_MISSING_EPISODES):
        return MissingEpisode.objects.none()
    return MissingEpisode.objects.filter(
        ended_at__isnull=True, person__deleted_at__isnull=True
    ).exclude(person__area_id=actor.area_id)


def placed_in_my_area(actor: Actor | None) -> QuerySet[Person]:
    """Children of other areas placed with an agency in the actor's area (a children's
    home, say). A user who records missing episodes may find one, by name and exact date
    of birth, to report them missing from their placement; they see only a summary."""
    from clearsight.people.models import Person

    if actor is None or not can(actor, Capability.RECORD_MISSING_EPISODES):
        return Person.objects.none()
    return (
        Person.objects.live()
        .filter(placement_agency__area_id=actor.area_id)
        .exclude(area_id=actor.area_id)
    )


def may_keep_philomena_form(actor: Actor) -> bool:
    """Those who record missing episodes or manage the child's case keep a child's
    Philomena Protocol form up to date (social workers, police, the missing children
    coordinator, case leads); anyone who may see the child may read it."""
    return can(actor, Capability.RECORD_MISSING_EPISODES) or can(actor, Capability.MANAGE_CASES)


# --- Contexts (places, peer groups, schools) ------------------------------------------


def visible_locations(actor: Actor | None) -> QuerySet[Location]:
    """Places are safeguarding information: every role that sees children sees the
    places of its area (contextual safeguarding is shared work)."""
    from clearsight.contexts.models import Location

    if actor is None or not can(actor, Capability.VIEW_CHILDREN):
        return Location.objects.none()
    return Location.objects.filter(area_id=actor.area_id)


def visible_peer_groups(actor: Actor | None) -> QuerySet[PeerGroup]:
    from clearsight.contexts.models import PeerGroup

    if actor is None or not can(actor, Capability.VIEW_CHILDREN):
        return PeerGroup.objects.none()
    return PeerGroup.objects.filter(area_id=actor.area_id)


def may_record_contexts(actor: Actor | None) -> bool:
    """Those who record signs about children record them about places and groups too;
    police and analysts add places as they find them."""
    return can(actor, Capability.RECORD_OBSERVATIONS) or can(actor, Capability.VIEW_INTELLIGENCE)


# --- Intelligence --------------------------------------------------------------------
# Intelligence about suspected exploiters is kept apart from safeguarding data about
# children: police officers and intelligence analysts of the area only. Everyone else
# may learn only that police hold information about a child, and whom to ask.


def may_view_intel(actor: Actor | None) -> bool:
    return can(actor, Capability.VIEW_INTELLIGENCE)


def visible_intel(actor: Actor | None, model: type[_IntelModel]) -> QuerySet[_IntelModel]:
    """Every intelligence record of one kind (phones, addresses, vehicles, groups, links,
    phone data imports) that the actor may see: their own area's, for intel roles only."""
    if actor is None or not may_view_intel(actor):
        return model._default_manager.none()
    return model._default_manager.filter(area_id=actor.area_id)


def visible_links(actor: Actor | None) -> QuerySet[Link]:
    from clearsight.intel.models import Link

    return visible_intel(actor, Link)


def may_review_links(actor: Actor | None) -> bool:
    """Links proposed from missing episodes, return interviews and phone data become
    fact only when an intelligence analyst accepts them."""
    return actor is not None and actor.role == Role.INTELLIGENCE_ANALYST


def may_import_phone_data(actor: Actor | None) -> bool:
    return actor is not None and actor.role == Role.INTELLIGENCE_ANALYST


# --- Risk screening: professional judgement and the indicator library -------------------


def is_manager(actor: Actor) -> bool:
    """The acting membership is line manager of at least one current membership: a
    manager approves a lower risk level than the screening's and may change the area's
    indicator library."""
    from clearsight.areas.models import Membership

    return actor.membership.ended_at is None and (
        Membership.objects.filter(line_manager=actor.membership, ended_at__isnull=True).exists()
    )


def may_override_risk(actor: Actor) -> bool:
    """Roles that manage cases, and police officers, may set a child's risk level by
    professional judgement (with a reason; lower levels need a manager's approval)."""
    return can(actor, Capability.MANAGE_CASES) or actor.role == Role.POLICE_OFFICER


def may_manage_library(actor: Actor) -> bool:
    """The MACE coordinator, who runs the area's exploitation work, and managers."""
    return can(actor, Capability.COORDINATE_MACE) or is_manager(actor)


# --- Concerns and the helpline log ---------------------------------------------------------


def visible_concerns(actor: Actor | None) -> QuerySet[Concern]:
    """Concerns are seen by the triage officers of the concern's area only (they hold
    what the reporter saw and, with consent, how to contact them)."""
    from clearsight.concerns.models import Concern

    if actor is None or not can(actor, Capability.TRIAGE_CONCERNS):
        return Concern.objects.none()
    return Concern.objects.filter(area_id=actor.area_id)


def visible_helpline_contacts(actor: Actor | None) -> QuerySet[HelplineContact]:
    """Helpline contacts are seen by the helpline workers of the agency that logged them."""
    from clearsight.concerns.models import HelplineContact

    if actor is None or not can(actor, Capability.LOG_HELPLINE_CONTACTS):
        return HelplineContact.objects.none()
    return HelplineContact.objects.filter(membership__agency_id=actor.membership.agency_id)
