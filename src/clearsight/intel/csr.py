"""A compact in-memory link graph: compressed sparse rows (CSR) in numpy, with one array
per link attribute so that every filter the explorer offers (area, type, dates, 3x5x2
grading) is one vectorised comparison over the links a frontier touches.

No Django import. Nodes are int64 keys (kind code in the top byte, record id below), so
the same answer comes out whether a node is in the saved snapshot, in the small graph
of links changed since, or in both. Links are undirected for reachability, as in
``intel.graph``. Why this exists, and what it was measured against: decision 0010; the
shortest path is a compiled search over the same arrays (``_pathfind.c``, decision 0013)."""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from clearsight.intel import _pathfind

KIND_SHIFT = 56
NO_START = np.iinfo(np.int32).min  # a link with no valid_from started "always"
NO_END = np.iinfo(np.int32).max  # a link with no valid_to has not ended
Keys = npt.NDArray[np.int64]

# One array per link attribute, with its dtype: what a snapshot holds on disk.
EDGE_COLUMNS: dict[str, type[np.generic]] = {
    "link_id": np.int64,
    "area": np.int32,
    "from_key": np.int64,
    "to_key": np.int64,
    "link_type": np.int8,
    "valid_from": np.int32,
    "valid_to": np.int32,
    "evaluation": np.int8,
    "assessment": np.int8,
    "handling": np.int8,
    "contact_count": np.int32,
}
_GRAPH_ARRAYS = ("node_keys", "indptr", "adj_node", "adj_edge")
# The link attributes the compiled shortest path filters on, in its order.
_SEARCHED_COLUMNS = (
    "link_id",
    "area",
    "link_type",
    "valid_from",
    "valid_to",
    "evaluation",
    "assessment",
)


def node_key(kind_code: int, pk: int) -> int:
    return (kind_code << KIND_SHIFT) | pk


def split_key(key: int) -> tuple[int, int]:
    return key >> KIND_SHIFT, key & ((1 << KIND_SHIFT) - 1)


@dataclass(frozen=True)
class EdgeFilter:
    """The explorer's filters as codes: link type codes (empty: every type), dates as
    days since 1970-01-01, and the worst source evaluation (1-3) and intelligence
    assessment (1-5 for A-E) to include."""

    area: int
    link_types: tuple[int, ...] = ()
    since_day: int | None = None
    until_day: int | None = None
    worst_evaluation: int = 3
    worst_assessment: int = 5


