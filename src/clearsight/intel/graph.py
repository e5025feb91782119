"""Graph algorithms for the network explorer, as plain functions over an adjacency
mapping (node -> neighbours). No Django import: the selectors load a capped subgraph
from PostgreSQL and hand it here, and the tests use small graphs with known answers.

Links are treated as undirected: who contacted whom matters to the analyst reading a
link, but reachability and "who links most children" do not depend on direction."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TypeVar

N = TypeVar("N", bound=Hashable)

Adjacency = Mapping[N, Iterable[N]]


def undirected(edges: Iterable[tuple[N, N]]) -> dict[N, set[N]]:
    """Adjacency sets from (a, b) pairs; self-pairs are dropped (links never point at
    themselves, and the database enforces it)."""
    adjacency: dict[N, set[N]] = {}
    for a, b in edges:
        if a == b:
            continue
        adjacency.setdefault(a, set()).add(b)
        adjacency.setdefault(b, set()).add(a)
    return adjacency


def neighbourhood(adjacency: Adjacency[N], start: N, depth: int) -> dict[N, int]:
    """Every node within ``depth`` links of ``start``, with its distance (start is 0)."""
    distances = {start: 0}
    frontier = [start]
    for level in range(1, depth + 1):
        following = []
        for node in frontier:
            for neighbour in adjacency.get(node, ()):
                if neighbour not in distances:
                    distances[neighbour] = level
                    following.append(neighbour)
        if not following:
            break
        frontier = following
    return distances


def shortest_path(adjacency: Adjacency[N], source: N, target: N) -> list[N] | None:
    """One shortest path from source to target (bidirectional breadth-first search),
    or None when they are not connected."""
    if source == target:
        return [source]
    parents: dict[N, N | None] = {source: None}
    children: dict[N, N | None] = {target: None}
    forward, backward = [source], [target]
    while forward and backward:
        # Grow the smaller side: the frontiers meet after far fewer visits.
        if len(forward) <= len(backward):
            forward, meeting = _grow(adjacency, forward, parents, children)
        else:
            backward, meeting = _grow(adjacency, backward, children, parents)
        if meeting is not None:
            return _join(parents, children, meeting)
    return None


def _grow(
    adjacency: Adjacency[N], frontier: list[N], seen: dict[N, N | None], other: dict[N, N | None]
) -> tuple[list[N], N | None]:
    following: list[N] = []
    for node in frontier:
        for neighbour in adjacency.get(node, ()):
            if neighbour in seen:
                continue
            seen[neighbour] = node
            if neighbour in other:
                return following, neighbour
            following.append(neighbour)
    return following, None


def _join(parents: dict[N, N | None], children: dict[N, N | None], meeting: N) -> list[N]:
    path: list[N] = []
    node: N | None = meeting
    while node is not None:
        path.append(node)
        node = parents[node]
    path.reverse()
    node = children[meeting]
    while node is not None:
        path.append(node)
        node = children[node]
    return path


def connected_components(adjacency: Adjacency[N]) -> list[set[N]]:
    """The connected components, largest first (ties in no particular order)."""
    seen: set[N] = set()
    components = []
    for start in adjacency:
        if start in seen:
            continue
        component = {start}
        queue = deque([start])
        while queue:
            for neighbour in adjacency.get(queue.popleft(), ()):
                if neighbour not in component:
                    component.add(neighbour)
                    queue.append(neighbour)
        seen |= component
        components.append(component)
    return sorted(components, key=len, reverse=True)


def degree_centrality(
    adjacency: Adjacency[N], counts: Callable[[N], bool] | None = None
) -> dict[N, int]:
    """How many neighbours of each node count (all of them, or only those for which
    ``counts`` is true: "who links most children")."""
    return {
        node: sum(1 for neighbour in neighbours if counts is None or counts(neighbour))
        for node, neighbours in adjacency.items()
    }


def within(
    adjacency: Adjacency[N], start: N, depth: int, matches: Callable[[N], bool]
) -> dict[N, int]:
    """Nodes within ``depth`` links of start for which ``matches`` is true, with their
    distance: "children within 2 links of this deal line"."""
    return {
        node: distance
        for node, distance in neighbourhood(adjacency, start, depth).items()
        if distance > 0 and matches(node)
    }


def communities(adjacency: Adjacency[N], *, seed: int = 1) -> list[set[N]]:
    """Communities by the Leiden algorithm (igraph, modularity), largest first.
    The seed makes the answer the same on every run for the same graph."""
    import random

    import igraph

    nodes = list(adjacency)
    index = {node: i for i, node in enumerate(nodes)}
    edges = {
        (min(index[a], index[b]), max(index[a], index[b]))
        for a, neighbours in adjacency.items()
        for b in neighbours
        if b in index
    }
    graph = igraph.Graph(n=len(nodes), edges=sorted(edges))
    random.seed(seed)
    igraph.set_random_number_generator(random)
    partition = graph.community_leiden(objective_function="modularity", n_iterations=-1)
    groups = [{nodes[i] for i in members} for members in partition]
    return sorted((g for g in groups if g), key=len, reverse=True)
