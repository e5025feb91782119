"""The network explorer's view of a neighbourhood: nodes with what they are, links with
their grading, and the analyses (path, components, who links most children,
communities), as JSON for Cytoscape.js and as rows for the i2 export."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from clearsight.access.actor import Actor
from clearsight.intel import graph, nodes, snapshot
from clearsight.intel.models import IntelligenceAssessment, LinkType, SourceEvaluation
from clearsight.intel.network import Edge, LinkFilter, Subgraph, require_intel


@dataclass(frozen=True)
class Query:
    start: nodes.Node
    depth: int = 2
    link_filter: LinkFilter = field(default_factory=LinkFilter)
    path_to: nodes.Node | None = None
    children_only: bool = False


@dataclass
class View:
    info: dict[nodes.Node, nodes.NodeInfo]
    subgraph: Subgraph
    path: list[nodes.Node]
    message: str

    def edges(self) -> list[Edge]:
        return [
            edge
            for edge in self.subgraph.edges.values()
            if edge.source in self.info and edge.target in self.info
        ]


def explore(*, actor: Actor, query: Query) -> View:
    require_intel(actor)
    cap = int(settings.CLEARSIGHT_NETWORK_MAX_NODES)
    # From the in-memory snapshot with recent links laid over it, or PostgreSQL alone
    # when there is no snapshot yet (decision 0010).
    subgraph = snapshot.neighbourhood(
        actor.area_id, query.start, query.depth, query.link_filter, cap
    )
    path: list[nodes.Node] = []
    message = ""
    if subgraph.capped:
        message = (
            f"This network has more than {cap} records within {query.depth} links, so only "
            f"the first {cap} are shown. Narrow it: fewer links deep, a shorter date range, "
            "fewer link types or a higher grading."
        )
    if query.path_to is not None:
        found = snapshot.shortest_path(actor.area_id, query.start, query.path_to, query.link_filter)
        if found is None:
            message = "No path joins these two records within 8 links with these filters."
        else:
            path, path_edges = found
            for step, node in enumerate(path):
                subgraph.distances.setdefault(node, step)
            for edge in path_edges:
                subgraph.edges[edge.id] = edge
    info = nodes.describe(actor, subgraph.distances)
    if query.children_only:
        keep = {
            node
            for node, distance in subgraph.distances.items()
            if node == query.start or (node in info and info[node].is_child)
        }
        keep |= _nodes_on_the_way(subgraph, query.start, keep)
        info = {node: value for node, value in info.items() if node in keep}
    return View(info=info, subgraph=subgraph, path=path, message=message)


def _nodes_on_the_way(
    subgraph: Subgraph, start: nodes.Node, ends: set[nodes.Node]
) -> set[nodes.Node]:
    """The middle nodes that join start to the children two links away."""
    adjacency = subgraph.adjacency()
    middle = set()
    for node in adjacency.get(start, ()):
        if adjacency.get(node, set()) & ends - {start}:
            middle.add(node)
    return middle


def as_json(view: View) -> dict[str, Any]:
    adjacency: dict[nodes.Node, set[nodes.Node]] = {node: set() for node in view.info}
    for edge in view.edges():
        adjacency[edge.source].add(edge.target)
        adjacency[edge.target].add(edge.source)
    children_linked = graph.degree_centrality(adjacency, lambda node: view.info[node].is_child)
    community_of: dict[nodes.Node, int] = {}
    for number, members in enumerate(graph.communities(adjacency) if adjacency else []):
        for node in members:
            community_of[node] = number
    components = graph.connected_components(adjacency)
    return {
        "nodes": [
            {
                "id": info.key,
                "label": info.label,
                "kind": info.kind,
                "kindLabel": info.kind_label,
                "isChild": info.is_child,
                "isDealLine": info.is_deal_line,
                "distance": view.subgraph.distances.get(node, 0),
                "childrenLinked": children_linked.get(node, 0),
                "community": community_of.get(node, 0),
                "url": info.url,
            }
            for node, info in view.info.items()
        ],
        "edges": [
            {
                "id": f"link:{edge.id}",
                "source": f"{edge.source[0]}:{edge.source[1]}",
                "target": f"{edge.target[0]}:{edge.target[1]}",
                "type": edge.link_type,
                "typeLabel": LinkType(edge.link_type).label,
                "validFrom": edge.valid_from.isoformat() if edge.valid_from else "",
                "validTo": edge.valid_to.isoformat() if edge.valid_to else "",
                "grading": edge.grading,
                "contacts": edge.contact_count,
            }
            for edge in view.edges()
        ],
        "path": [f"{kind}:{pk}" for kind, pk in view.path],
        "components": len(components),
        "capped": view.subgraph.capped,
        "message": view.message,
    }


I2_COLUMNS = (
    "Entity1_Identity",
    "Entity1_Type",
    "Entity1_Label",
    "Entity2_Identity",
    "Entity2_Type",
    "Entity2_Label",
    "Link_Type",
    "Date_From",
    "Date_To",
    "Source_Evaluation",
    "Intelligence_Assessment",
    "Handling_Code",
)


def as_i2_rows(view: View) -> list[list[str]]:
    """One row per link, each end with its identity, type and label, as i2 Analyst's
    Notebook's tabular import expects (an "entity-link-entity" import specification)."""
    rows = []
    for edge in view.edges():
        ends = [view.info[edge.source], view.info[edge.target]]
        rows.append(
            [
                *(part for end in ends for part in (end.key, end.kind_label, end.label)),
                LinkType(edge.link_type).label,
                edge.valid_from.isoformat() if edge.valid_from else "",
                edge.valid_to.isoformat() if edge.valid_to else "",
                SourceEvaluation(edge.grading[0]).label,
                IntelligenceAssessment(edge.grading[1]).label,
                edge.grading[2],
            ]
        )
    return rows