@dataclass
class Graph:
    """Links as arrays (``edges``), and for each node its neighbours and the links that
    join them: ``adj_node[indptr[i]:indptr[i + 1]]`` and ``adj_edge[...]``."""

    edges: dict[str, np.ndarray]
    node_keys: Keys
    indptr: npt.NDArray[np.int64]
    adj_node: npt.NDArray[np.int32]
    adj_edge: npt.NDArray[np.int32]
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def links(self) -> int:
        return len(self.edges["link_id"])

    @functools.cached_property
    def c_arrays(self) -> tuple[np.ndarray, ...]:
        """The arrays the compiled search reads, in its order (``_pathfind.c``)."""
        return (
            self.node_keys,
            self.indptr,
            self.adj_node,
            self.adj_edge,
            *(self.edges[name] for name in _SEARCHED_COLUMNS),
        )

    @classmethod
    def build(cls, edges: dict[str, np.ndarray], meta: dict[str, Any] | None = None) -> Graph:
        columns = {
            name: np.ascontiguousarray(edges[name], dtype) for name, dtype in EDGE_COLUMNS.items()
        }
        order = np.argsort(columns["link_id"], kind="stable")
        if len(order) and np.any(order[1:] < order[:-1]):
            columns = {name: values[order] for name, values in columns.items()}
        ends = np.concatenate([columns["from_key"], columns["to_key"]])
        node_keys, inverse = np.unique(ends, return_inverse=True)
        links = len(columns["link_id"])
        owners = inverse.astype(np.int32)
        others = np.concatenate([owners[links:], owners[:links]])
        edge_index = np.concatenate([np.arange(links, dtype=np.int32)] * 2)
        by_owner = np.argsort(owners, kind="stable")
        indptr = np.zeros(len(node_keys) + 1, np.int64)
        np.cumsum(np.bincount(owners, minlength=len(node_keys)), out=indptr[1:])
        return cls(
            edges=columns,
            node_keys=node_keys.astype(np.int64),
            indptr=indptr,
            adj_node=others[by_owner],
            adj_edge=edge_index[by_owner],
            meta=dict(meta or {}),
        )

    @classmethod
    def empty(cls) -> Graph:
        return cls.build({name: np.zeros(0, dtype) for name, dtype in EDGE_COLUMNS.items()})

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        for name, values in self.edges.items():
            np.save(directory / f"{name}.npy", values)
        for name in _GRAPH_ARRAYS:
            np.save(directory / f"{name}.npy", getattr(self, name))
        (directory / "meta.json").write_text(json.dumps(self.meta))

    @classmethod
    def load(cls, directory: Path) -> Graph:
        """Memory-mapped read-only: every process that loads the same snapshot shares
        the pages the operating system has cached."""

        def array(name: str) -> Any:
            # A plain ndarray over the mapping: np.memmap's own indexing is slower.
            return np.asarray(np.load(directory / f"{name}.npy", mmap_mode="r"))

        return cls(
            edges={name: array(name) for name in EDGE_COLUMNS},
            meta=json.loads((directory / "meta.json").read_text()),
            **{name: array(name) for name in _GRAPH_ARRAYS},
        )

    def expand(
        self, frontier: Keys, link_filter: EdgeFilter, hidden: Keys | None = None
    ) -> tuple[Keys, Keys, npt.NDArray[np.int64]]:
        """For every link touching a frontier node and passing the filter: the
        frontier end, the other end and the link's row (``hidden`` link ids skipped)."""
        found = _member(self.node_keys, frontier)
        rows = np.searchsorted(self.node_keys, frontier)[found]
        starts = self.indptr[rows]
        counts = self.indptr[rows + 1] - starts
        total = int(counts.sum())
        if total == 0:
            empty = np.zeros(0, np.int64)
            return empty, empty, empty
        offsets = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(total)
        edge = self.adj_edge[offsets].astype(np.int64)
        keep = self._passes(edge, link_filter)
        if hidden is not None and len(hidden):
            keep &= ~np.isin(self.edges["link_id"][edge], hidden)
        owner = np.repeat(frontier[found], counts)[keep]
        other = self.node_keys[self.adj_node[offsets[keep]]]
        return owner, other, edge[keep]

    def _passes(self, edge: npt.NDArray[np.int64], f: EdgeFilter) -> npt.NDArray[np.bool_]:
        columns = self.edges
        keep = columns["area"][edge] == f.area
        if f.link_types:
            keep &= np.isin(columns["link_type"][edge], f.link_types)
        if f.since_day is not None:
            keep &= columns["valid_to"][edge] >= f.since_day
        if f.until_day is not None:
            keep &= columns["valid_from"][edge] <= f.until_day
        if f.worst_evaluation < 3:
            keep &= columns["evaluation"][edge] <= f.worst_evaluation
        if f.worst_assessment < 5:
            keep &= columns["assessment"][edge] <= f.worst_assessment
        return keep


def _member(ordered: Keys, values: Keys) -> npt.NDArray[np.bool_]:
    """Which values are in the sorted array ``ordered``."""
    if len(ordered) == 0:
        return np.zeros(len(values), bool)
    at = np.minimum(np.searchsorted(ordered, values), len(ordered) - 1)
    return ordered[at] == values


@dataclass(frozen=True)
class Hit:
    """A link in an answer: which graph holds it (0 the snapshot, 1 the recent links)
    and its row there."""

    graph: int
    row: int


