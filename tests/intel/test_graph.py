from __future__ import annotations

from clearsight.intel import graph

# Two triangles joined by a bridge (c-d), and an island pair (x-y).
EDGES = [
    ("a", "b"),
    ("b", "c"),
    ("a", "c"),
    ("c", "d"),
    ("d", "e"),
    ("e", "f"),
    ("d", "f"),
    ("x", "y"),
]
ADJ = graph.undirected(EDGES)


def test_the_neighbourhood_gives_each_node_its_distance() -> None:
    assert graph.neighbourhood(ADJ, "a", 2) == {"a": 0, "b": 1, "c": 1, "d": 2}


def test_the_shortest_path_crosses_the_bridge() -> None:
    path = graph.shortest_path(ADJ, "a", "f")
    assert path is not None and len(path) == 4
    assert path[0] == "a" and path[-1] == "f" and "c" in path and "d" in path


def test_there_is_no_path_to_an_island() -> None:
    assert graph.shortest_path(ADJ, "a", "x") is None
    assert graph.shortest_path(ADJ, "a", "a") == ["a"]


def test_components_are_found_largest_first() -> None:
    assert graph.connected_components(ADJ) == [{"a", "b", "c", "d", "e", "f"}, {"x", "y"}]


def test_centrality_counts_only_the_children_when_asked() -> None:
    children = {"b", "c", "e"}
    central = graph.degree_centrality(ADJ, lambda node: node in children)
    assert central["a"] == 2 and central["d"] == 2 and central["x"] == 0


def test_children_within_two_links_of_a_deal_line() -> None:
    assert graph.within(ADJ, "d", 2, lambda node: node in {"a", "e", "x"}) == {"a": 2, "e": 1}


def test_self_pairs_never_become_links() -> None:
    assert graph.undirected([("a", "a")]) == {}


def test_communities_split_the_two_triangles() -> None:
    found = graph.communities(ADJ)
    as_sets = [frozenset(c) for c in found]
    assert frozenset({"a", "b", "c"}) in as_sets
    assert frozenset({"d", "e", "f"}) in as_sets
    assert frozenset({"x", "y"}) in as_sets
