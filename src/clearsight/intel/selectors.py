"""Reads of intelligence records, always scoped by the access policy, each audited by
the caller (view or API) with the ids it showed."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model, Q, QuerySet

from clearsight.access.actor import Actor
from clearsight.access.policy import known_on_team, may_view_intel, visible_intel, visible_links
from clearsight.access.roles import Role
from clearsight.areas.models import AgencyType, Membership
from clearsight.intel import nodes
from clearsight.intel.identifiers import normalise_registration
from clearsight.intel.models import (
    IntelAddress,
    IntelGroup,
    Link,
    LinkType,
    NodeKind,
    PhoneDataImport,
    PhoneNumber,
    ReviewStatus,
    Vehicle,
)
from clearsight.people.identifiers import IdentifierError, normalise_phone
from clearsight.people.models import Person

ENTITY_MODELS: dict[str, type[Model]] = {
    NodeKind.PHONE: PhoneNumber,
    NodeKind.ADDRESS: IntelAddress,
    NodeKind.VEHICLE: Vehicle,
    NodeKind.GROUP: IntelGroup,
}


def entity(*, actor: Actor, kind: str, pk: int) -> Model | None:
    model = ENTITY_MODELS.get(kind)
    if model is None:
        return None
    return visible_intel(actor, model).filter(pk=pk).first()


@dataclass(frozen=True)
class Register:
    deal_lines: list[PhoneNumber]
    other_phones: list[PhoneNumber]
    addresses: list[IntelAddress]
    vehicles: list[Vehicle]
    groups: list[IntelGroup]
    waiting_review: int

    @property
    def ids(self) -> dict[str, list[int]]:
        return {
            "phone": [p.pk for p in self.deal_lines + self.other_phones],
            "address": [a.pk for a in self.addresses],
            "vehicle": [v.pk for v in self.vehicles],
            "group": [g.pk for g in self.groups],
        }


def register(*, actor: Actor, text: str = "", limit: int = 100) -> Register:
    """The area's register, or the records matching a search (number, registration,
    postcode, line or group name)."""
    phones = visible_intel(actor, PhoneNumber)
    addresses = visible_intel(actor, IntelAddress)
    vehicles = visible_intel(actor, Vehicle)
    groups = visible_intel(actor, IntelGroup)
    text = text.strip()
    if text:
        phones = phones.filter(_phone_match(text))
        addresses = addresses.filter(
            Q(line_1__icontains=text) | Q(postcode__iexact=text) | Q(uprn=text)
        )
        vehicles = vehicles.filter(_registration_match(text))
        groups = groups.filter(name__icontains=text)
    return Register(
        deal_lines=list(phones.filter(is_deal_line=True)[:limit]),
        other_phones=list(phones.filter(is_deal_line=False)[:limit]),
        addresses=list(addresses[:limit]),
        vehicles=list(vehicles[:limit]),
        groups=list(groups[:limit]),
        waiting_review=visible_links(actor).filter(review_status=ReviewStatus.PROPOSED).count(),
    )


def _phone_match(text: str) -> Q:
    try:
        return Q(number=normalise_phone(text)) | Q(line_name__icontains=text)
    except IdentifierError:
        return Q(line_name__icontains=text)


def _registration_match(text: str) -> Q:
    try:
        return Q(registration=normalise_registration(text))
    except IdentifierError:
        return Q(pk__in=[])


@dataclass(frozen=True)
class LinkView:
    link: Link
    other: nodes.NodeInfo
    wording: str


def describe_link(link: Link, this: nodes.NodeInfo, other: nodes.NodeInfo) -> str:
    """Victim-first wording: a link that touches a child reads as a risk to the child;
    the adult suspected of exploiting is a person of concern."""
    label = LinkType(link.link_type).label.lower()
    child = this if this.is_child else other if other.is_child else None
    if child is None:
        return f"{label} {other.label}"
    if link.link_type in (LinkType.SUSPECTED_OF_EXPLOITING, LinkType.CONTROLS_LINE):
        adult = other if child is this else this
        return (
            f"Risk to {child.label}: {adult.label} (person of concern) "
            "is suspected of exploiting them"
        )
    return f"Risk to {child.label}: {label} {other.label if child is this else this.label}"


def links_of(
    *,
    actor: Actor,
    node: nodes.Node,
    statuses: tuple[str, ...] = (ReviewStatus.ACCEPTED,),
    limit: int = 500,
) -> list[LinkView]:
    """The node's newest ``limit`` links (fewer if the other end is one the actor may
    not see), each with its other end and its wording."""
    return _worded_links(
        actor=actor, node=node, links=list(_links_touching(actor, node, statuses)[:limit])
    )


def _links_touching(actor: Actor, node: nodes.Node, statuses: tuple[str, ...]) -> QuerySet[Link]:
    kind, pk = node
    return (
        visible_links(actor)
        .filter(review_status__in=statuses)
        .filter(Q(from_kind=kind, from_id=pk) | Q(to_kind=kind, to_id=pk))
        .order_by("-valid_from", "-recorded_at")
    )


def _other_end(link: Link, node: nodes.Node) -> nodes.Node:
    if (link.from_kind, link.from_id) == node:
        return link.to_kind, link.to_id
    return link.from_kind, link.from_id


def _worded_links(
    *, actor: Actor, node: nodes.Node, links: list[Link], this: nodes.NodeInfo | None = None
) -> list[LinkView]:
    """The links, in order, each with its other end and its wording; a link whose other
    end the actor may not see is left out. ``this`` describes the node itself when the
    caller has read it already (and checked the actor may see it)."""
    if not links:
        return []
    ends = [_other_end(link, node) for link in links]
    info = nodes.describe(actor, ends if this is not None else [*ends, node])
    if this is None:
        this = info.get(node)
    if this is None:
        return []
    views = []
    for link in links:
        other = info.get(_other_end(link, node))
        if other is not None:
            views.append(LinkView(link, other, describe_link(link, this, other)))
    return views


def review_queue(*, actor: Actor) -> list[tuple[Link, nodes.NodeInfo, nodes.NodeInfo]]:
    proposed = list(
        visible_links(actor)
        .filter(review_status=ReviewStatus.PROPOSED)
        .order_by("recorded_at")[:200]
    )
    info = nodes.describe(
        actor,
        [(link.from_kind, link.from_id) for link in proposed]
        + [(link.to_kind, link.to_id) for link in proposed],
    )
    return [
        (link, info[(link.from_kind, link.from_id)], info[(link.to_kind, link.to_id)])
        for link in proposed
        if (link.from_kind, link.from_id) in info and (link.to_kind, link.to_id) in info
    ]


@dataclass(frozen=True)
class PoliceHoldInformation:
    """What a non-police role may know: that police hold information relevant to the
    child's safety, and whom to contact. Never what it is."""

    agencies: list[str]
    contacts: list[str]


