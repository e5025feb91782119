"""Network queries: the 2-hop neighbourhood of a node and the shortest path between two
nodes, as the network explorer answers them (intel.snapshot: the in-memory CSR snapshot
of every accepted link, with the links recorded or reviewed since read from PostgreSQL
on each query). Baseline, in the same run: networkx holding the same links in memory
(every area's, as the snapshot does), answering the same query the same way: only the
acting area's links (a subgraph_view edge filter), nodes within 2 links with the links
among them, and bidirectional_shortest_path. The explorer's neighbourhoods are timed
with the cap it uses (CLEARSIGHT_NETWORK_MAX_NODES, 500 by default: the lowest keys of
the level that crosses it are kept); networkx's are not capped. The PostgreSQL
frontier queries (intel.network, used when there is no snapshot) are timed too, for
reference.

The links: the synthetic data's intelligence links when the bench database has them
(queries in the area with the most), otherwise a random graph made here into a bench
area (BENCH_NETWORK_LINKS, by default 500,000 at area scale and 10,000,000 at national),
copied in with COPY once. Target (issue 10): p95 under 50 ms and at least 10 times
faster than networkx. Decision 0010 records the figures and what they mean."""

from __future__ import annotations

import contextlib
import io
import os
import random
import resource
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db import connection

from bench.harness import Result, percentile

if TYPE_CHECKING:
    from bench.dataset import Dataset

QUERIES = 200
# The PostgreSQL frontier path is slow on long paths: fewer samples.
SQL_QUERIES = int(os.environ.get("BENCH_NETWORK_SQL_QUERIES", "50"))
DEFAULT_LINKS = {"tiny": 20_000, "demo": 100_000, "area": 500_000, "national": 10_000_000}
SYNTH_LINKS_ENOUGH = 100_000


def _links(scale: str) -> int:
    return int(os.environ.get("BENCH_NETWORK_LINKS", DEFAULT_LINKS.get(scale, 500_000)))


def _bench_area_id() -> int:
    from clearsight.areas.models import Area

    area, _ = Area.objects.get_or_create(code="bench-network", defaults={"name": "Bench network"})
    return area.pk


