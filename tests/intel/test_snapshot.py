"""The in-memory network snapshot gives the same answers as the PostgreSQL frontier
queries on small known graphs, with every filter, the cap, another area's links and
links recorded or reviewed after the snapshot was taken."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from clearsight.access.roles import Role
from clearsight.areas.models import Area
from clearsight.intel import network, snapshot
from clearsight.intel.models import Link, LinkType, ReviewStatus
from clearsight.intel.network import LinkFilter
from tests.conftest import Cast
from tests.factories import AreaFactory
from tests.intel.conftest import Intel, actor_for, link

pytestmark = pytest.mark.django_db

TYPES = [LinkType.CONTACTED, LinkType.ASSOCIATES_WITH, LinkType.SEEN_AT, LinkType.USES_PHONE]
FILTERS = [
    LinkFilter(),
    LinkFilter(link_types=(LinkType.CONTACTED, LinkType.SEEN_AT)),
    LinkFilter(since=date(2026, 3, 1)),
    LinkFilter(until=date(2026, 2, 1)),
    LinkFilter(since=date(2026, 1, 15), until=date(2026, 3, 15)),
    LinkFilter(worst_source_evaluation="1"),
    LinkFilter(worst_assessment="B"),
    LinkFilter(worst_source_evaluation="2", worst_assessment="C", link_types=(LinkType.CONTACTED,)),
]


@pytest.fixture(autouse=True)
def _snapshot_dir(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.CLEARSIGHT_NETWORK_SNAPSHOT_DIR = tmp_path


def _node(number: int) -> tuple[str, int]:
    return ("person" if number % 3 else "phone", number)


def make_links(area: Area, pairs: int, nodes: int, seed: int) -> list[Link]:
    """Random links among ``nodes`` persons and phones: random types, dates (some
    open-ended), gradings, and a few only proposed or rejected."""
    rng = random.Random(seed)
    made = []
    while len(made) < pairs:
        a, b = rng.randrange(nodes), rng.randrange(nodes)
        if a == b:
            continue
        start = date(2026, 1, 1) + timedelta(days=rng.randrange(90))
        (from_kind, from_id), (to_kind, to_id) = _node(a), _node(b)
        made.append(
            Link(
                area=area,
                from_kind=from_kind,
                from_id=from_id,
                to_kind=to_kind,
                to_id=to_id,
                link_type=rng.choice(TYPES),
                valid_from=start if rng.random() < 0.8 else None,
                valid_to=start + timedelta(days=rng.randrange(60)) if rng.random() < 0.5 else None,
                source="Synthetic",
                source_evaluation=rng.choice("123"),
                intelligence_assessment=rng.choice("ABCDE"),
                handling_code=rng.choice("PC"),
                contact_count=rng.randrange(5),
                review_status=rng.choice([ReviewStatus.ACCEPTED] * 8 + ["proposed", "rejected"]),
                recorded_at=timezone.now() - timedelta(days=2),
            )
        )
    return Link.objects.bulk_create(made)


def _same_neighbourhood(area_id: int, start: tuple[str, int], depth: int, f: LinkFilter) -> None:
    expected = network.neighbourhood(area_id, start, depth, f, 10_000)
    found = snapshot.neighbourhood(area_id, start, depth, f, 10_000)
    assert found.distances == expected.distances, (start, depth, f)
    assert found.edges == expected.edges, (start, depth, f)
    assert not found.capped and not expected.capped


def test_neighbourhoods_are_the_same_as_postgresql_for_every_filter(cast: Cast) -> None:
    make_links(cast.area, 400, 150, seed=1)
    make_links(AreaFactory(), 200, 150, seed=2)  # the same node ids in another area
    assert snapshot.current() is None
    built = snapshot.build_snapshot()
    assert built.links == Link.objects.filter(review_status=ReviewStatus.ACCEPTED).count()
    assert snapshot.current() is not None
    for number in range(0, 150, 7):
        for depth in (1, 2, 3):
            for link_filter in FILTERS:
                _same_neighbourhood(cast.area.pk, _node(number), depth, link_filter)


def test_shortest_paths_are_as_short_as_postgresqls(cast: Cast) -> None:
    make_links(cast.area, 300, 200, seed=3)
    snapshot.build_snapshot()
    rng = random.Random(4)
    found_some = 0
    for _ in range(60):
        a, b = _node(rng.randrange(200)), _node(rng.randrange(200))
        for link_filter in FILTERS[:3]:
            expected = network.shortest_path(cast.area.pk, a, b, link_filter)
            found = snapshot.shortest_path(cast.area.pk, a, b, link_filter)
            assert (found is None) == (expected is None), (a, b, link_filter)
            if found is None or expected is None:
                continue
            found_some += 1
            path, edges = found
            assert len(path) == len(expected[0]) and path[0] == a and path[-1] == b
            for edge, (here, there) in zip(edges, itertools.pairwise(path), strict=True):
                assert {edge.source, edge.target} == {here, there}
                # Type, dates, grading and count as the neighbourhood gives them.
                around = network.neighbourhood(cast.area.pk, here, 1, link_filter, 10_000)
                assert around.edges[edge.id] == edge
    assert found_some > 10


def test_the_cap_stops_both_at_the_same_size(cast: Cast) -> None:
    make_links(cast.area, 600, 120, seed=5)
    snapshot.build_snapshot()
    for number in (0, 1, 2):
        expected = network.neighbourhood(cast.area.pk, _node(number), 3, LinkFilter(), 25)
        found = snapshot.neighbourhood(cast.area.pk, _node(number), 3, LinkFilter(), 25)
        assert found.capped and expected.capped
        assert len(found.distances) == len(expected.distances) == 25
        for edge in found.edges.values():
            assert edge.source in found.distances and edge.target in found.distances


def test_links_recorded_or_reviewed_after_the_snapshot_are_in_the_answer(cast: Cast) -> None:
    links = make_links(cast.area, 300, 100, seed=6)
    snapshot.build_snapshot()
    start = _node(1)
    new = make_links(cast.area, 1, 1000, seed=7)[0]
    Link.objects.filter(pk=new.pk).update(
        from_kind=start[0], from_id=start[1], review_status=ReviewStatus.ACCEPTED
    )
    proposed = next(link for link in links if link.review_status == ReviewStatus.PROPOSED)
    Link.objects.filter(pk=proposed.pk).update(
        review_status=ReviewStatus.ACCEPTED, reviewed_at=timezone.now()
    )
    accepted = next(link for link in links if link.review_status == ReviewStatus.ACCEPTED)
    Link.objects.filter(pk=accepted.pk).update(
        review_status=ReviewStatus.REJECTED, reviewed_at=timezone.now()
    )
    checked = 0
    for number in range(100):
        for depth in (1, 2):
            _same_neighbourhood(cast.area.pk, _node(number), depth, LinkFilter())
            checked += 1
    found = snapshot.neighbourhood(cast.area.pk, start, 1, LinkFilter(), 10_000)
    assert new.pk in found.edges
    assert (
        proposed.pk
        in snapshot.neighbourhood(
            cast.area.pk, (proposed.from_kind, proposed.from_id), 1, LinkFilter(), 10_000
        ).edges
    )
    assert (
        accepted.pk
        not in snapshot.neighbourhood(
            cast.area.pk, (accepted.from_kind, accepted.from_id), 1, LinkFilter(), 10_000
        ).edges
    )


def test_another_areas_links_never_appear(cast: Cast) -> None:
    other = AreaFactory()
    theirs = make_links(other, 50, 20, seed=8)
    snapshot.build_snapshot()
    for number in range(20):
        found = snapshot.neighbourhood(cast.area.pk, _node(number), 3, LinkFilter(), 10_000)
        assert found.edges == {} and list(found.distances) == [_node(number)]
    assert theirs


def test_a_snapshot_of_another_database_is_not_used(cast: Cast) -> None:
    make_links(cast.area, 10, 10, seed=9)
    built = snapshot.build_snapshot()
    meta = built.path / "meta.json"
    meta.write_text(meta.read_text().replace('"database_oid": ', '"database_oid": 1'))
    snapshot._loaded.clear()
    assert snapshot.current() is None


def _one_link_away(area: Area, start: tuple[str, int]) -> dict[int, object]:
    return snapshot.neighbourhood(area.pk, start, 1, LinkFilter(), 10_000).edges  # type: ignore[return-value]


def _accepted_link_from(area: Area, start: tuple[str, int], seed: int) -> Link:
    new = make_links(area, 1, 1000, seed=seed)[0]
    Link.objects.filter(pk=new.pk).update(
        from_kind=start[0], from_id=start[1], review_status=ReviewStatus.ACCEPTED
    )
    return new


def test_a_link_recorded_on_this_host_is_in_the_next_answer(
    cast: Cast,
    intel: Intel,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    snapshot.build_snapshot()
    analyst = actor_for(cast, Role.INTELLIGENCE_ANALYST)
    child = ("person", intel.child.pk)
    before = snapshot.neighbourhood(cast.area.pk, child, 1, LinkFilter(), 10_000)
    marker = snapshot.snapshot_root() / "links-changed"
    with django_capture_on_commit_callbacks(execute=True):
        new = link(
            analyst, f"vehicle:{intel.vehicle.pk}", f"person:{intel.child.pk}", "travelled_with"
        )
    after = snapshot.neighbourhood(cast.area.pk, child, 1, LinkFilter(), 10_000)
    assert new.pk not in before.edges and new.pk in after.edges
    assert marker.exists()  # so the other workers on this host read it again too


def test_another_process_sees_the_change_through_the_marker_file(cast: Cast) -> None:
    make_links(cast.area, 100, 50, seed=13)
    snapshot.build_snapshot()
    start = _node(2)
    snapshot.neighbourhood(cast.area.pk, start, 1, LinkFilter(), 10_000)
    new = _accepted_link_from(cast.area, start, seed=14)
    # Nothing told this process: the overlay it read a moment ago still answers.
    assert new.pk not in _one_link_away(cast.area, start)
    (snapshot.snapshot_root() / "links-changed").touch()  # as another worker's commit does
    assert new.pk in _one_link_away(cast.area, start)
    path = snapshot.shortest_path(cast.area.pk, start, (new.to_kind, new.to_id), LinkFilter())
    assert path is not None and [edge.id for edge in path[1]] == [new.pk]


def test_a_link_from_another_host_is_seen_within_the_recent_seconds(cast: Cast) -> None:
    make_links(cast.area, 100, 50, seed=15)
    snapshot.build_snapshot()
    start = _node(4)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        snapshot.neighbourhood(cast.area.pk, start, 1, LinkFilter(), 10_000)
        new = _accepted_link_from(cast.area, start, seed=16)
        traveller.shift(timedelta(seconds=4))
        assert (
            new.pk not in snapshot.neighbourhood(cast.area.pk, start, 1, LinkFilter(), 10_000).edges
        )
        traveller.shift(timedelta(seconds=2))
        assert new.pk in snapshot.neighbourhood(cast.area.pk, start, 1, LinkFilter(), 10_000).edges