@dataclass
class Layered:
    """The snapshot and the links recorded or changed since it (a small graph of the
    same shape); ``hidden`` are snapshot links whose newer state is in ``recent`` or
    that are no longer accepted."""

    graphs: Sequence[Graph]
    hidden: Keys

    @functools.cached_property
    def c_arrays(self) -> tuple[tuple[np.ndarray, ...], ...]:
        return tuple(graph.c_arrays for graph in self.graphs)

    def expand_rows(
        self, frontier: Keys, link_filter: EdgeFilter
    ) -> tuple[Keys, Keys, npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """For every link touching the frontier in any graph: the frontier end, the
        other end, the graph number and the link's row there."""
        parts = []
        for number, graph in enumerate(self.graphs):
            if not graph.links:
                continue
            owner, other, rows = graph.expand(
                frontier, link_filter, self.hidden if number == 0 else None
            )
            parts.append((owner, other, np.full(len(rows), number, np.int64), rows))
        if len(parts) == 1:
            return parts[0]
        if not parts:
            empty = np.zeros(0, np.int64)
            return empty, empty, empty, empty
        return tuple(np.concatenate(column) for column in zip(*parts, strict=True))  # type: ignore[return-value]


@dataclass
class Neighbourhood:
    """The nodes reached with their distance, and the answer's links as each one's
    graph number and row there (``graph_no[i]``, ``rows[i]``), sorted and distinct."""

    distances: dict[int, int]
    graph_no: npt.NDArray[np.int64]
    rows: npt.NDArray[np.int64]
    capped: bool

    @property
    def hits(self) -> list[Hit]:
        return [Hit(g, r) for g, r in zip(self.graph_no.tolist(), self.rows.tolist(), strict=True)]


# A link in an answer as one number: its graph number above this bit, its row below.
_ROW_BITS = 40


def neighbourhood(
    layered: Layered, start: int, depth: int, link_filter: EdgeFilter, max_nodes: int
) -> Neighbourhood:
    """Nodes within ``depth`` links of start and the links among them that a
    level-by-level expansion reads, stopping at ``max_nodes`` (the lowest keys of the
    level that crosses the cap are kept). Same answer as ``intel.network.neighbourhood``."""
    distances = {start: 0}
    seen = np.array([start], np.int64)
    frontier = seen
    chosen: list[npt.NDArray[np.int64]] = []
    capped = False
    for level in range(1, depth + 1):
        _, other, graph_no, rows = layered.expand_rows(frontier, link_filter)
        fresh = np.unique(other)
        fresh = fresh[~_member(seen, fresh)]
        room = max_nodes - len(distances)
        if len(fresh) > room:
            fresh, capped = fresh[: max(room, 0)], True
        distances.update(dict.fromkeys(fresh.tolist(), level))
        seen = np.union1d(seen, fresh)
        keep = _member(seen, other)
        chosen.append((graph_no[keep] << _ROW_BITS) | rows[keep])
        if capped or not len(fresh):
            break
        frontier = fresh
    codes = np.unique(np.concatenate(chosen)) if chosen else np.zeros(0, np.int64)
    return Neighbourhood(distances, codes >> _ROW_BITS, codes & ((1 << _ROW_BITS) - 1), capped)


def shortest_path(
    layered: Layered,
    source: int,
    target: int,
    link_filter: EdgeFilter,
    *,
    max_depth: int = 8,
    max_visited: int = 200_000,
) -> tuple[list[int], list[Hit]] | None:
    """A shortest path by bidirectional breadth-first search, growing the smaller
    frontier by a whole level each round; None if there is none within ``max_depth``
    links or ``max_visited`` nodes (the limits of ``intel.network.shortest_path``).
    The search is compiled (``_pathfind.c``): decision 0013."""
    f = link_filter
    found = _pathfind.shortest_path(
        layered.c_arrays,
        layered.hidden,
        source,
        target,
        f.area,
        sum(1 << code for code in set(f.link_types)),
        NO_START if f.since_day is None else f.since_day,
        NO_END if f.until_day is None else f.until_day,
        f.worst_evaluation,
        f.worst_assessment,
        max_depth,
        max_visited,
    )
    if found is None:
        return None
    path, hits = found
    return path, [Hit(graph, row) for graph, row in hits]
