"""Reads of person records. Every query starts from ``access.policy.visible_persons``,
so results only ever include people the actor may see."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import (
    BigIntegerField,
    Exists,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Concat, Greatest, Lower, Upper

from clearsight.access.actor import Actor
from clearsight.access.policy import visible_persons, visible_persons_with_basis
from clearsight.areas.models import Agency
from clearsight.core.related_rows import attach, related_rows
from clearsight.people import identifiers as ids
from clearsight.people.choices import IdentifierKind
from clearsight.people.models import (
    Address,
    Person,
    PersonAlias,
    PersonIdentifier,
    Phone,
    TeamMember,
)

if TYPE_CHECKING:
    pass

# Similarity (0-1) above which a name counts as a likely match; pg_trgm's own default is 0.3.
NAME_SIMILARITY = 0.35


@dataclass(frozen=True)
class SearchCriteria:
    text: str = ""
    date_of_birth: date | None = None
    identifier: str = ""
    postcode: str = ""

    @property
    def is_empty(self) -> bool:
        return not (
            self.text.strip()
            or self.date_of_birth
            or self.identifier.strip()
            or self.postcode.strip()
        )


def _with_details(queryset: QuerySet[Person]) -> QuerySet[Person]:
    return queryset.select_related("school", "placement_agency").prefetch_related(
        "identifiers",
        Prefetch("addresses", queryset=Address.objects.order_by("-from_on", "-pk")),
        "aliases",
    )


def _matching_persons(*, actor: Actor, criteria: SearchCriteria) -> QuerySet[Person]:
    """Fuzzy name search (pg_trgm, names and aliases), date of birth, any identifier,
    postcode; best matches first."""
    queryset = visible_persons(actor)
    text = " ".join(criteria.text.lower().split())
    if text:
        # Each branch is answered from its own trigram index (an OR of the conditions in
        # one WHERE would make PostgreSQL compute similarity for every row instead), and
        # their union leads the query, so only the persons found are read, not the whole
        # area. search_name is stored lower-cased, so a plain LIKE finds part of a name
        # through the same trigram index (ILIKE on UPPER() could not use it). The area is
        # compared as a bigint: btree_gin's int8_ops has no bigint = integer operator, so
        # with a plain integer the index read the name's matches in every area and
        # PostgreSQL combined them with the area's btree index (national, busiest area:
        # about 29 to 6 ms a search).
        area = Cast(Value(actor.area_id), BigIntegerField())
        in_area = Person.objects.filter(area_id=area)
        by_name = in_area.filter(search_name__trigram_similar=text).order_by().values("pk")
        by_part = in_area.filter(search_name__contains=text).order_by().values("pk")
        by_alias = (
            PersonAlias.objects.filter(person__area_id=actor.area_id)
            .annotate(lower_name=Lower("name"))
            .filter(lower_name__trigram_similar=text)
            .values("person_id")
        )
        queryset = queryset.filter(pk__in=by_name.union(by_part, by_alias)).annotate(
            similarity=Greatest(
                TrigramSimilarity("search_name", text), TrigramSimilarity("family_name", text)
            )
        )
    if criteria.date_of_birth:
        queryset = queryset.filter(date_of_birth=criteria.date_of_birth)
    if criteria.identifier.strip():
        value = criteria.identifier.strip().upper().replace(" ", "")
        queryset = queryset.filter(
            pk__in=PersonIdentifier.objects.annotate(upper_value=Upper("value"))
            .filter(upper_value=value)
            .values("person_id")
        )
    if criteria.postcode.strip():
        postcode = criteria.postcode.strip().upper()
        with contextlib.suppress(ids.IdentifierError):
            postcode = ids.normalise_postcode(postcode)
        queryset = queryset.filter(
            Exists(Address.objects.filter(person=OuterRef("pk"), postcode=postcode))
        )
    order = (
        ["-similarity", "family_name", "given_names"] if text else ["family_name", "given_names"]
    )
    return queryset.order_by(*order)


def search_persons(*, actor: Actor, criteria: SearchCriteria, limit: int = 50) -> list[Person]:
    """The matching people's whole records, best matches first (for the API)."""
    if criteria.is_empty:
        return []
    matching = _matching_persons(actor=actor, criteria=criteria)
    return list(_with_details(matching).prefetch_related("phones")[:limit])


@dataclass(frozen=True)
class PersonFound:
    """One row of the search page, as it shows it."""

    pk: int
    name: str
    is_child: bool
    date_of_birth: date | None
    date_of_birth_is_approximate: bool
    postcode: str
    identifiers: list[str]


