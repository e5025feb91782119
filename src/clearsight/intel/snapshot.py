"""The network snapshot: every accepted link, read from PostgreSQL in one binary COPY
into the arrays of ``intel.csr`` and saved as .npy files that each web worker maps
read-only (the pages are shared). A procrastinate job rebuilds it every 15 minutes
and after each phone data import.

The acting area's links recorded or reviewed since the snapshot (and in the hour
before it, for transactions still open when it was taken) are read in one indexed
query, laid over the snapshot, and hide the snapshot's copy of any of them. Each
process keeps that overlay per area and reads it again when a link is recorded or
reviewed on this host (``links_changed`` touches a marker file after the commit) or
when it is older than ``CLEARSIGHT_NETWORK_RECENT_SECONDS`` (links written on another
web host), so an answer here is never staler than that, and a user always sees their
own new links (decision 0013). Only the acting area's links
are used (``access.policy.visible_links``: intel roles, own area), and the explorer's
cap applies as before. With no snapshot the explorer answers from
``intel.network`` (frontier queries in PostgreSQL). Measured reasons: decision 0010."""

from __future__ import annotations

import functools
import logging
import os
import shutil
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection, transaction
from django.dispatch import receiver

from clearsight.intel import csr, network
from clearsight.intel.models import LinkType, NodeKind, ReviewStatus
from clearsight.intel.network import Edge, LinkFilter, Node, Subgraph

logger = logging.getLogger(__name__)

KINDS = list(NodeKind.values)
LINK_TYPES = list(LinkType.values)
EPOCH = date(1970, 1, 1)
# Links recorded or reviewed this long before a snapshot was taken are read again at
# query time, in case their transaction had not committed when the snapshot was read.
OPEN_TRANSACTION_MARGIN = timedelta(hours=1)
# Kept alongside the current snapshot so a worker that mapped it a moment ago can finish.
GENERATIONS_KEPT = 2


def snapshot_root() -> Path:
    """One directory per database, so a test database never reads the demo's graph."""
    return Path(_root())


# Each database's snapshot directory as a string, worked out once: every query looks
# there twice. Forgotten when a test changes the settings it comes from.
_roots: dict[str, str] = {}


def _root() -> str:
    database = str(connection.settings_dict["NAME"])
    root = _roots.get(database)
    if root is None:
        base = getattr(settings, "CLEARSIGHT_NETWORK_SNAPSHOT_DIR", None) or os.environ.get(
            "CLEARSIGHT_NETWORK_SNAPSHOT_DIR", ""
        )
        parent = Path(base) if base else Path(settings.VAR_DIR) / "network-snapshot"
        root = _roots[database] = str(parent / database)
    return root


@receiver(setting_changed)
def _forget_cached_settings(*, setting: str, **_: object) -> None:
    if setting in ("CLEARSIGHT_NETWORK_SNAPSHOT_DIR", "VAR_DIR"):
        _roots.clear()
    if setting == "CLEARSIGHT_NETWORK_RECENT_SECONDS":
        _overlay_ns.cache_clear()


def _literal_list(values: list[str]) -> str:
    # Constants from the code (kinds and link types), never user text.
    return "ARRAY[" + ",".join(f"'{value}'" for value in values) + "]::text[]"


_COLUMNS = f"""
    id,
    area_id::int4,
    (array_position({_literal_list(KINDS)}, from_kind)::bigint << {csr.KIND_SHIFT}) | from_id,
    (array_position({_literal_list(KINDS)}, to_kind)::bigint << {csr.KIND_SHIFT}) | to_id,
    array_position({_literal_list(LINK_TYPES)}, link_type)::int2,
    COALESCE(valid_from - DATE '1970-01-01', {csr.NO_START})::int4,
    COALESCE(valid_to - DATE '1970-01-01', {csr.NO_END})::int4,
    source_evaluation::int2,
    (ascii(intelligence_assessment) - 64)::int2,
    ascii(handling_code)::int2,
    contact_count::int4
"""

