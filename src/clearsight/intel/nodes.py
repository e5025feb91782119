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
    url: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"

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
    if kind == NodeKind.PERSON:
        persons = visible_persons(actor).filter(pk__in=ids) if may_view_intel(actor) else []
        return [
            NodeInfo(
                kind, p.pk, p.display_name, is_child=p.is_child, url=_url("people:detail", p.pk)
            )
            for p in persons
        ]
    if kind == NodeKind.PHONE:
        return [
            NodeInfo(
                kind,
                p.pk,
                str(p),
                is_deal_line=p.is_deal_line,
                url=_url("intel:entity", p.pk, "phone"),
            )
            for p in visible_intel(actor, PhoneNumber).filter(pk__in=ids)
        ]
    if kind == NodeKind.ADDRESS:
        return [
            NodeInfo(
                kind,
                a.pk,
                str(a),
                is_cuckooing_concern=a.is_cuckooing_concern,
                url=_url("intel:entity", a.pk, "address"),
            )
            for a in visible_intel(actor, IntelAddress).filter(pk__in=ids)
        ]
    if kind == NodeKind.VEHICLE:
        return [
            NodeInfo(kind, v.pk, str(v), url=_url("intel:entity", v.pk, "vehicle"))
            for v in visible_intel(actor, Vehicle).filter(pk__in=ids)
        ]
    if kind == NodeKind.GROUP:
        return [
            NodeInfo(kind, g.pk, g.name, url=_url("intel:entity", g.pk, "group"))
            for g in visible_intel(actor, IntelGroup).filter(pk__in=ids)
        ]
    if kind == NodeKind.LOCATION:
        return [
            NodeInfo(kind, loc.pk, loc.name, url=_url("contexts:location", loc.pk))
            for loc in visible_locations(actor).filter(pk__in=ids)
        ]
    return [
        NodeInfo(kind, g.pk, g.name, url=_url("contexts:peer-group", g.pk))
        for g in visible_peer_groups(actor).filter(pk__in=ids)
    ]


def _url(name: str, pk: int, kind: str = "") -> str:
    if kind:
        return reverse(name, kwargs={"kind": kind, "pk": pk})
    return reverse(name, kwargs={"pk": pk})


def exists(actor: Actor, node: Node) -> bool:
    return node in describe(actor, [node])
