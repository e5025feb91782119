"""What the column generators (synth/events.py, concerns.py, intel.py) share about one
area: a numpy generator seeded from the seed and the area, its children as arrays, its
staff by role and agency, and the calendar that formats days and times.

numpy's ``Generator`` is seeded with ``(seed, area index, stream)``, so each table of an
area is the same whichever order, or process, makes it. Plain module with no Django
import."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np

from clearsight.synth import copytext
from clearsight.synth.people import Child
from clearsight.synth.world import AreaPlan, Staff, World

PROFILES = ("none", "emerging", "high", "exploited")
NONE, EMERGING, HIGH, EXPLOITED = range(4)
FRONTLINE = {"practitioner", "designated_safeguarding_lead", "social_worker", "police_officer"}
RISKY_CATEGORIES = {"missing_and_location", "relationships", "money_and_possessions"}
# Far enough back for the oldest day an event uses (a child's eighth birthday).
CALENDAR_YEARS = 20


@dataclass
class StaffSet:
    """Some of an area's staff as arrays, in a fixed order."""

    user: np.ndarray
    membership: np.ndarray
    agency: np.ndarray

    @classmethod
    def of(cls, staff: Sequence[Staff]) -> StaffSet:
        return cls(
            np.array([s.user_id for s in staff], dtype=np.int64),
            np.array([s.membership_id for s in staff], dtype=np.int64),
            np.array([s.agency_id for s in staff], dtype=np.int64),
        )

    def __len__(self) -> int:
        return len(self.user)


@dataclass
class Cohort:
    """The children of an area (not their duplicate records), one array entry each."""

    person: np.ndarray
    local: np.ndarray
    profile: np.ndarray
    escalation: np.ndarray  # day number, or -1 when the child's risk never escalated
    born: np.ndarray  # day number
    agencies: np.ndarray  # (children, 3) agency ids, -1 where the child has fewer
    agency_count: np.ndarray
    network: np.ndarray  # index into World.networks, or -1

    def __len__(self) -> int:
        return len(self.person)


@dataclass
class AreaContext:
    world: World
    area: AreaPlan
    children: Cohort
    calendar: copytext.Calendar
    today: int  # day number of as_of
    anchor: int  # minute number of midnight UTC starting as_of
    staff: StaffSet
    # Each table's columns that every row shares (model defaults), in COPY text.
    tails: dict[str, str] = field(default_factory=dict)
    risky: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def rng(self, stream: str) -> np.random.Generator:
        tag = int.from_bytes(stream.encode()[:8].ljust(8, b"\0"), "big")
        return np.random.default_rng([self.world.seed, self.area.index, tag])

    def role(self, *roles: str) -> StaffSet:
        return StaffSet.of([s for s in self.area.staff if s.role in roles])

    def offset(self, table: str) -> int:
        return self.area.offsets[table]


def area_context(
    world: World, area: AreaPlan, children: list[Child], tails: dict[str, str]
) -> AreaContext:
    calendar = copytext.Calendar(
        max(copytext.EPOCH, world.as_of - timedelta(days=365 * CALENDAR_YEARS)),
        world.as_of + timedelta(days=40),
    )
    day = calendar.day_number
    network_index = {net.number: n for n, net in enumerate(world.networks)}
    agencies = np.full((len(children), 3), -1, dtype=np.int64)
    for n, child in enumerate(children):
        agencies[n, : len(child.agencies[:3])] = child.agencies[:3]
    cohort = Cohort(
        person=np.array([c.id for c in children], dtype=np.int64),
        local=np.array([c.local for c in children], dtype=np.int64),
        profile=np.array([PROFILES.index(c.profile) for c in children], dtype=np.int64),
        escalation=np.array(
            [day(c.escalation) if c.escalation else -1 for c in children], dtype=np.int64
        ),
        born=np.array([day(c.dob) for c in children], dtype=np.int64),
        agencies=agencies,
        agency_count=(agencies >= 0).sum(axis=1),
        network=np.array(
            [network_index[c.network.number] if c.network else -1 for c in children],
            dtype=np.int64,
        ),
    )
    risky = [n for n, i in enumerate(world.indicators) if i.category in RISKY_CATEGORIES]
    return AreaContext(
        world=world,
        area=area,
        children=cohort,
        calendar=calendar,
        today=day(world.as_of),
        anchor=copytext.minute_of(world.anchor),
        staff=StaffSet.of(sorted(area.staff, key=lambda s: (s.agency_id, s.membership_id))),
        tails=tails,
        risky=np.array(risky or range(len(world.indicators)), dtype=np.int64),
    )


def weighted(rng: np.random.Generator, weights: Sequence[float], size: int) -> np.ndarray:
    """Indexes drawn with the given relative weights."""
    p = np.asarray(weights, dtype=float)
    return rng.choice(len(p), size=size, p=p / p.sum())


def within_groups(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For rows repeated ``counts`` times per group: each row's group and its position
    within the group."""
    group = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    return group, np.arange(len(group)) - starts[group]


def allocate(
    rng: np.random.Generator, total: int, weights: np.ndarray, network: np.ndarray
) -> np.ndarray:
    """Share ``total`` out among the children by weight so that the area's total is
    exact; children in a network get at least two each."""
    counts = np.where(network >= 0, 2, 0).astype(np.int64)
    rest = total - int(counts.sum())
    if rest > 0 and weights.sum() > 0:
        counts += rng.multinomial(rest, weights / weights.sum())
    return counts


def staff_at(rng: np.random.Generator, staff: StaffSet, agencies: np.ndarray) -> np.ndarray:
    """A random member of staff of each agency (index into ``staff``, which is sorted
    by agency); every agency has staff."""
    first = np.searchsorted(staff.agency, agencies, side="left")
    last = np.searchsorted(staff.agency, agencies, side="right")
    return first + (rng.random(len(agencies)) * (last - first)).astype(np.int64)