def _synthetic_area(bench_area: int) -> tuple[int, int] | None:
    """The area with the most accepted synthetic links, and their total, if enough."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT area_id, count(*) FROM intel_link "
            "WHERE review_status = 'accepted' AND area_id <> %s GROUP BY area_id",
            [bench_area],
        )
        counts = cursor.fetchall()
    total = sum(count for _, count in counts)
    if total < SYNTH_LINKS_ENOUGH:
        return None
    return max(counts, key=lambda row: row[1])[0], total


def _load_graph(area_id: int, links: int, seed: int = 10) -> None:
    """Random distinct links among links // 4 nodes (mean degree 8): even numbers are
    persons, odd numbers phones; random types, dates and gradings. Copied in only if
    that many are not there yet."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM intel_link WHERE area_id = %s", [area_id])
        if cursor.fetchone()[0] == links:
            return
    rng = np.random.default_rng(seed)
    nodes = max(links // 4, 10)
    pairs = np.zeros(0, np.int64)
    while len(pairs) < links:
        a, b = rng.integers(0, nodes, links), rng.integers(0, nodes, links)
        low, high = np.minimum(a, b), np.maximum(a, b)
        pairs = np.unique(np.concatenate([pairs, (low * nodes + high)[low != high]]))
    pairs = rng.permutation(pairs)[:links]
    types = ["contacted", "associates_with", "seen_at", "uses_phone"]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM intel_link WHERE area_id = %s", [area_id])
        columns = (
            "area_id, from_kind, from_id, to_kind, to_id, link_type, valid_from, source, "
            "source_evaluation, intelligence_assessment, handling_code, contact_count, "
            "review_status, proposed_from, proposed_ref, note, recorded_at, version"
        )
        chunk = 500_000
        for start in range(0, links, chunk):
            buffer = io.StringIO()
            part = pairs[start : start + chunk]
            days = rng.integers(1, 28, len(part))
            for pair, day in zip(part.tolist(), days.tolist(), strict=True):
                a, b = divmod(pair, nodes)
                buffer.write(
                    f"{area_id}\t{_kind(a)}\t{a}\t{_kind(b)}\t{b}\t{types[pair % 4]}"
                    f"\t2026-02-{day:02d}\tbench\t{1 + pair % 3}\t{'ABCDE'[pair % 5]}\tP"
                    "\t0\taccepted\trecorded\t\t\t2026-01-01T00:00:00Z\t1\n"
                )
            buffer.seek(0)
            with cursor.copy(f"COPY intel_link ({columns}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                copy.write(buffer.read())
        cursor.execute("ANALYZE intel_link")


def _kind(number: int) -> str:
    return "person" if number % 2 == 0 else "phone"


def _timed(func: Callable[..., object], args: list[tuple[Any, ...]]) -> list[float]:
    samples = []
    for arg in args:
        started = time.perf_counter()
        func(*arg)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _networkx(graph: Any) -> Any:
    """The same links as the snapshot, in a networkx Graph with each link's area and id."""
    import networkx as nx

    edges = graph.edges
    started = time.perf_counter()
    nx_graph = nx.Graph()
    nx_graph.add_edges_from(
        (a, b, {"area": area, "id": link})
        for a, b, area, link in zip(
            edges["from_key"].tolist(),
            edges["to_key"].tolist(),
            edges["area"].tolist(),
            edges["link_id"].tolist(),
            strict=True,
        )
    )
    return nx_graph, time.perf_counter() - started


def run(dataset: Dataset | None = None, *_: object) -> list[Result]:
    import networkx as nx
    from django.conf import settings

    from clearsight.intel import csr, network, snapshot
    from clearsight.intel.network import LinkFilter

    scale = dataset.scale if dataset else "area"
    bench_area = _bench_area_id()
    synthetic = _synthetic_area(bench_area)
    if synthetic is None:
        area_id = bench_area
        _load_graph(area_id, _links(scale))
        origin = "random graph made by the bench"
    else:
        area_id, total = synthetic
        origin = f"the synthetic data's intelligence links ({total:,} accepted)"

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    built = snapshot.build_snapshot()
    snapshot._loaded.clear()
    graph = snapshot.current()
    assert graph is not None
    nx_graph, nx_build_seconds = _networkx(graph)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    in_area = np.flatnonzero(np.asarray(graph.edges["area"]) == area_id)
    rng = random.Random(2)
    keys = np.asarray(graph.edges["from_key"])[in_area]
    starts = [int(keys[rng.randrange(len(keys))]) for _ in range(QUERIES)]
    ends = [int(keys[rng.randrange(len(keys))]) for _ in range(QUERIES)]
    nodes = [(snapshot._node(a), snapshot._node(b)) for a, b in zip(starts, ends, strict=True)]
    no_filter = LinkFilter()
    edge_filter = csr.EdgeFilter(area=area_id)
    memory_only = csr.Layered([graph, csr.Graph.empty()], np.zeros(0, np.int64))
    view = nx.subgraph_view(nx_graph, filter_edge=lambda u, v: nx_graph[u][v]["area"] == area_id)

    def nx_hop(start: int) -> tuple[dict[int, int], list[int]]:
        # The links among the nodes read from each node's own (filtered) adjacency:
        # view.subgraph(nodes).edges() would walk every node of the graph.
        distances = nx.single_source_shortest_path_length(view, start, cutoff=2)
        links = [
            data["id"]
            for u, distance in distances.items()
            for v, data in view[u].items()
            if v in distances and u < v and min(distance, distances[v]) < 2
        ]
        return distances, links

    adjacency = nx_graph.adj

    def plain_hop(start: int) -> tuple[dict[int, int], list[int]]:
        """The same query hand-written over networkx's adjacency dicts, without its
        filtered views (whose len() walks every node of the graph)."""
        distances, frontier = {start: 0}, [start]
        for level in (1, 2):
            following = []
            for u in frontier:
                for v, data in adjacency[u].items():
                    if data["area"] == area_id and v not in distances:
                        distances[v] = level
                        following.append(v)
            frontier = following
        links = [
            data["id"]
            for u, distance in distances.items()
            for v, data in adjacency[u].items()
            if data["area"] == area_id
            and v in distances
            and u < v
            and min(distance, distances[v]) < 2
        ]
        return distances, links

    def nx_path(a: int, b: int) -> list[int] | None:
        with contextlib.suppress(nx.NetworkXNoPath):
            return list(nx.bidirectional_shortest_path(view, a, b))
        return None

    # The answers agree (networkx keeps one link per pair of nodes, so a pair linked in
    # two areas can differ; the bench's own graph has none).
    disagree = sum(
        set(csr.neighbourhood(memory_only, start, 2, edge_filter, 10**9).distances)
        != set(nx_hop(start)[0])
        or sorted(nx_hop(start)[1]) != sorted(plain_hop(start)[1])
        for start in starts[:20]
    )
    for a, b in zip(starts[:20], ends[:20], strict=True):
        found, expected = csr.shortest_path(memory_only, a, b, edge_filter), nx_path(a, b)
        disagree += found is not None and expected is not None and len(found[0]) != len(expected)
    print(f"Network: {disagree} of 40 answers differ from networkx's", flush=True)

    cap = int(settings.CLEARSIGHT_NETWORK_MAX_NODES)  # as intel.explorer.explore
    timings = {
        "hop": _timed(
            lambda n: snapshot.neighbourhood(area_id, n, 2, no_filter, cap),
            [(a,) for a, _ in nodes],
        ),
        "hop_memory": _timed(
            lambda k: csr.neighbourhood(memory_only, k, 2, edge_filter, cap),
            [(k,) for k in starts],
        ),
        "hop_nx": _timed(nx_hop, [(k,) for k in starts]),
        "hop_plain": _timed(plain_hop, [(k,) for k in starts]),
        "hop_sql": _timed(
            lambda n: network.neighbourhood(area_id, n, 2, no_filter, cap),
            [(a,) for a, _ in nodes[:SQL_QUERIES]],
        ),
        "path": _timed(lambda a, b: snapshot.shortest_path(area_id, a, b, no_filter), nodes),
        "path_memory": _timed(
            lambda a, b: csr.shortest_path(memory_only, a, b, edge_filter),
            list(zip(starts, ends, strict=True)),
        ),
        "path_nx": _timed(nx_path, list(zip(starts, ends, strict=True))),
        "path_sql": _timed(
            lambda a, b: network.shortest_path(area_id, a, b, no_filter), nodes[:SQL_QUERIES]
        ),
    }
    area_links = len(in_area)
    size = (
        f"explorer capped at {cap} nodes; "
        f"{graph.links:,} accepted links ({area_links:,} in the queried area) among "
        f"{len(graph.node_keys):,} nodes: {origin}"
    )
    results = []
    for query, label in (("hop", "2-hop neighbourhood"), ("path", "shortest path")):
        ours, memory, nx_ms, sql = (
            timings[query],
            timings[f"{query}_memory"],
            timings[f"{query}_nx"],
            timings[f"{query}_sql"],
        )
        for p in (50, 95):
            results.append(
                Result(
                    f"Network: {label} (snapshot and recent links)",
                    f"p{p}",
                    percentile(ours, p),
                    "ms",
                    "networkx, same links in memory",
                    percentile(nx_ms, p),
                    size,
                    target=50 if p == 95 else None,
                )
            )
        results += [
            Result(
                f"Network: {label}, speed-up over networkx",
                "networkx p95 / explorer p95",
                percentile(nx_ms, 95) / percentile(ours, 95),
                "x",
                "explorer p95 (ms)",
                percentile(ours, 95),
                size,
                target=10,
                lower_is_better=False,
            ),
            Result(
                f"Network: {label}, in-memory part only",
                "p95",
                percentile(memory, 95),
                "ms",
                "networkx, same links in memory",
                percentile(nx_ms, 95),
                size,
            ),
            Result(
                f"Network: {label}, PostgreSQL frontier queries (no snapshot)",
                "p95",
                percentile(sql, 95),
                "ms",
                "networkx, same links in memory",
                percentile(nx_ms, 95),
                f"{SQL_QUERIES} queries; {size}",
            ),
        ]
    results.append(
        Result(
            "Network: 2-hop neighbourhood, hand-written search over networkx's dicts",
            "p95",
            percentile(timings["hop_plain"], 95),
            "ms",
            "explorer p95",
            percentile(timings["hop"], 95),
            size,
        )
    )
    results.append(
        Result(
            "Network: snapshot build (read, CSR, save)",
            "seconds",
            built.seconds,
            "s",
            "networkx graph build from the same arrays",
            nx_build_seconds,
            f"{built.megabytes:,.0f} MB on disk; the process grew "
            f"{(rss_after - rss_before) / 1024:,.0f} MB holding both graphs; {size}",
        )
    )
    return results