# PostgreSQL's binary COPY: a 19-byte header, then per row a field count and, per field,
# a length and the value (big-endian). Every column above is fixed-width and not null,
# so each row has the same layout and numpy reads a whole block at once.
_FIELDS = [
    ("link_id", ">i8"),
    ("area", ">i4"),
    ("from_key", ">i8"),
    ("to_key", ">i8"),
    ("link_type", ">i2"),
    ("valid_from", ">i4"),
    ("valid_to", ">i4"),
    ("evaluation", ">i2"),
    ("assessment", ">i2"),
    ("handling", ">i2"),
    ("contact_count", ">i4"),
]
_ROW = np.dtype(
    [("fields", ">i2")]
    + [part for name, kind in _FIELDS for part in ((f"{name}_length", ">i4"), (name, kind))]
)
_HEADER_BYTES = 19
_PARSE_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Built:
    path: Path
    links: int
    nodes: int
    seconds: float
    megabytes: float


def _read_links(cursor: Any) -> dict[str, np.ndarray]:
    """Every accepted link as arrays, streamed: memory is the arrays plus 8 MB."""
    parts: dict[str, list[np.ndarray]] = {name: [] for name, _ in _FIELDS}
    buffer = bytearray()
    skipped_header = False

    def parse(final: bool) -> None:
        nonlocal buffer
        rows = len(buffer) // _ROW.itemsize
        if final and len(buffer) % _ROW.itemsize == 2:  # the trailer, -1 as int16
            buffer = buffer[:-2]
        if rows:
            block = np.frombuffer(bytes(buffer[: rows * _ROW.itemsize]), _ROW)
            for name, _ in _FIELDS:
                parts[name].append(block[name].astype(csr.EDGE_COLUMNS[name]))
            del buffer[: rows * _ROW.itemsize]

    statement = (
        f"COPY (SELECT {_COLUMNS} FROM intel_link "  # noqa: S608 - constants only
        f"WHERE review_status = '{ReviewStatus.ACCEPTED.value}' ORDER BY id) "
        "TO STDOUT (FORMAT BINARY)"
    )
    with cursor.copy(statement) as copy:
        for data in copy:
            buffer += data
            if not skipped_header and len(buffer) >= _HEADER_BYTES:
                del buffer[:_HEADER_BYTES]
                skipped_header = True
            if len(buffer) >= _PARSE_BYTES:
                parse(final=False)
    parse(final=True)
    return {
        name: np.concatenate(chunks) if chunks else np.zeros(0, csr.EDGE_COLUMNS[name])
        for name, chunks in parts.items()
    }


def build_snapshot() -> Built:
    """Read every accepted link in one consistent view and save a new snapshot, then
    point ``current`` at it (an atomic rename) and remove all but the newest ones."""
    started = time.perf_counter()
    outermost = not connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        if outermost:  # one consistent view of the table for the whole read
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute(
            "SELECT now(), COALESCE(max(id), 0), "
            "(SELECT oid FROM pg_database WHERE datname = current_database()) FROM intel_link"
        )
        taken_at, max_id, database_oid = cursor.fetchone()
        edges = _read_links(cursor)
    graph = csr.Graph.build(
        edges,
        meta={
            "taken_at": taken_at.isoformat(),
            "max_id": int(max_id),
            "database_oid": int(database_oid),
        },
    )
    root = snapshot_root()
    path = root / f"g{time.time_ns()}"
    graph.save(path)
    pointer = root / "current.new"
    pointer.unlink(missing_ok=True)
    pointer.symlink_to(path.name)
    pointer.replace(root / "current")
    for old in sorted(root.glob("g*"))[:-GENERATIONS_KEPT]:
        shutil.rmtree(old, ignore_errors=True)
    size = sum(f.stat().st_size for f in path.iterdir()) / 1024 / 1024
    seconds = time.perf_counter() - started
    logger.info("Network snapshot of %s links built in %.1f s", graph.links, seconds)
    return Built(path, graph.links, len(graph.node_keys), seconds, size)


_loaded: dict[str, csr.Graph] = {}


def current(root: str | None = None) -> csr.Graph | None:
    """The newest snapshot of this database, mapped once per process; None if there
    is none (or it was made from another database of the same name)."""
    root = root or _root()
    try:
        target = os.path.join(root, os.readlink(os.path.join(root, "current")))
    except OSError:
        return None
    graph = _loaded.get(target)
    if graph is None:
        try:
            graph = csr.Graph.load(Path(target))
        except (OSError, ValueError):
            return None
        with connection.cursor() as cursor:
            cursor.execute("SELECT oid FROM pg_database WHERE datname = current_database()")
            if cursor.fetchone()[0] != graph.meta["database_oid"]:
                return None
        _loaded.clear()
        _loaded[target] = graph
    return graph