def police_hold_information(*, actor: Actor, person: Person) -> PoliceHoldInformation | None:
    """For roles without sight of intelligence, on a child's page they may already see:
    whether any accepted link touches the child. The query deliberately bypasses
    visible_links, and only a yes/no and the police contacts leave this function."""
    if may_view_intel(actor) or not person.is_child:
        return None
    held = Link.objects.filter(area_id=person.area_id, review_status=ReviewStatus.ACCEPTED).filter(
        Q(from_kind=NodeKind.PERSON, from_id=person.pk)
        | Q(to_kind=NodeKind.PERSON, to_id=person.pk)
    )
    if not held.exists():
        return None
    police = list(
        Membership.objects.current()
        .filter(
            agency__area_id=person.area_id,
            agency__agency_type=AgencyType.POLICE,
            role=Role.INTELLIGENCE_ANALYST.value,
        )
        .values_list("agency__name", "user__full_name", "user__email")
    )
    return PoliceHoldInformation(
        agencies=sorted({agency for agency, _, _ in police}) or ["Your police force"],
        contacts=sorted(f"{name} ({email})" for _, name, email in police),
    )


# The newest links a police role sees on a person's page.
CHILD_PAGE_LINKS = 10
# What the panel shows of a link: its ends, type and grading.
_PANEL_LINK_FIELDS = (
    "from_kind",
    "from_id",
    "to_kind",
    "to_id",
    "link_type",
    "source_evaluation",
    "intelligence_assessment",
    "handling_code",
)


def child_page_panel(*, actor: Actor, person: Person) -> dict[str, object]:
    """What the person's page shows about intelligence: the links themselves (worded as
    risk to the child) for police roles, else at most that police hold information."""
    from clearsight.contexts.selectors import contexts_of

    panel: dict[str, object] = {"contexts": contexts_of(actor=actor, person=person)}
    if may_view_intel(actor):
        views = _newest_links_shown(actor=actor, person=person)
        panel["intel_links"] = views[:CHILD_PAGE_LINKS]
        panel["more_intel_links"] = len(views) > CHILD_PAGE_LINKS
    else:
        panel["intel_links"] = None
        panel["police_hold"] = police_hold_information(actor=actor, person=person)
    return panel


def _newest_links_shown(*, actor: Actor, person: Person) -> list[LinkView]:
    """One more link than the panel shows, to know whether there are more. A few more
    links are read in case some ends are not the actor's to see (the network explorer
    shows them all); their ends are looked up only if the first ones fall short."""
    node = (NodeKind.PERSON, person.pk)
    # The person read through visible_persons_with_basis for this membership is one the
    # actor may see: described from the record in hand, not read again.
    this = (
        nodes.NodeInfo(NodeKind.PERSON, person.pk, person.display_name, is_child=person.is_child)
        if known_on_team(actor, person) is not None
        else None
    )
    wanted = CHILD_PAGE_LINKS + 1
    newest = _links_touching(actor, node, (ReviewStatus.ACCEPTED,)).only(*_PANEL_LINK_FIELDS)
    links = list(newest[: 3 * CHILD_PAGE_LINKS])
    views = _worded_links(actor=actor, node=node, links=links[:wanted], this=this)
    if len(views) < wanted < len(links):
        views = _worded_links(actor=actor, node=node, links=links, this=this)
    return views


def phone_imports(*, actor: Actor) -> QuerySet[PhoneDataImport]:
    return visible_intel(actor, PhoneDataImport).order_by("-created_at")


@dataclass(frozen=True)
class ChildInContact:
    info: nodes.NodeInfo
    number: str
    contacts: int


@dataclass(frozen=True)
class LikelyDealLineView:
    number: str
    phone: nodes.NodeInfo | None
    reasons: list[str]
    children: list[ChildInContact]


def likely_deal_lines(*, actor: Actor, phone_import: PhoneDataImport) -> list[LikelyDealLineView]:
    """An import's deal-line patterns for an analyst's review, each child named only if
    the actor may see the child."""
    found = phone_import.likely_deal_lines
    wanted: list[nodes.Node] = [(NodeKind.PHONE, line["phone_id"]) for line in found]
    wanted += [(NodeKind.PERSON, c["person_id"]) for line in found for c in line["children"]]
    info = nodes.describe(actor, wanted)
    return [
        LikelyDealLineView(
            number=line["number"],
            phone=info.get((NodeKind.PHONE, line["phone_id"])),
            reasons=line["reasons"],
            children=[
                ChildInContact(info[child], c["number"], c["contacts"])
                for c in line["children"]
                if (child := (NodeKind.PERSON, c["person_id"])) in info
            ],
        )
        for line in found
    ]
