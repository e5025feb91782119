"""Network queries on a synthetic link graph: the 2-hop neighbourhood of a node and the
shortest path between two nodes, through intel.network (indexed frontier queries in
PostgreSQL, what the explorer uses). Baseline, in the same run: networkx on the same
graph already held in memory (nx.single_source_shortest_path_length with cutoff 2, and
nx.bidirectional_shortest_path).

The graph is made here, once, into a bench area: phones and persons joined by random
links (BENCH_NETWORK_LINKS, default 10,000,000 for the national figure), copied in with
COPY. Target: p95 under 50 ms and at least 10x faster than networkx."""

from __future__ import annotations

import contextlib
import io
import os
import random
import time

from django.db import connection

from bench.harness import Result, percentile

QUERIES = 200


def _links() -> int:
    return int(os.environ.get("BENCH_NETWORK_LINKS", "10000000"))


def _bench_area_id() -> int:
    from clearsight.areas.models import Area

    area, _ = Area.objects.get_or_create(code="bench-network", defaults={"name": "Bench network"})
    return area.pk


def _load_graph(area_id: int, links: int, seed: int = 10) -> list[tuple[int, int]]:
    """Random links among links // 4 nodes (mean degree 8), as (from, to) node numbers:
    even numbers are persons, odd numbers phones. Copied in only if not there yet."""
    rng = random.Random(seed)
    nodes = max(links // 4, 10)
    pairs = []
    while len(pairs) < links:
        a, b = rng.randrange(nodes), rng.randrange(nodes)
        if a != b:
            pairs.append((a, b))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM intel_link WHERE area_id = %s", [area_id])
        if cursor.fetchone()[0] == links:
            return pairs
        cursor.execute("DELETE FROM intel_link WHERE area_id = %s", [area_id])
        columns = (
            "area_id, from_kind, from_id, to_kind, to_id, link_type, source, source_evaluation, "
            "intelligence_assessment, handling_code, contact_count, review_status, "
            "proposed_from, proposed_ref, note, recorded_at, version"
        )
        chunk = 500_000
        for start in range(0, links, chunk):
            buffer = io.StringIO()
            for a, b in pairs[start : start + chunk]:
                buffer.write(
                    f"{area_id}\t{_kind(a)}\t{a}\t{_kind(b)}\t{b}\tassociates_with\tbench\t2\tC\tP"
                    "\t0\taccepted\trecorded\t\t\t2026-01-01T00:00:00Z\t1\n"
                )
            buffer.seek(0)
            with cursor.copy(f"COPY intel_link ({columns}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                copy.write(buffer.read())
        cursor.execute("ANALYZE intel_link")
    return pairs


def _kind(number: int) -> str:
    return "person" if number % 2 == 0 else "phone"


def _timed(func: object, args: list[tuple[object, ...]]) -> list[float]:
    samples = []
    for arg in args:
        started = time.perf_counter()
        func(*arg)  # type: ignore[operator]
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def run(*_: object) -> list[Result]:
    import networkx as nx

    from clearsight.intel.network import LinkFilter, neighbourhood, shortest_path

    links = _links()
    area_id = _bench_area_id()
    pairs = _load_graph(area_id, links)
    graph = nx.Graph()
    graph.add_edges_from(((_kind(a), a), (_kind(b), b)) for a, b in pairs)
    rng = random.Random(2)
    nodes = list(graph.nodes)
    starts = [rng.choice(nodes) for _ in range(QUERIES)]
    ends = [rng.choice(nodes) for _ in range(QUERIES)]
    no_filter = LinkFilter()

    sql_hop = _timed(
        lambda node: neighbourhood(area_id, node, 2, no_filter, 100_000), [(s,) for s in starts]
    )
    nx_hop = _timed(
        lambda node: nx.single_source_shortest_path_length(graph, node, cutoff=2),
        [(s,) for s in starts],
    )
    sql_path = _timed(
        lambda a, b: shortest_path(area_id, a, b, no_filter), list(zip(starts, ends, strict=True))
    )

    def nx_shortest(a: object, b: object) -> None:
        with contextlib.suppress(nx.NetworkXNoPath):
            nx.bidirectional_shortest_path(graph, a, b)

    nx_path = _timed(nx_shortest, list(zip(starts, ends, strict=True)))
    size = f"{links:,} links among {graph.number_of_nodes():,} nodes"
    return [
        Result(
            "Network: 2-hop neighbourhood",
            "p95",
            percentile(sql_hop, 95),
            "ms",
            "networkx in memory",
            percentile(nx_hop, 95),
            size,
        ),
        Result(
            "Network: shortest path",
            "p95",
            percentile(sql_path, 95),
            "ms",
            "networkx in memory",
            percentile(nx_path, 95),
            size,
        ),
    ]