def search_results(*, actor: Actor, criteria: SearchCriteria, limit: int = 50) -> list[PersonFound]:
    """The search page's rows, best matches first, in one query: only the columns shown,
    with the postcode of the latest address and the identifiers read alongside each
    person, not every address, other name and phone of every result."""
    if criteria.is_empty:
        return []
    latest_postcode = Address.objects.filter(person=OuterRef("pk")).order_by("-from_on", "-pk")
    # "kind value": the kind is a choice code without spaces.
    identifiers = (
        PersonIdentifier.objects.filter(person=OuterRef("pk"))
        .order_by("pk")
        .values_list(Concat("kind", Value(" "), "value"))
    )
    people = (
        _matching_persons(actor=actor, criteria=criteria)
        .only(
            "kind",
            "given_names",
            "family_name",
            "preferred_name",
            "date_of_birth",
            "date_of_birth_is_approximate",
        )
        .annotate(
            postcode=Subquery(latest_postcode.values("postcode")[:1]),
            identifier_list=ArraySubquery(identifiers),
        )[:limit]
    )
    kinds = dict(IdentifierKind.choices)
    return [
        PersonFound(
            pk=person.pk,
            name=person.display_name,
            is_child=person.is_child,
            date_of_birth=person.date_of_birth,
            date_of_birth_is_approximate=person.date_of_birth_is_approximate,
            postcode=person.postcode or "",
            identifiers=[_labelled(identifier, kinds) for identifier in person.identifier_list],
        )
        for person in people
    ]


def _labelled(identifier: str, kinds: dict[str, str]) -> str:
    kind, _, value = identifier.partition(" ")
    return f"{kinds.get(kind, kind)} {value}"


def all_visible(*, actor: Actor) -> QuerySet[Person]:
    """Everyone the actor may see, in name order, with their details (for paged lists)."""
    return (
        _with_details(visible_persons(actor))
        .prefetch_related("phones")
        .order_by("family_name", "given_names", "pk")
    )


@dataclass(frozen=True)
class Match:
    person: Person
    reasons: list[str]


def likely_matches(
    *,
    actor: Actor,
    given_names: str,
    family_name: str,
    date_of_birth: date | None = None,
    phone: str = "",
    identifier_values: tuple[str, ...] = (),
    limit: int = 10,
) -> list[Match]:
    """People the actor may see who could be the person about to be created, each with
    the reasons they match, so the user can pick one instead of making a duplicate."""
    name = " ".join(f"{given_names} {family_name}".lower().split())
    conditions = Q(similarity__gte=NAME_SIMILARITY)
    if date_of_birth:
        conditions |= Q(date_of_birth=date_of_birth)
        if date_of_birth.day <= 12 and date_of_birth.day != date_of_birth.month:
            conditions |= Q(date_of_birth=_swap_day_month(date_of_birth))
    if phone:
        conditions |= Q(Exists(Phone.objects.filter(person=OuterRef("pk"), number=phone)))
    if identifier_values:
        conditions |= Q(
            Exists(
                PersonIdentifier.objects.filter(person=OuterRef("pk"), value__in=identifier_values)
            )
        )
    candidates = (
        visible_persons(actor)
        .annotate(similarity=TrigramSimilarity("search_name", name))
        .filter(conditions)
        .prefetch_related("phones", "identifiers")
        .order_by("-similarity")[: limit * 3]
    )
    matches = []
    for person in candidates:
        reasons = _reasons(person, name, date_of_birth, phone, identifier_values)
        if reasons:
            matches.append(Match(person=person, reasons=reasons))
    matches.sort(key=lambda m: (-len(m.reasons), -float(m.person.similarity)))  # type: ignore[attr-defined]
    return matches[:limit]


def _swap_day_month(day: date) -> date:
    return date(day.year, day.day, day.month)


def _reasons(
    person: Person, name: str, born: date | None, phone: str, identifier_values: tuple[str, ...]
) -> list[str]:
    reasons = []
    for identifier in person.identifiers.all():
        if identifier.value in identifier_values:
            reasons.append(f"Same {identifier.get_kind_display()}")
    if born and person.date_of_birth == born:
        reasons.append("Same date of birth")
    elif born and person.date_of_birth and person.date_of_birth == _swap_day_month(born):
        reasons.append("Date of birth with the day and month swapped")
    similarity = float(person.similarity)  # type: ignore[attr-defined]
    if similarity >= 0.99:
        reasons.append("Same name")
    elif similarity >= NAME_SIMILARITY:
        reasons.append(f"Similar name ({round(similarity * 100)}% alike)")
    if phone and any(p.number == phone for p in person.phones.all()):
        reasons.append("Same phone number")
    return reasons