_RECENT = """
SELECT id, area_id, from_kind, from_id, to_kind, to_id, link_type, valid_from, valid_to,
       source_evaluation, intelligence_assessment, handling_code, contact_count,
       review_status = %s
FROM intel_link
WHERE area_id = %s
  AND ((review_status = 'accepted' AND (id > %s OR recorded_at >= %s)) OR reviewed_at >= %s)
"""


# Per area: the snapshot the overlay was read for, when the read began (ns since the
# epoch) and the snapshot with the overlay laid over it.
_overlays: dict[int, tuple[csr.Graph, int, csr.Layered]] = {}
# File timestamps come from the kernel's coarse clock, a tick or so behind time.time_ns.
_CLOCK_MARGIN_NS = 20_000_000
_MARKER = "links-changed"


def links_changed() -> None:
    """Call when links are recorded or reviewed: this process reads the overlay again
    at once, and every process on this host once the transaction has committed."""
    _overlays.clear()
    transaction.on_commit(_touch_marker)


def _touch_marker() -> None:
    _overlays.clear()
    root = snapshot_root()
    root.mkdir(parents=True, exist_ok=True)
    (root / _MARKER).touch()


def _changed_at(root: str) -> int:
    try:
        return os.stat(os.path.join(root, _MARKER)).st_mtime_ns
    except OSError:
        return 0


@functools.cache
def _overlay_ns() -> int:
    return int(settings.CLEARSIGHT_NETWORK_RECENT_SECONDS * 1_000_000_000)


def _recent(area_id: int, snapshot: csr.Graph, root: str | None = None) -> csr.Layered:
    """The snapshot with the area's recent links laid over it, as read at most
    ``CLEARSIGHT_NETWORK_RECENT_SECONDS`` ago and since the last change on this host."""
    now = time.time_ns()
    held = _overlays.get(area_id)
    if (
        held is not None
        and held[0] is snapshot
        and now - held[1] < _overlay_ns()
        and _changed_at(root or _root()) < held[1] - _CLOCK_MARGIN_NS
    ):
        return held[2]
    layered = _read_recent(area_id, snapshot)
    _overlays[area_id] = (snapshot, now, layered)
    return layered


def _read_recent(area_id: int, snapshot: csr.Graph) -> csr.Layered:
    """The snapshot with the area's links recorded or reviewed since laid over it."""
    since = datetime.fromisoformat(snapshot.meta["taken_at"]) - OPEN_TRANSACTION_MARGIN
    with connection.cursor() as cursor:
        cursor.execute(
            _RECENT, [ReviewStatus.ACCEPTED, area_id, snapshot.meta["max_id"], since, since]
        )
        rows = cursor.fetchall()
    if not rows:
        return csr.Layered([snapshot], _NOTHING_HIDDEN)
    accepted = [_as_codes(row) for row in rows if row[-1]]
    columns = list(zip(*accepted, strict=True)) if accepted else [()] * len(_FIELDS)
    recent = csr.Graph.build(
        {
            name: np.array(values, csr.EDGE_COLUMNS[name])
            for (name, _), values in zip(_FIELDS, columns, strict=True)
        }
    )
    hidden = np.array(sorted(row[0] for row in rows), np.int64)
    return csr.Layered([snapshot, recent], hidden)


_NOTHING_HIDDEN = np.zeros(0, np.int64)


def _as_codes(row: tuple[Any, ...]) -> tuple[int, ...]:
    """A link row as the snapshot's codes (the same conversion as ``_COLUMNS``)."""
    (pk, area, from_kind, from_id, to_kind, to_id, link_type, valid_from, valid_to) = row[:9]
    evaluation, assessment, handling, contacts = row[9:13]
    return (
        pk,
        area,
        _key((from_kind, from_id)),
        _key((to_kind, to_id)),
        LINK_TYPES.index(link_type) + 1,
        (valid_from - EPOCH).days if valid_from else csr.NO_START,
        (valid_to - EPOCH).days if valid_to else csr.NO_END,
        int(evaluation),
        ord(assessment) - 64,
        ord(handling),
        contacts,
    )


@functools.lru_cache(maxsize=256)
def _edge_filter(area_id: int, link_filter: LinkFilter) -> csr.EdgeFilter:
    return csr.EdgeFilter(
        area=area_id,
        link_types=tuple(LINK_TYPES.index(t) + 1 for t in link_filter.link_types),
        since_day=(link_filter.since - EPOCH).days if link_filter.since else None,
        until_day=(link_filter.until - EPOCH).days if link_filter.until else None,
        worst_evaluation=int(link_filter.worst_source_evaluation),
        worst_assessment=ord(link_filter.worst_assessment) - 64,
    )


