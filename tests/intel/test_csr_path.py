"""The compiled shortest path (intel/_pathfind.c) against the plain breadth-first search
of intel.graph on random small graphs: the snapshot and a graph of recent links laid
over it, hidden links, every filter, and the depth and size limits. No database."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from clearsight.intel import _pathfind, csr, graph

KIND = 1  # every node a person: keys differ only in their record id


def _key(number: int) -> int:
    return csr.node_key(KIND, number + 1)


NODES = 10
link = st.tuples(
    st.integers(0, NODES - 1),  # from
    st.integers(0, NODES - 1),  # to
    st.sampled_from([7, 7, 7, 8]),  # area
    st.integers(1, 12),  # link type
    st.integers(0, 30),  # valid from (day)
    st.integers(0, 30),  # length in days
    st.integers(1, 3),  # source evaluation
    st.integers(1, 5),  # intelligence assessment
)


def _graph(links: list[tuple[int, ...]], first_id: int) -> csr.Graph:
    links = [row for row in links if row[0] != row[1]]
    columns: dict[str, list[int]] = {name: [] for name in csr.EDGE_COLUMNS}
    for number, (a, b, area, kind, start, length, evaluation, assessment) in enumerate(links):
        for name, value in (
            ("link_id", first_id + number),
            ("area", area),
            ("from_key", _key(a)),
            ("to_key", _key(b)),
            ("link_type", kind),
            ("valid_from", start),
            ("valid_to", start + length),
            ("evaluation", evaluation),
            ("assessment", assessment),
            ("handling", ord("P")),
            ("contact_count", 1),
        ):
            columns[name].append(value)
    return csr.Graph.build(
        {name: np.array(values, csr.EDGE_COLUMNS[name]) for name, values in columns.items()}
    )


def _passes(g: csr.Graph, row: int, f: csr.EdgeFilter, hidden: set[int], first: bool) -> bool:
    e = {name: int(values[row]) for name, values in g.edges.items()}
    return (
        e["area"] == f.area
        and (not f.link_types or e["link_type"] in f.link_types)
        and (f.since_day is None or e["valid_to"] >= f.since_day)
        and (f.until_day is None or e["valid_from"] <= f.until_day)
        and e["evaluation"] <= f.worst_evaluation
        and e["assessment"] <= f.worst_assessment
        and not (first and e["link_id"] in hidden)
    )


filters = st.builds(
    csr.EdgeFilter,
    area=st.just(7),
    link_types=st.just(()) | st.lists(st.integers(1, 12), min_size=4, max_size=10).map(tuple),
    since_day=st.none() | st.integers(0, 40),
    until_day=st.none() | st.integers(0, 40),
    worst_evaluation=st.sampled_from([3, 3, 2, 1]),
    worst_assessment=st.sampled_from([5, 5, 4, 3, 2]),
)


@settings(max_examples=300, deadline=None)
@given(
    old=st.lists(link, min_size=8, max_size=40),
    new=st.lists(link, max_size=8),
    hide=st.sets(st.integers(1, 40), max_size=6),
    link_filter=filters,
    ends=st.tuples(st.integers(0, NODES - 1), st.integers(0, NODES - 1)),
)
def test_the_compiled_path_is_a_shortest_path(
    old: list[tuple[int, ...]],
    new: list[tuple[int, ...]],
    hide: set[int],
    link_filter: csr.EdgeFilter,
    ends: tuple[int, int],
) -> None:
    snapshot, recent = _graph(old, first_id=1), _graph(new, first_id=1_000)
    hidden = np.array(sorted(hide), np.int64)
    layered = csr.Layered([snapshot, recent], hidden)
    usable = [
        (int(g.edges["from_key"][row]), int(g.edges["to_key"][row]))
        for number, g in enumerate(layered.graphs)
        for row in range(g.links)
        if _passes(g, row, link_filter, set(hide), number == 0)
    ]
    source, target = _key(ends[0]), _key(ends[1])
    expected = graph.shortest_path(graph.undirected(usable), source, target)
    found = csr.shortest_path(layered, source, target, link_filter, max_depth=30)
    if source == target:
        assert found == ([source], [])
        return
    event("a path" if expected else "no path")
    if expected:
        event(f"{len(expected) - 1} links")
    assert (found is None) == (expected is None)
    if found is None or expected is None:
        return
    path, hits = found
    assert len(path) == len(expected) and path[0] == source and path[-1] == target
    for hit, (here, there) in zip(hits, itertools.pairwise(path), strict=True):
        g = layered.graphs[hit.graph]
        assert {int(g.edges["from_key"][hit.row]), int(g.edges["to_key"][hit.row])} == {
            here,
            there,
        }
        assert _passes(g, hit.row, link_filter, set(hide), hit.graph == 0)


def _chain(length: int) -> csr.Layered:
    links = [(n, n + 1, 7, 1, 0, 10, 1, 1) for n in range(length)]
    return csr.Layered([_graph(links, first_id=1)], np.zeros(0, np.int64))


def test_a_path_longer_than_the_depth_limit_is_not_found() -> None:
    chain = _chain(10)
    f = csr.EdgeFilter(area=7)
    assert csr.shortest_path(chain, _key(0), _key(8), f, max_depth=8) is not None
    assert csr.shortest_path(chain, _key(0), _key(9), f, max_depth=8) is None


def test_the_search_stops_after_visiting_max_visited_nodes() -> None:
    # Two stars of 50 leaves, around nodes 0 and 60, joined leaf to leaf: both sides
    # must grow a whole star before they meet.
    links = [(hub, hub + leaf, 7, 1, 0, 10, 1, 1) for hub in (0, 60) for leaf in range(1, 51)]
    stars = csr.Layered([_graph([*links, (50, 110, 7, 1, 0, 10, 1, 1)], 1)], np.zeros(0, np.int64))
    f = csr.EdgeFilter(area=7)
    found = csr.shortest_path(stars, _key(0), _key(60), f, max_visited=200)
    assert found is not None and found[0] == [_key(0), _key(50), _key(110), _key(60)]
    assert csr.shortest_path(stars, _key(0), _key(60), f, max_visited=40) is None


def test_the_side_with_fewer_links_grows_first() -> None:
    # A hub of 50 leaves and a chain of three beyond one leaf: only the chain's side
    # grows until it reaches the hub, so the search visits 6 nodes, not 50.
    links = [(0, leaf, 7, 1, 0, 10, 1, 1) for leaf in range(1, 51)]
    links += [(50, 60, 7, 1, 0, 10, 1, 1), (60, 61, 7, 1, 0, 10, 1, 1)]
    hub = csr.Layered([_graph(links, first_id=1)], np.zeros(0, np.int64))
    f = csr.EdgeFilter(area=7)
    found = csr.shortest_path(hub, _key(61), _key(0), f, max_visited=6)
    assert found is not None and found[0] == [_key(61), _key(60), _key(50), _key(0)]


def test_a_node_missing_from_every_graph_has_no_path() -> None:
    f = csr.EdgeFilter(area=7)
    assert csr.shortest_path(_chain(3), _key(0), _key(99), f) is None


def test_arrays_of_the_wrong_type_or_length_are_refused() -> None:
    arrays = _chain(3).graphs[0].c_arrays
    wrong_type = (arrays[0].astype(np.int32), *arrays[1:])
    with pytest.raises(TypeError, match="node_keys must have 8-byte items"):
        _pathfind.shortest_path((wrong_type,), np.zeros(0, np.int64), 1, 2, 7, 0, 0, 0, 3, 5, 8, 9)
    short = (*arrays[:5], arrays[5][:1], *arrays[6:])
    with pytest.raises(ValueError, match="matching lengths"):
        _pathfind.shortest_path((short,), np.zeros(0, np.int64), 1, 2, 7, 0, 0, 0, 3, 5, 8, 9)
    with pytest.raises(ValueError, match="positive"):
        _pathfind.shortest_path((arrays,), np.zeros(0, np.int64), 0, 2, 7, 0, 0, 0, 3, 5, 8, 9)
