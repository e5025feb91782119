"""Fuzzy person search (pg_trgm on names and aliases) as a triage officer of the largest
area sees it, over the whole loaded scale: the trigram index covers every area's
persons, so its cost grows with the country, not the area. Each search is for a
different child of the area, with the last letter of their family name mistyped.
Baseline: the same children found by an exact identifier, an indexed equality lookup."""

from __future__ import annotations

import random
import time

from django.db import connection

from bench.dataset import Dataset
from bench.harness import Result, percentile

SEARCHES = 200


def _triage_actor() -> object:
    """A triage officer (area-wide: sees every child of the area) of the area with the
    most persons, among the synthetic staff."""
    from clearsight.access.actor import Actor
    from clearsight.access.roles import Role
    from clearsight.areas.models import Membership

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT area_id FROM people_person GROUP BY area_id ORDER BY count(*) DESC LIMIT 1"
        )
        area_id = cursor.fetchone()[0]
    membership = (
        Membership.objects.current()
        .select_related("user", "agency__area")
        .filter(agency__area_id=area_id, role=Role.TRIAGE_OFFICER.value)
        .order_by("pk")
        .first()
    )
    if membership is None:
        # Scales whose areas have no triage officer: an area-wide police officer sees the same.
        membership = (
            Membership.objects.current()
            .select_related("user", "agency__area")
            .filter(agency__area_id=area_id, role=Role.POLICE_OFFICER.value)
            .order_by("pk")
            .first()
        )
    assert membership is not None, "no area-wide staff member in the largest area"
    return Actor(user=membership.user, membership=membership)


def _targets(area_id: int) -> list[tuple[str, str, str]]:
    """(given names, family name, an identifier) of children of the area."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.given_names, p.family_name, min(i.value) FROM people_person p "
            "JOIN people_personidentifier i ON i.person_id = p.id "
            "WHERE p.area_id = %s AND p.kind = 'child' AND p.deleted_at IS NULL "
            "AND length(p.family_name) > 3 GROUP BY p.id ORDER BY p.id",
            [area_id],
        )
        rows = cursor.fetchall()
    return random.Random(7).sample(rows, min(SEARCHES, len(rows)))


def _timed(func: object, inputs: list[object]) -> list[float]:
    samples = []
    for value in inputs:
        started = time.perf_counter()
        func(value)  # type: ignore[operator]
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def run(dataset: Dataset) -> list[Result]:
    from clearsight.people.selectors import SearchCriteria, search_persons

    actor = _triage_actor()
    targets = _targets(actor.area_id)  # type: ignore[attr-defined]
    fuzzy = [SearchCriteria(text=f"{given} {family[:-1]}x") for given, family, _ in targets]
    exact = [SearchCriteria(identifier=value) for _, _, value in targets]
    found = sum(bool(search_persons(actor=actor, criteria=c)) for c in exact[:20])  # type: ignore[arg-type]
    assert found == min(20, len(exact)), "the exact identifier search should find each child"
    search = lambda criteria: search_persons(actor=actor, criteria=criteria)  # noqa: E731
    for criteria in fuzzy[:5]:
        search(criteria)  # warm-up
    fuzzy_ms = _timed(search, fuzzy)  # type: ignore[arg-type]
    exact_ms = _timed(search, exact)  # type: ignore[arg-type]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM people_person WHERE area_id = %s", [actor.area_id])  # type: ignore[attr-defined]
        in_area = cursor.fetchone()[0]
    return [
        Result(
            benchmark="Person search (fuzzy name, one typo)",
            figure=f"p{p} of {len(fuzzy_ms)} searches",
            value=percentile(fuzzy_ms, p),
            unit="ms",
            baseline_name="exact identifier search",
            baseline_value=percentile(exact_ms, p),
            data_size=f"{dataset.persons:,} persons in all, {in_area:,} in the searcher's area",
        )
        for p in (50, 95)
    ]
