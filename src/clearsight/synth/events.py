"""An area's missing episodes, return home interviews, observations and teams, made a
column at a time with numpy (docs/decisions/0006-synthetic-data-copy-with-reserved-ids.md).

The realism that matters for the product:
- repeat missing concentrated in a minority: a heavy-tailed (Pareto) weight per child,
  most children never missing;
- episodes of one child never overlap, mostly in the evening, a few still open;
- children in a network found at its cuckooed address, often in another area;
- interviews due 72 hours after return, the older ones long finished, some recent ones
  overdue; completed ones sometimes disclose signs, which become observations;
- observations clustered in the weeks before a child's risk escalated.
Plain module with no Django import."""

from __future__ import annotations

from typing import Any

import numpy as np

from clearsight.synth import copytext as ct
from clearsight.synth import texts
from clearsight.synth.context import (
    EXPLOITED,
    FRONTLINE,
    NONE,
    AreaContext,
    StaffSet,
    allocate,
    staff_at,
    weighted,
    within_groups,
)
from clearsight.synth.people import AreaRows

GRADINGS = (("no_apparent_risk", 10), ("low", 40), ("medium", 35), ("high", 12), ("", 3))
EVENING_HOURS = np.array((9, 15, 17, 19, 20, 21, 22, 23))
# Interviews due longer ago than this are finished in the synthetic data.
RECENT_OVERDUE_DAYS = 21
RHI_STATES = ("to_offer", "offered", "accepted", "completed", "declined", "not_completed")
DUE_LATER = (50, 35, 15, 0, 0, 0)
DUE_RECENTLY = (10, 5, 0, 60, 15, 10)
DUE_LONG_AGO = (0, 0, 0, 70, 18, 12)
BIG = 1 << 40


def generate_events(ctx: AreaContext, rows: AreaRows) -> tuple[np.ndarray, np.ndarray]:
    """Adds the area's episodes, interviews, observations and teams to ``rows``;
    returns each child's count of episodes and of observations."""
    episodes = _episodes(ctx, rows)
    observed = _observations(ctx, rows, episodes)
    _teams(ctx, rows, episodes.per_child + observed)
    return episodes.per_child, observed


class _Episodes:
    def __init__(self, per_child: np.ndarray, child: np.ndarray, ids: np.ndarray) -> None:
        self.per_child, self.child, self.ids = per_child, child, ids
        self.ended = np.zeros(0, dtype=np.int64)
        # (child, indicator, day, interview id, workers, worker) of each sign disclosed.
        self.disclosures: tuple[Any, ...] = ()


def _missing_weights(ctx: AreaContext, rng: np.random.Generator) -> np.ndarray:
    kids = ctx.children
    age = (ctx.today - kids.born) // 365
    base = np.array((0.04, 0.6, 3.0, 6.0))[kids.profile]
    takes_part = rng.random(len(kids)) < np.array((0.1, 0.3, 0.7, 1.0))[kids.profile]
    # Heavy-tailed: a few children go missing very often.
    weight = base * np.minimum(rng.pareto(1.3, len(kids)) + 1, 40.0)
    return np.where((age >= 11) & takes_part, weight, 0.0)


