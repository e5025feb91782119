"""Link ends: a node is a (kind, id) pair naming a person, an intelligence entity or a
context. Resolving nodes always goes through the access policy's visible querysets."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse

from clearsight.access.actor import Actor
from clearsight.access.policy import (
    may_view_intel,
    visible_intel,
    visible_locations,
    visible_peer_groups,
    visible_persons,
)
from clearsight.core.errors import InvalidInput
from clearsight.intel.models import IntelAddress, IntelGroup, NodeKind, PhoneNumber, Vehicle

Node = tuple[str, int]


@dataclass(frozen=True)
class NodeInfo:
    kind: str
    id: int
    label: str
    is_child: bool = False
    is_deal_line: bool = False
    is_cuckooing_concern: bool = False

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def url(self) -> str:
        # Reversed when asked for: most callers show few of the nodes they describe.
        if self.kind == NodeKind.PERSON:
            return reverse("people:detail", kwargs={"pk": self.id})
        if self.kind == NodeKind.LOCATION:
            return reverse("contexts:location", kwargs={"pk": self.id})
        if self.kind == NodeKind.PEER_GROUP:
            return reverse("contexts:peer-group", kwargs={"pk": self.id})
        return reverse("intel:entity", kwargs={"kind": self.kind, "pk": self.id})

    @property
    def kind_label(self) -> str:
        if self.kind == NodeKind.PERSON:
            # Victim-first: a child in a network is a child at risk.
            return "Child at risk" if self.is_child else "Adult"
        if self.is_deal_line:
            return "Deal line"
        return NodeKind(self.kind).label


def parse_node(value: str) -> Node:
    """'phone:12' -> ("phone", 12), with a message for anything else."""
    kind, _, raw_id = value.partition(":")
    if kind not in NodeKind.values or not raw_id.isdigit():
        raise InvalidInput({"node": "Choose a person, phone, address, vehicle, group or place"})
    return kind, int(raw_id)


def describe(actor: Actor, nodes: Iterable[Node]) -> dict[Node, NodeInfo]:
    """What each node is, for the nodes the actor may see; others are left out."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for kind, pk in nodes:
        wanted[kind].add(pk)
    found: dict[Node, NodeInfo] = {}
    for kind, ids in wanted.items():
        for info in _describe_kind(actor, kind, ids):
            found[(info.kind, info.id)] = info
    return found


def _describe_kind(actor: Actor, kind: str, ids: set[int]) -> list[NodeInfo]:
    # Each query reads only the columns of the label and flags: a person's whole
    # record is many times the size of their name.
    if kind == NodeKind.PERSON:
        if not may_view_intel(actor):
            return []
        persons = visible_persons(actor).filter(pk__in=ids)
        return [
            NodeInfo(kind, p.pk, p.display_name, is_child=p.is_child)
            for p in persons.only("kind", "given_names", "family_name", "preferred_name")
        ]
    if kind == NodeKind.PHONE:
        phones = visible_intel(actor, PhoneNumber).filter(pk__in=ids)
        return [
            NodeInfo(kind, p.pk, str(p), is_deal_line=p.is_deal_line)
            for p in phones.only("number", "line_name", "is_deal_line")
        ]
    if kind == NodeKind.ADDRESS:
        addresses = visible_intel(actor, IntelAddress).filter(pk__in=ids)
        return [
            NodeInfo(kind, a.pk, str(a), is_cuckooing_concern=a.is_cuckooing_concern)
            for a in addresses.only("line_1", "postcode", "is_cuckooing_concern")
        ]
    if kind == NodeKind.VEHICLE:
        vehicles = visible_intel(actor, Vehicle).filter(pk__in=ids)
        return [NodeInfo(kind, v.pk, str(v)) for v in vehicles.only("registration")]
    if kind == NodeKind.GROUP:
        groups = visible_intel(actor, IntelGroup).filter(pk__in=ids)
        return [NodeInfo(kind, pk, name) for pk, name in groups.values_list("pk", "name")]
    if kind == NodeKind.LOCATION:
        places = visible_locations(actor).filter(pk__in=ids)
        return [NodeInfo(kind, pk, name) for pk, name in places.values_list("pk", "name")]
    peer_groups = visible_peer_groups(actor).filter(pk__in=ids)
    return [NodeInfo(kind, pk, name) for pk, name in peer_groups.values_list("pk", "name")]


def exists(actor: Actor, node: Node) -> bool:
    return node in describe(actor, [node])