# The person's lists the child page shows: the related model, and the order the page
# shows them in. Read in the same query as the person (core.related_rows), not one
# prefetch query each.
_PERSON_LISTS: dict[str, tuple[type[Model], tuple[str, ...]]] = {
    "identifiers": (PersonIdentifier, ("pk",)),
    "addresses": (Address, ("-from_on", "-pk")),
    "aliases": (PersonAlias, ("pk",)),
    "phones": (Phone, ("pk",)),
    "known_to": (Agency, ("name", "pk")),
}


def person_for_actor(*, actor: Actor, pk: int) -> Person | None:
    """The person if the actor may see them, with everything the child page shows, in
    one query."""
    lists = {
        f"{name}_rows": related_rows(Person, name, order)
        for name, (_, order) in _PERSON_LISTS.items()
    }
    person = (
        visible_persons_with_basis(actor)
        .select_related("school", "placement_agency", "created_by")
        .annotate(**lists)
        .filter(pk=pk)
        .first()
    )
    if person is not None:
        for name, (model, _) in _PERSON_LISTS.items():
            attach(person, name, model, getattr(person, f"{name}_rows"))
    return person


def person_in_area(*, actor: Actor, pk: int) -> Person | None:
    """A person of the actor's area whether or not they may see them: used only to offer
    break-glass access, never to show the record."""
    return (
        Person.objects.live()
        .filter(pk=pk, area_id=actor.area_id)
        .only("pk", "area_id", "deleted_at")
        .first()
    )


# What the child page shows of the team and its history: not the members' whole
# accounts (a password hash has no place on a page).
_TEAM_COLUMNS = (
    "person_id",
    "reason",
    "added_at",
    "ends_on",
    "ended_at",
    "membership__role",
    "membership__user__full_name",
    "membership__agency__name",
)


def team_history(*, actor: Actor, person: Person) -> list[TeamMember]:
    """Everyone who is or has been on the team around the person, first added first."""
    return list(
        TeamMember.objects.filter(person=person)
        .select_related("membership__user", "membership__agency")
        .only(*_TEAM_COLUMNS)
        .order_by("added_at", "pk")
    )


def team_around(
    *, actor: Actor, person: Person, history: list[TeamMember] | None = None
) -> list[TeamMember]:
    """The current team, from the team's history when the page has read it already."""
    members = team_history(actor=actor, person=person) if history is None else history
    return [member for member in members if member.ended_at is None]


def team_candidates(*, actor: Actor, person: Person) -> list[tuple[int, str]]:
    """Current roles in the person's area that may see children's records, for the
    "add to the team" list (not personal data about the child). Plain rows: a large
    area has hundreds of staff, and the list is on every child page a team member sees."""
    from clearsight.access.roles import ROLE_CAPABILITIES, ROLE_CHOICES, Capability
    from clearsight.areas.models import Membership

    # NOT EXISTS, not NOT IN: PostgreSQL then starts from the area's few agencies and
    # their staff by index instead of reading every membership in the country (national:
    # about 2 to 0.3 ms).
    on_team = TeamMember.objects.filter(
        person=person, ended_at__isnull=True, membership=OuterRef("pk")
    )
    may_see = [
        role.value for role, can in ROLE_CAPABILITIES.items() if Capability.VIEW_CHILDREN in can
    ]
    rows = (
        Membership.objects.current()
        .filter(agency__area_id=person.area_id, user__is_active=True, role__in=may_see)
        .exclude(Exists(on_team))
        .order_by("user__full_name", "pk")
        .values_list("pk", "user__full_name", "role", "agency__name")
    )
    role_names = dict(ROLE_CHOICES)
    return [
        (pk, f"{name}: {role_names.get(role, role)}, {agency}") for pk, name, role, agency in rows
    ]


def placement_agencies() -> list[tuple[int, str]]:
    """Agencies that can run a child's placement, in any area (placements are often out
    of area); agencies, not personal data."""
    from clearsight.people.services import PLACEMENT_AGENCY_TYPES

    agencies = (
        Agency.objects.filter(agency_type__in=PLACEMENT_AGENCY_TYPES, is_active=True)
        .select_related("area")
        .order_by("area__name", "name")
    )
    return [(a.pk, f"{a.name} ({a.area.name})") for a in agencies]


def area_schools(*, person: Person) -> list[tuple[int, str]]:
    """Schools of the person's area, for the school field (agencies, not personal data)."""
    schools = Agency.objects.filter(area_id=person.area_id, agency_type="school", is_active=True)
    return [(school.pk, school.name) for school in schools.order_by("name")]