def _episode_starts(
    ctx: AreaContext, rng: np.random.Generator, counts: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start minutes, sorted within each child and at least an hour apart, with a few
    children's last episode still open."""
    kids = ctx.children
    child, position = within_groups(counts)
    escalated = kids.escalation[child] >= 0
    last_day = ctx.today - 3
    end = np.where(escalated, np.minimum(kids.escalation[child] + 30, last_day), last_day)
    span = np.where(
        escalated, np.maximum(120, 4 * counts[child]), np.maximum(1000, 2 * counts[child])
    )
    day = end - span + (rng.random(len(child)) * span).astype(np.int64)
    hour = EVENING_HOURS[rng.integers(0, len(EVENING_HOURS), len(child))]
    start = day * 1440 + hour * 60 + rng.integers(0, 60, len(child))
    start = start[np.lexsort((start, child))]
    is_last = position == counts[child] - 1
    is_open_child = (rng.random(len(kids)) < 0.05) & (kids.profile != NONE)
    is_open = is_last & is_open_child[child]
    hours_ago = rng.integers(2, 61, len(child))
    start = np.where(is_open, ctx.anchor - hours_ago * 60, start)
    # At least an hour between the starts of one child's episodes.
    shifted = start - 60 * position + child * BIG
    start = np.maximum.accumulate(shifted) - child * BIG + 60 * position
    start = np.minimum(start, ctx.anchor - 30)
    return child, start, is_open


def _episodes(ctx: AreaContext, rows: AreaRows) -> _Episodes:
    rng = ctx.rng("episodes")
    area, kids = ctx.area, ctx.children
    counts = allocate(rng, area.missing_episodes, _missing_weights(ctx, rng), kids.network)
    child, start, is_open = _episode_starts(ctx, rng, counts)
    total = len(child)
    ids = ctx.offset("missing_missingepisode") + np.arange(total)
    next_start = np.append(start[1:], ctx.anchor)
    same_child = np.append(child[1:] == child[:-1], False)
    gap = np.where(same_child, next_start, ctx.anchor) - start
    hours = np.minimum(np.minimum(rng.exponential(20, total) + 1, 240.0), gap / 60 * 0.9)
    ended = np.where(is_open, -1, start + np.maximum((hours * 60).astype(np.int64), 1))
    was_found = ended >= 0

    found = ct.pick(texts.FOUND_PLACES, rng.integers(0, len(texts.FOUND_PLACES), total))
    found_out = np.zeros(total, dtype=bool)
    found_area = np.full(total, -1, dtype=np.int64)
    found_town = np.full(total, "", dtype=object)
    net = kids.network[child]
    at_hub = was_found & (net >= 0) & (rng.random(total) < 0.6)
    elsewhere = was_found & ~at_hub & (rng.random(total) < 0.08)
    others = rng.integers(0, len(ctx.world.areas), total)
    elsewhere &= others != area.index
    hubs = np.array([n.hub_area for n in ctx.world.networks] or [0], dtype=np.int64)
    addresses = np.array([ct.text(n.address) for n in ctx.world.networks] or [""], dtype=object)
    area_ids = np.array([a.id for a in ctx.world.areas], dtype=np.int64)
    towns = np.array([ct.text(a.town) for a in ctx.world.areas], dtype=object)
    hub_of = hubs[np.maximum(net, 0)]
    found_place = np.where(at_hub, addresses[np.maximum(net, 0)], np.array(found, dtype=object))
    found_place[~was_found] = ""
    found_out = np.where(at_hub, hub_of != area.index, elsewhere)
    where = np.where(at_hub, hub_of, np.where(elsewhere, others, -1))
    found_area = np.where(where >= 0, area_ids[np.maximum(where, 0)], -1)
    found_town = np.where(where >= 0, towns[np.maximum(where, 0)], "")

    reporters = ctx.role("police_officer", "missing_coordinator")
    reporter = rng.integers(0, len(reporters), total)
    prefix = area.code.removeprefix("syn-")[:4].upper()
    years = (start // 1440).astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
    local = ids - ctx.offset("missing_missingepisode")
    references = [
        f"{prefix}-{y}-{n:07d}" for y, n in zip(years.tolist(), local.tolist(), strict=True)
    ]
    cal = ctx.calendar

    def when_found(pool: tuple[str, ...]) -> list[str]:
        picked = np.array(ct.pick(pool, rng.integers(0, len(pool), total)), dtype=object)
        return np.where(was_found, picked, "").tolist()

    columns = [
        ct.ints(ids),
        ct.ints(kids.person[child]),
        np.where(rng.random(total) < 0.85, "M", "A").tolist(),
        cal.stamps(start + rng.integers(30, 361, total)),
        ct.ints(reporters.user[reporter]),
        ct.ints(reporters.membership[reporter]),
        cal.stamps(start),
        ct.pick(texts.LAST_SEEN, rng.integers(0, len(texts.LAST_SEEN), total)),
        ct.pick(texts.CLOTHING, rng.integers(0, len(texts.CLOTHING), total)),
        references,
        ct.pick([g for g, _ in GRADINGS], weighted(rng, [w for _, w in GRADINGS], total)),
        cal.stamps(ended),
        found_place.tolist(),
        when_found(texts.FOUND_WITH),
        ct.bools(found_out),
        found_town.tolist(),
        ct.nullable_ints(found_area),
        when_found(texts.HOW_RETURNED),
        cal.stamps(start),
    ]
    rows.add_text(
        "missing_missingepisode",
        ct.columns_text(columns, ctx.tails["missing_missingepisode"]),
        total,
    )
    episodes = _Episodes(counts, child, ids)
    _interviews(ctx, rows, episodes, ended, rng)
    return episodes


def _interviews(
    ctx: AreaContext,
    rows: AreaRows,
    episodes: _Episodes,
    ended_all: np.ndarray,
    rng: np.random.Generator,
) -> None:
    done = ended_all >= 0
    episode, child, ended = episodes.ids[done], episodes.child[done], ended_all[done]
    total = len(episode)
    ids = ctx.offset("missing_returnhomeinterview") + np.arange(total)
    due = ended + 72 * 60
    draws = [weighted(rng, weights, total) for weights in (DUE_LATER, DUE_RECENTLY, DUE_LONG_AGO)]
    state = np.select(
        [due > ctx.anchor, due > ctx.anchor - RECENT_OVERDUE_DAYS * 1440], draws[:2], draws[2]
    )
    offered = np.minimum(ended + rng.integers(2, 49, total) * 60, ctx.anchor)
    responded = np.minimum(offered + rng.integers(1, 25, total) * 60, ctx.anchor)
    finished = np.minimum(responded + rng.integers(1, 25, total) * 60, ctx.anchor)
    to_offer, completed = state == 0, state == 3
    has_responded = state >= 2
    has_finished = state >= 3
    turned_down = (state == 4) | (state == 5)
    workers = ctx.role("rhi_worker")
    worker = rng.integers(0, len(workers), total)
    profile = ctx.children.profile[child]
    discloses = completed & (profile != NONE) & (rng.random(total) < 0.4)
    risky = ctx.risky
    one = rng.integers(0, len(risky), total)
    first = risky[one]
    second = risky[(one + rng.integers(1, max(2, len(risky)), total)) % len(risky)]
    two = discloses & (rng.random(total) < 0.5) & (first != second)
    codes = np.array([i.code for i in ctx.world.indicators], dtype=object)
    disclosure = np.where(
        two,
        "{" + codes[first] + "," + codes[second] + "}",
        np.where(discloses, "{" + codes[first] + "}", "{}"),
    )
    held = finished // 1440
    cal = ctx.calendar

    def if_completed(pool: tuple[str, ...]) -> list[str]:
        picked = np.array(ct.pick(pool, rng.integers(0, len(pool), total)), dtype=object)
        return np.where(completed, picked, "").tolist()

    columns = [
        ct.ints(ids),
        ct.ints(episode),
        cal.stamps(due),
        ct.pick(RHI_STATES, state),
        ct.nullable_ints(np.where(to_offer, -1, workers.membership[worker])),
        cal.stamps(np.where(to_offer, -1, offered)),
        cal.stamps(np.where(has_responded, responded, -1)),
        cal.stamps(np.where(has_finished, finished, -1)),
        np.where(turned_down, "Child did not want to talk", "").tolist(),
        cal.nullable_dates(np.where(completed, held, -1)),
        if_completed(texts.FOUND_PLACES),
        if_completed(texts.FOUND_WITH),
        if_completed(texts.WHAT_HAPPENED),
        if_completed(texts.PUSH),
        if_completed(texts.PULL),
        if_completed(texts.CHILDS_WORDS),
        disclosure.tolist(),
        cal.stamps(ended),
    ]
    rows.add_text(
        "missing_returnhomeinterview",
        ct.columns_text(columns, ctx.tails["missing_returnhomeinterview"]),
        total,
    )
    # Each sign disclosed is also an observation by the interviewing worker.
    said = np.concatenate([np.flatnonzero(discloses), np.flatnonzero(two)])
    code = np.concatenate([first[discloses], second[two]])
    order = np.lexsort((said, child[said]))
    said, code = said[order], code[order]
    episodes.disclosures = (child[said], code, held[said], ids[said], workers, worker[said])


def _observations(ctx: AreaContext, rows: AreaRows, episodes: _Episodes) -> np.ndarray:
    rng = ctx.rng("observations")
    kids = ctx.children
    weights = np.array((0.05, 3.0, 10.0, 12.0))[kids.profile]
    counts = allocate(rng, ctx.area.observations, weights, kids.network)
    said_child, said_code, said_day, said_rhi, workers, said_worker = episodes.disclosures
    # A child's disclosures count towards (and are capped by) their observations.
    _, rank = within_groups(np.bincount(said_child, minlength=len(kids)))
    keep = rank < counts[said_child]
    said_child, said_code, said_day = said_child[keep], said_code[keep], said_day[keep]
    said_rhi, said_worker = said_rhi[keep], said_worker[keep]
    disclosed = np.bincount(said_child, minlength=len(kids))
    child, _ = within_groups(counts - disclosed)
    total = len(child)
    escalated = (kids.escalation[child] >= 0) & (rng.random(total) < 0.8)
    before = kids.escalation[child] - rng.exponential(25, total).astype(np.int64)
    day = np.where(escalated, before, ctx.today - rng.integers(0, 730, total))
    day = np.minimum(np.maximum(day, kids.born[child] + 8 * 365), ctx.today)
    indicators = len(ctx.world.indicators)
    risky = (kids.profile[child] == EXPLOITED) & (rng.random(total) < 0.5)
    indicator = np.where(
        risky, ctx.risky[rng.integers(0, len(ctx.risky), total)], rng.integers(0, indicators, total)
    )
    own = kids.agencies[child, (rng.random(total) * kids.agency_count[child]).astype(np.int64)]
    area_agencies = np.array([a for a, _, _ in ctx.area.agencies], dtype=np.int64)
    agency = np.where(
        rng.random(total) < 0.7, own, area_agencies[rng.integers(0, len(area_agencies), total)]
    )
    author = staff_at(rng, ctx.staff, agency)
    said_total = len(said_child)
    every = {
        "child": np.concatenate([said_child, child]),
        "indicator": np.concatenate([said_code, indicator]),
        "day": np.concatenate([said_day, day]),
        "user": np.concatenate([workers.user[said_worker], ctx.staff.user[author]]),
        "membership": np.concatenate(
            [workers.membership[said_worker], ctx.staff.membership[author]]
        ),
        "agency": np.concatenate([workers.agency[said_worker], ctx.staff.agency[author]]),
    }
    count = said_total + total
    ids = ctx.offset("risk_observation") + np.arange(count)
    codes = [ct.text(i.code) for i in ctx.world.indicators]
    titles = [ct.text(i.title) for i in ctx.world.indicators]
    created = np.minimum(every["day"] * 1440 + rng.integers(9, 19, count) * 60, ctx.anchor)
    source = ["return_home_interview"] * said_total + ["professional"] * total
    columns = [
        ct.ints(ids),
        ct.ints(kids.person[every["child"]]),
        ct.pick(codes, every["indicator"]),
        ct.pick(titles, every["indicator"]),
        ctx.calendar.dates(every["day"]),
        ct.ints(weighted(rng, (5, 15, 35, 30, 15), count) + 1),
        ct.pick(texts.OBSERVATION_NOTES, rng.integers(0, len(texts.OBSERVATION_NOTES), count)),
        source,
        ct.ints(said_rhi) + [""] * total,
        ct.ints(every["agency"]),
        ct.ints(every["user"]),
        ct.ints(every["membership"]),
        ctx.calendar.stamps(created),
    ]
    rows.add_text(
        "risk_observation", ct.columns_text(columns, ctx.tails["risk_observation"]), count
    )
    return counts


def _teams(ctx: AreaContext, rows: AreaRows, activity: np.ndarray) -> None:
    """The professionals around each child with something recorded about them. In the
    demo area a demo user is on most such teams, so every demo role sees children."""
    rng = ctx.rng("teams")
    kids = ctx.children
    frontline_staff = [s for s in ctx.area.staff if s.role in FRONTLINE]
    frontline = StaffSet.of(frontline_staff)
    demo = StaffSet.of([s for s in frontline_staff if s.is_demo])
    workers = ctx.role("rhi_worker")
    active = (activity > 0) | (kids.profile != NONE)
    n = len(kids)
    slots: list[tuple[np.ndarray, np.ndarray]] = []  # (has a member, membership id)
    with_demo = active & (rng.random(n) < 0.8) & (len(demo) > 0)
    demo_member = demo.membership[kids.local % max(1, len(demo))] if len(demo) else np.zeros(n)
    first = frontline.membership[rng.integers(0, len(frontline), n)]
    second = frontline.membership[rng.integers(0, len(frontline), n)]
    slots.append((with_demo, demo_member))
    slots.append((active & ~(with_demo & (first == demo_member)), first))
    two = active & (rng.random(n) < 0.5) & (second != first)
    slots.append((two & ~(with_demo & (second == demo_member)), second))
    worker = workers.membership[kids.local % max(1, len(workers))] if len(workers) else first
    slots.append(((activity > 0) & (rng.random(n) < 0.3) & (len(workers) > 0), worker))
    child = np.concatenate([np.flatnonzero(has) for has, _ in slots])
    member = np.concatenate([members[has] for has, members in slots])
    total = len(child)
    ids = ctx.offset("people_teammember") + np.arange(total)
    added = ctx.anchor - rng.integers(1, 400, total) * 1440
    columns = [
        ct.ints(ids),
        ct.ints(kids.person[child]),
        ct.ints(member.astype(np.int64)),
        ct.pick(texts.TEAM_REASONS, rng.integers(0, len(texts.TEAM_REASONS), total)),
        ctx.calendar.stamps(added),
    ]
    rows.add_text(
        "people_teammember", ct.columns_text(columns, ctx.tails["people_teammember"]), total
    )