def _key(node: Node) -> int:
    return csr.node_key(KINDS.index(node[0]) + 1, node[1])


_PK_MASK = (1 << csr.KIND_SHIFT) - 1


def _node(key: int) -> Node:
    return KINDS[(key >> csr.KIND_SHIFT) - 1], key & _PK_MASK


@functools.lru_cache(maxsize=4096)
def _day(value: int) -> date | None:
    return None if value in (csr.NO_START, csr.NO_END) else EPOCH + timedelta(days=value)


_TYPE_NAMES = np.array(["", *LINK_TYPES], object)


def _decoded(codes: np.ndarray, decode: Any) -> list[Any]:
    """``decode`` of each code, computed once per distinct code: an answer's links
    share few ends, dates and gradings."""
    distinct, inverse = np.unique(codes, return_inverse=True)
    values = np.array([None] + [decode(code) for code in distinct.tolist()], object)[1:]
    return values[inverse.reshape(-1)].tolist()


def _grading(code: int) -> str:
    return f"{code >> 16}{chr(64 + ((code >> 8) & 0xFF))}{chr(code & 0xFF)}"


def _edge_rows(graph: csr.Graph, rows: np.ndarray) -> list[Edge]:
    """Rows of one graph's links as the explorer's Edges: one gather per column, and
    each distinct end, date and grading converted once."""
    if not len(rows):
        return []
    column = {name: graph.edges[name][rows] for name in csr.EDGE_COLUMNS}
    count = len(rows)
    ends = _decoded(np.concatenate([column["from_key"], column["to_key"]]), _node)
    days = _decoded(np.concatenate([column["valid_from"], column["valid_to"]]), _day)
    gradings = _decoded(
        (column["evaluation"].astype(np.int32) << 16)
        | (column["assessment"].astype(np.int32) << 8)
        | column["handling"].astype(np.int32),
        _grading,
    )
    return list(
        map(
            Edge,
            column["link_id"].tolist(),
            ends[:count],
            ends[count:],
            _TYPE_NAMES[column["link_type"].astype(np.int64)].tolist(),
            days[:count],
            days[count:],
            gradings,
            column["contact_count"].tolist(),
        )
    )


def _edge(graph: csr.Graph, row: int) -> Edge:
    """One link as the explorer's Edge, read value by value: a path has a few links,
    too few to repay the whole-array conversion of ``_edge_rows``."""
    e = {name: int(values[row]) for name, values in graph.edges.items()}
    return Edge(
        e["link_id"],
        _node(e["from_key"]),
        _node(e["to_key"]),
        _TYPE_NAMES[e["link_type"]],
        _day(e["valid_from"]),
        _day(e["valid_to"]),
        _grading((e["evaluation"] << 16) | (e["assessment"] << 8) | e["handling"]),
        e["contact_count"],
    )


def neighbourhood(
    area_id: int, start: Node, depth: int, link_filter: LinkFilter, max_nodes: int
) -> Subgraph:
    """The explorer's neighbourhood from the snapshot and recent links, or from the
    PostgreSQL frontier queries when there is no snapshot. Same answers either way."""
    snapshot = current()
    if snapshot is None:
        return network.neighbourhood(area_id, start, depth, link_filter, max_nodes)
    layered = _recent(area_id, snapshot)
    found = csr.neighbourhood(
        layered, _key(start), depth, _edge_filter(area_id, link_filter), max_nodes
    )
    edges: dict[int, Edge] = {}
    for number, graph in enumerate(layered.graphs):
        for edge in _edge_rows(graph, found.rows[found.graph_no == number]):
            edges[edge.id] = edge
    return Subgraph(
        distances={_node(key): distance for key, distance in found.distances.items()},
        edges=edges,
        capped=found.capped,
    )


def shortest_path(
    area_id: int, source: Node, target: Node, link_filter: LinkFilter
) -> tuple[list[Node], list[Edge]] | None:
    root = _root()
    snapshot = current(root)
    if snapshot is None:
        return network.shortest_path(area_id, source, target, link_filter)
    layered = _recent(area_id, snapshot, root)
    found = csr.shortest_path(
        layered, _key(source), _key(target), _edge_filter(area_id, link_filter)
    )
    if found is None:
        return None
    path, hits = found
    return [_node(key) for key in path], [_edge(layered.graphs[h.graph], h.row) for h in hits]
