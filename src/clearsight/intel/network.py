"""Network queries in PostgreSQL: the neighbourhood of a node and the shortest path
between two, by expanding a frontier one level at a time over the two covering indexes
on link ends (link_from_node, link_to_node). Nothing loads the whole graph: each level
is one indexed query, and the number of nodes is capped so that a query that would
return a million nodes stops early and says how to narrow it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection

from clearsight.access.actor import Actor
from clearsight.access.policy import may_view_intel
from clearsight.core.errors import PermissionDeniedError
from clearsight.intel.models import LinkType, ReviewStatus

Node = tuple[str, int]


@dataclass(frozen=True)
class LinkFilter:
    link_types: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    # 3x5x2: include sources graded up to this (1 best) and assessments up to this (A best).
    worst_source_evaluation: str = "3"
    worst_assessment: str = "E"


@dataclass(frozen=True)
class Edge:
    id: int
    source: Node
    target: Node
    link_type: str
    valid_from: date | None
    valid_to: date | None
    grading: str
    contact_count: int


@dataclass
class Subgraph:
    distances: dict[Node, int] = field(default_factory=dict)
    edges: dict[int, Edge] = field(default_factory=dict)
    capped: bool = False

    def adjacency(self) -> dict[Node, set[Node]]:
        adjacency: dict[Node, set[Node]] = {node: set() for node in self.distances}
        for edge in self.edges.values():
            if edge.source in adjacency and edge.target in adjacency:
                adjacency[edge.source].add(edge.target)
                adjacency[edge.target].add(edge.source)
        return adjacency


_COLUMNS = (
    "id, from_kind, from_id, to_kind, to_id, link_type, valid_from, valid_to, "
    "source_evaluation || intelligence_assessment || handling_code, contact_count"
)


def _filter_sql(link_filter: LinkFilter) -> tuple[str, list[Any]]:
    clauses = ["area_id = %s", "review_status = %s"]
    params: list[Any] = [ReviewStatus.ACCEPTED]
    if link_filter.link_types:
        clauses.append("link_type = ANY(%s)")
        params.append(list(link_filter.link_types))
    if link_filter.since:
        clauses.append("(valid_to IS NULL OR valid_to >= %s)")
        params.append(link_filter.since)
    if link_filter.until:
        clauses.append("(valid_from IS NULL OR valid_from <= %s)")
        params.append(link_filter.until)
    if link_filter.worst_source_evaluation < "3":
        clauses.append("source_evaluation <= %s")
        params.append(link_filter.worst_source_evaluation)
    if link_filter.worst_assessment < "E":
        clauses.append("intelligence_assessment <= %s")
        params.append(link_filter.worst_assessment)
    return " AND ".join(clauses), params


def expand(area_id: int, frontier: Iterable[Node], link_filter: LinkFilter) -> list[Edge]:
    """Every accepted link touching any frontier node, in one round trip."""
    by_kind: dict[str, list[int]] = defaultdict(list)
    for kind, pk in frontier:
        by_kind[kind].append(pk)
    if not by_kind:
        return []
    where, filter_params = _filter_sql(link_filter)
    parts: list[str] = []
    params: list[Any] = []
    for kind, ids in by_kind.items():
        for end in ("from", "to"):
            parts.append(
                f"SELECT {_COLUMNS} FROM intel_link "  # noqa: S608 - no user text in the SQL
                f"WHERE {end}_kind = %s AND {end}_id = ANY(%s) AND {where}"
            )
            params.extend([kind, ids, area_id, *filter_params])
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    return [
        Edge(row[0], (row[1], row[2]), (row[3], row[4]), row[5], row[6], row[7], row[8], row[9])
        for row in rows
    ]


def neighbourhood(
    area_id: int, start: Node, depth: int, link_filter: LinkFilter, max_nodes: int
) -> Subgraph:
    """Nodes within ``depth`` links of start and the links among them, stopping once
    ``max_nodes`` is reached (``capped`` then says so)."""
    graph = Subgraph(distances={start: 0})
    frontier = [start]
    for level in range(1, depth + 1):
        following: list[Node] = []
        for edge in expand(area_id, frontier, link_filter):
            for node in (edge.source, edge.target):
                if node not in graph.distances:
                    if len(graph.distances) >= max_nodes:
                        graph.capped = True
                        continue
                    graph.distances[node] = level
                    following.append(node)
            if edge.source in graph.distances and edge.target in graph.distances:
                graph.edges[edge.id] = edge
        if graph.capped or not following:
            break
        frontier = following
    return graph


def shortest_path(
    area_id: int,
    source: Node,
    target: Node,
    link_filter: LinkFilter,
    *,
    max_depth: int = 8,
    max_visited: int = 200_000,
) -> tuple[list[Node], list[Edge]] | None:
    """A shortest path by bidirectional search, growing the smaller frontier each
    round; None if there is none within ``max_depth`` links or ``max_visited`` nodes."""
    if source == target:
        return [source], []
    before: dict[Node, tuple[Node, Edge] | None] = {source: None}
    after: dict[Node, tuple[Node, Edge] | None] = {target: None}
    forward, backward = [source], [target]
    for _ in range(max_depth):
        if not forward or not backward or len(before) + len(after) > max_visited:
            return None
        growing_forward = len(forward) <= len(backward)
        frontier, seen, other = (
            (forward, before, after) if growing_forward else (backward, after, before)
        )
        following: list[Node] = []
        meeting: Node | None = None
        frontier_set = set(frontier)
        for edge in expand(area_id, frontier, link_filter):
            for here, there in ((edge.source, edge.target), (edge.target, edge.source)):
                if here in frontier_set and there not in seen:
                    seen[there] = (here, edge)
                    following.append(there)
                    if there in other and meeting is None:
                        meeting = there
        if meeting is not None:
            return _join(before, after, meeting)
        if growing_forward:
            forward = following
        else:
            backward = following
    return None


def _join(
    before: dict[Node, tuple[Node, Edge] | None],
    after: dict[Node, tuple[Node, Edge] | None],
    meeting: Node,
) -> tuple[list[Node], list[Edge]]:
    path: list[Node] = [meeting]
    edges: list[Edge] = []
    step = before[meeting]
    while step is not None:
        path.insert(0, step[0])
        edges.insert(0, step[1])
        step = before[step[0]]
    step = after[meeting]
    while step is not None:
        path.append(step[0])
        edges.append(step[1])
        step = after[step[0]]
    return path, edges


def require_intel(actor: Actor) -> None:
    if not may_view_intel(actor):
        raise PermissionDeniedError("Only police officers and intelligence analysts can do this.")


LINK_TYPE_LABELS = dict(LinkType.choices)
