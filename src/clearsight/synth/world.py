"""The shape of a synthetic country, decided from the seed before any row is made:
areas, agencies, staff, how many people each area holds, the exploitation networks
that cross areas, and the id ranges every area writes into.

Because all of this is known up front, each area's rows can be generated on their own
(in any order, in parallel) and still refer to people in other areas by id. Plain
module with no Django import."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from clearsight.synth import identifiers, names
from clearsight.synth.scales import Scale

# Upper bounds of rows per person in the per-person tables; each area reserves this
# many ids per person, so areas never need to know how many rows another area wrote.
PER_PERSON_MAX = {
    "people_personidentifier": 4,
    "people_personalias": 2,
    "people_address": 2,
    "people_phone": 2,
    "people_person_known_to": 3,
    "people_teammember": 4,
    "people_externalrecord": 1,
}
DUPLICATE_SHARE = 0.05
ADULT_SHARE = 0.12
# Ofcom's drama mobile range holds 1,000 numbers: an area's phone register uses at most
# all of them (each area is its own register, so the same number may be in several).
PHONES_PER_AREA_MAX = 1000
PHONE_IMPORTS_PER_AREA = 2
DEMO_AREA_LINES = 2

# Agency types and the staff roles each one holds (role, how many).
AGENCY_STAFF: dict[str, tuple[tuple[str, int], ...]] = {
    "school": (("designated_safeguarding_lead", 1), ("practitioner", 1)),
    "police": (("police_officer", 3), ("intelligence_analyst", 1)),
    "childrens_social_care": (
        ("social_worker", 3),
        ("missing_coordinator", 1),
        ("triage_officer", 1),
    ),
    "health": (("practitioner", 2),),
    "youth_service": (("practitioner", 2),),
    "voluntary_sector": (("rhi_worker", 2), ("practitioner", 1)),
    "helpline": (("helpline_worker", 1),),
    "local_authority_other": (("mace_coordinator", 1), ("area_administrator", 1)),
}
CORE_AGENCIES = (
    ("{town} Constabulary", "police"),
    ("{town} Children's Social Care", "childrens_social_care"),
    ("{town} Health NHS Trust", "health"),
    ("{town} Youth Service", "youth_service"),
    ("Safe Steps {town}", "voluntary_sector"),
    ("{town} Family Helpline", "helpline"),
    ("{town} Council", "local_authority_other"),
)
SCHOOL_NAMES = (
    "{town} Academy",
    "{town} High School",
    "St Mary's {town}",
    "{town} Community College",
    "{street} Park School",
    "{town} Grammar School",
    "{street} Primary School",
    "{town} Pupil Referral Unit",
    "Holy Trinity {town}",
    "{street} Lane School",
)


@dataclass(frozen=True)
class ExistingArea:
    """An area that is already in the database (the demo area made by load_demo): the
    generator fills it with people but creates none of its agencies or accounts."""

    id: int
    name: str
    code: str
    agencies: tuple[tuple[int, str, str], ...]  # (id, name, agency type)
    memberships: tuple[tuple[int, int, int, str], ...]  # (id, user id, agency id, role)


@dataclass(frozen=True)
class Indicator:
    code: str
    title: str
    category: str
    weight: int


@dataclass
class Staff:
    membership_id: int
    user_id: int
    agency_id: int
    role: str
    is_demo: bool = False


@dataclass
class AreaPlan:
    index: int
    id: int
    name: str
    code: str
    town: str
    is_ours: bool
    districts: list[str]
    persons: int
    children: int
    duplicates: int
    adults: int
    observations: int
    missing_episodes: int
    concerns: int
    links: int
    phones: int
    addresses: int
    vehicles: int
    person_base: int
    # First id this area may use in each table.
    offsets: dict[str, int] = field(default_factory=dict)
    agencies: list[tuple[int, str, str]] = field(default_factory=list)
    staff: list[Staff] = field(default_factory=list)
    new_agencies: list[tuple[int, str, str]] = field(default_factory=list)

    def person_id(self, local: int) -> int:
        return self.person_base + local


@dataclass(frozen=True)
class Network:
    """A deal line run from a hub area, with children from other areas sent to it and a
    cuckooed address (a vulnerable adult's home taken over) where they are found."""

    number: int
    hub_area: int
    deal_line: str
    exploiter: int  # local adult index in the hub area
    cuckooed: int  # local adult index in the hub area
    address: str
    members: tuple[tuple[int, int], ...]  # (area index, local child index)


@dataclass
class World:
    scale: Scale
    seed: int
    as_of: date
    areas: list[AreaPlan]
    networks: list[Network]
    indicators: tuple[Indicator, ...]
    bases: dict[str, int]
    capacities: dict[str, int]
    users: list[tuple[int, str, str]] = field(default_factory=list)  # (id, email, name)

    @property
    def anchor(self) -> datetime:
        """Midnight UTC at the start of ``as_of``: every time is relative to it, so the
        same seed and day always give the same rows."""
        return datetime(self.as_of.year, self.as_of.month, self.as_of.day, tzinfo=UTC)

    def networks_by_member(self) -> dict[tuple[int, int], Network]:
        return {member: net for net in self.networks for member in net.members}


def apportion(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` exactly (largest remainders)."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - shares[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def plan_areas(scale: Scale, seed: int, existing: ExistingArea | None) -> list[AreaPlan]:
    rng = random.Random(f"{seed}:areas")
    towns = [t for t in names.town_names() if existing is None or t not in existing.name]
    rng.shuffle(towns)
    sizes = [rng.lognormvariate(0, 0.5) for _ in range(scale.areas)]
    persons = apportion(scale.persons, sizes)
    observations = apportion(scale.observations, sizes)
    episodes = apportion(scale.missing_episodes, sizes)
    concerns = apportion(scale.concerns, sizes)
    links = apportion(scale.intelligence_links, sizes)
    areas = []
    for i in range(scale.areas):
        town = towns[i]
        name, code, is_ours = f"{town} Safeguarding Partnership", f"syn-{town.lower()}", True
        if i == 0 and existing is not None:
            name, code, is_ours = existing.name, existing.code, False
            town = existing.name.split()[0]
        duplicates = round(persons[i] * DUPLICATE_SHARE)
        adults = round(persons[i] * ADULT_SHARE)
        areas.append(
            AreaPlan(
                index=i,
                id=existing.id if not is_ours and existing else 0,
                name=name,
                code=code,
                town=town,
                is_ours=is_ours,
                districts=identifiers.postcode_districts(rng, 6),
                persons=persons[i],
                children=persons[i] - duplicates - adults,
                duplicates=duplicates,
                adults=adults,
                observations=observations[i],
                missing_episodes=episodes[i],
                concerns=concerns[i],
                links=links[i],
                phones=min(PHONES_PER_AREA_MAX, 20 + persons[i] // 7),
                # Addresses of interest; each area adds the cuckooed homes of its lines.
                addresses=10 + persons[i] // 25,
                vehicles=5 + persons[i] // 150,
                person_base=0,
            )
        )
    return areas


def capacities(
    scale: Scale, areas: list[AreaPlan], existing: ExistingArea | None
) -> dict[str, int]:
    """How many ids each table needs, reserved before loading starts."""
    ours = sum(a.is_ours for a in areas)
    agencies = scale.areas * scale.agencies_per_area
    staff_per_agency = max(sum(n for _, n in roles) for roles in AGENCY_STAFF.values())
    caps = {
        "areas_area": ours,
        "areas_agency": agencies,
        "accounts_user": agencies * staff_per_agency,
        "areas_membership": agencies * staff_per_agency,
        "people_person": scale.persons,
    }
    caps.update({table: per * scale.persons for table, per in PER_PERSON_MAX.items()})
    caps["missing_missingepisode"] = scale.missing_episodes
    caps["missing_returnhomeinterview"] = scale.missing_episodes
    caps["risk_observation"] = scale.observations
    caps["concerns_concern"] = scale.concerns
    caps["intel_phonenumber"] = sum(a.phones for a in areas)
    caps["intel_inteladdress"] = sum(a.addresses for a in areas) + scale.networks
    caps["intel_vehicle"] = sum(a.vehicles for a in areas)
    caps["intel_intelgroup"] = scale.networks
    caps["intel_phonedataimport"] = PHONE_IMPORTS_PER_AREA * scale.areas
    caps["intel_link"] = scale.intelligence_links
    return caps


def area_counts(area: AreaPlan, hub_networks: int) -> dict[str, int]:
    """The ids an area may use in each table sized per area (not per person)."""
    return {
        "missing_missingepisode": area.missing_episodes,
        "missing_returnhomeinterview": area.missing_episodes,
        "risk_observation": area.observations,
        "concerns_concern": area.concerns,
        "intel_phonenumber": area.phones,
        "intel_inteladdress": area.addresses + hub_networks,
        "intel_vehicle": area.vehicles,
        "intel_intelgroup": hub_networks,
        "intel_phonedataimport": PHONE_IMPORTS_PER_AREA,
        "intel_link": area.links,
    }


def lay_out(world: World) -> None:
    """Give each area its ids: areas and agencies, and a slice of every table."""
    next_local = dict.fromkeys(world.capacities, 0)
    for area in world.areas:
        if area.is_ours:
            area.id = world.bases["areas_area"] + next_local["areas_area"]
            next_local["areas_area"] += 1
        area.person_base = world.bases["people_person"] + next_local["people_person"]
        next_local["people_person"] += area.persons
        for table, per in PER_PERSON_MAX.items():
            area.offsets[table] = world.bases[table] + next_local[table]
            next_local[table] += per * area.persons
        hubs = sum(n.hub_area == area.index for n in world.networks)
        for table, count in area_counts(area, hubs).items():
            area.offsets[table] = world.bases[table] + next_local[table]
            next_local[table] += count


def plan_agencies_and_staff(world: World, existing: ExistingArea | None) -> None:
    rng = random.Random(f"{world.seed}:agencies")
    agency_local = 0
    staff_local = 0
    for area in world.areas:
        if not area.is_ours and existing is not None:
            area.agencies = list(existing.agencies)
            area.staff = [
                Staff(m_id, user_id, agency_id, role, is_demo=True)
                for m_id, user_id, agency_id, role in existing.memberships
            ]
            wanted = [("school", f"{area.town} {street} School") for street in ("Church", "Mill")]
        else:
            wanted = [(kind, pattern.format(town=area.town)) for pattern, kind in CORE_AGENCIES]
            wanted.append(("voluntary_sector", f"{area.town} Children's Homes"))
        schools = world.scale.agencies_per_area - len(area.agencies) - len(wanted)
        for n in range(schools):
            pattern = SCHOOL_NAMES[n % len(SCHOOL_NAMES)]
            name = pattern.format(town=area.town, street=names.STREET_NAMES[n])
            wanted.append(("school", name if n < len(SCHOOL_NAMES) else f"{name} {n}"))
        for kind, name in wanted:
            agency_id = world.bases["areas_agency"] + agency_local
            agency_local += 1
            area.agencies.append((agency_id, name, kind))
            area.new_agencies.append((agency_id, name, kind))
        # Synthetic staff in every agency (the demo area's own agencies too, since not
        # every one of them has a demo user).
        for agency_id, _, kind in area.agencies:
            for role, count in AGENCY_STAFF[kind]:
                for _ in range(count):
                    ident = world.bases["accounts_user"] + staff_local
                    member = world.bases["areas_membership"] + staff_local
                    staff_local += 1
                    is_female = rng.random() < 0.6
                    first = names.adult_first_name(rng, is_female=is_female)
                    last = names.surname(rng)
                    email = f"{first}.{last}.{staff_local}@{area.code}.synthetic.invalid".lower()
                    world.users.append((ident, email, f"{first} {last}"))
                    area.staff.append(Staff(member, ident, agency_id, role))


def plan_networks(world: World) -> list[Network]:
    rng = random.Random(f"{world.seed}:networks")
    numbers = rng.sample(range(1000), world.scale.networks)
    networks = []
    taken: set[tuple[int, int]] = set()
    area_count = len(world.areas)
    demo_hubs = 0 if world.areas[0].is_ours else DEMO_AREA_LINES
    for n, number in enumerate(numbers):
        # The demo police officer and analyst see lines run from their own area.
        hub = 0 if n < demo_hubs else rng.randrange(area_count)
        hub_area = world.areas[hub]
        others = [i for i in range(area_count) if i != hub] or [hub]
        member_areas = rng.sample(others, min(len(others), rng.randint(1, 4)))
        members: list[tuple[int, int]] = []
        for _ in range(rng.randint(3, 8)):
            area_index = rng.choice(member_areas)
            child = rng.randrange(world.areas[area_index].children)
            if (area_index, child) not in taken:
                taken.add((area_index, child))
                members.append((area_index, child))
        street = f"{rng.randint(1, 120)} {rng.choice(names.STREET_NAMES)} Court"
        networks.append(
            Network(
                number=n,
                hub_area=hub,
                deal_line=f"+447700900{number:03d}",
                exploiter=rng.randrange(hub_area.adults),
                cuckooed=rng.randrange(hub_area.adults),
                address=f"Flat {rng.randint(1, 40)}, {street}, {hub_area.town}",
                members=tuple(members),
            )
        )
    return networks


def plan_world(
    *,
    scale: Scale,
    seed: int,
    as_of: date,
    indicators: tuple[Indicator, ...],
    existing: ExistingArea | None,
    bases: dict[str, int] | None = None,
) -> World:
    """The whole plan. ``bases`` are the first reserved id of each table; without them
    ids start at 1 (for sizing the reservation, and for tests of the pure plan)."""
    areas = plan_areas(scale, seed, existing)
    caps = capacities(scale, areas, existing)
    world = World(
        scale=scale,
        seed=seed,
        as_of=as_of,
        areas=areas,
        networks=[],
        indicators=indicators,
        bases=bases or dict.fromkeys(caps, 1),
        capacities=caps,
    )
    world.networks = plan_networks(world)
    lay_out(world)
    plan_agencies_and_staff(world, existing)
    return world
