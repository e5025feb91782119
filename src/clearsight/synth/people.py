"""One area's rows: its children and adults, their identifiers, addresses, agencies and
teams, their missing episodes and return home interviews, and the observations about
them. Everything comes from ``random.Random(f"{seed}:area:{index}")``, so an area is the
same whichever order (or process) generates it. Plain module with no Django import.

The realism that matters for the product:
- ages skewed to 12-17, the ages at which children are most often exploited;
- repeat missing concentrated in a minority (a heavy-tailed number of episodes);
- observations clustered in the weeks before a child's risk escalates;
- children in exploitation networks found at a cuckooed address in another area, with
  the network's deal line among their phone numbers;
- duplicate records of the same child held by different agencies, with the errors
  real records have (typos, nicknames, day and month swapped, missing identifiers, a
  changed surname, an address move). The truth about which records are one child is
  returned separately, never stored in the database."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from clearsight.synth import identifiers, names, texts
from clearsight.synth.world import AreaPlan, Indicator, Network, Staff, World

Row = tuple[Any, ...]
CHILD_AGES = (8, 9, 10, 11, 12, 13, 14, 15, 16, 17)
CHILD_AGE_WEIGHTS = (1, 1, 2, 3, 6, 9, 12, 14, 14, 12)
ETHNICITIES = (
    ("white_british", 62),
    ("white_other", 6),
    ("asian_pakistani", 5),
    ("asian_indian", 3),
    ("asian_bangladeshi", 2),
    ("black_african", 4),
    ("black_caribbean", 2),
    ("mixed_white_black_caribbean", 3),
    ("mixed_other", 3),
    ("white_gypsy_traveller", 1),
    ("white_roma", 1),
    ("other_arab", 1),
    ("other_any", 1),
    ("not_known", 6),
)
LEGAL = (("none", 70), ("child_in_need", 14), ("child_protection_plan", 6), ("looked_after", 10))
GRADINGS = (("no_apparent_risk", 10), ("low", 40), ("medium", 35), ("high", 12), ("", 3))
FRONTLINE = {"practitioner", "designated_safeguarding_lead", "social_worker", "police_officer"}
RISKY_CATEGORIES = {"missing_and_location", "relationships", "money_and_possessions"}


# Interviews due longer ago than this are finished in the synthetic data.
RECENT_OVERDUE_DAYS = 21


@dataclass
class Child:
    local: int
    id: int
    is_female: bool
    given: str
    family: str
    dob: date
    school: int | None
    agencies: list[int]
    address: tuple[str, str, str]
    identifiers: list[tuple[str, str, str]]
    profile: str = "none"
    escalation: date | None = None
    network: Network | None = None


@dataclass
class AreaRows:
    tables: dict[str, list[Row]] = field(default_factory=dict)
    # (cluster key, person id, agency id, source record id, how this record differs)
    truth: list[tuple[str, int, int, str, str]] = field(default_factory=list)

    def add(self, table: str, row: Row) -> None:
        self.tables.setdefault(table, []).append(row)


class _Ids:
    """Hands out the area's ids in each table, from its reserved slice."""

    def __init__(self, area: AreaPlan) -> None:
        self._next = dict(area.offsets)

    def __call__(self, table: str) -> int:
        value = self._next[table]
        self._next[table] = value + 1
        return value


def generate_area(world: World, area: AreaPlan) -> AreaRows:
    return _AreaGenerator(world, area).run()


class _AreaGenerator:
    def __init__(self, world: World, area: AreaPlan) -> None:
        self.world, self.area = world, area
        self.rng = random.Random(f"{world.seed}:area:{area.index}")
        self.rows = AreaRows()
        self.ids = _Ids(area)
        self.anchor = world.anchor
        self.today = world.as_of
        self.schools = [a for a, _, kind in area.agencies if kind == "school"]
        self.by_kind: dict[str, list[int]] = {}
        for agency_id, _, kind in area.agencies:
            self.by_kind.setdefault(kind, []).append(agency_id)
        self.staff_by_agency: dict[int, list[Staff]] = {}
        for member in area.staff:
            self.staff_by_agency.setdefault(member.agency_id, []).append(member)
        self.frontline = [s for s in area.staff if s.role in FRONTLINE]
        self.demo_frontline = [s for s in self.frontline if s.is_demo]
        self.rhi_workers = [s for s in area.staff if s.role == "rhi_worker"]
        self.reporters = [
            s for s in area.staff if s.role in ("police_officer", "missing_coordinator")
        ]
        self.networks = {
            local: net for (a, local), net in world.networks_by_member().items() if a == area.index
        }
        self.hub_networks = [n for n in world.networks if n.hub_area == area.index]
        self.ethnicities = names.Weighted.of(ETHNICITIES)
        self.legal = names.Weighted.of(LEGAL)
        self.gradings = names.Weighted.of(GRADINGS)

    # --- People ---------------------------------------------------------------------

    def run(self) -> AreaRows:
        children = [self._child(local) for local in range(self.area.children)]
        for local in range(self.area.children, self.area.children + self.area.duplicates):
            self._duplicate(local, self.rng.choice(children))
        self._adults()
        episodes = self._allocate(children, self.area.missing_episodes, self._missing_weight)
        observations = self._allocate(children, self.area.observations, self._observation_weight)
        for child, count in zip(children, episodes, strict=True):
            disclosures = self._episodes(child, count)
            self._observations(child, observations[child.local], disclosures)
            self._team(child, count + observations[child.local])
        return self.rows

    def _child(self, local: int) -> Child:
        rng = self.rng
        is_female = rng.random() < 0.45
        age = rng.choices(CHILD_AGES, CHILD_AGE_WEIGHTS)[0]
        child = Child(
            local=local,
            id=self.area.person_id(local),
            is_female=is_female,
            given=names.child_first_name(rng, is_female=is_female),
            family=names.surname(rng),
            dob=self.today - timedelta(days=age * 365 + rng.randrange(365)),
            school=rng.choice(self.schools) if rng.random() < 0.93 else None,
            agencies=[],
            address=self._address(),
            identifiers=[],
        )
        child.agencies = self._agencies_for(child)
        network = self.networks.get(local)
        if network is not None:
            child.profile, child.network = "exploited", network
        else:
            roll = rng.random()
            child.profile = "high" if roll < 0.05 else "emerging" if roll < 0.2 else "none"
        if child.profile != "none":
            recent = rng.random() < 0.2
            child.escalation = self.today - timedelta(
                days=rng.randrange(0, 30) if recent else rng.randrange(30, 700)
            )
        if rng.random() < 0.75:
            child.identifiers.append(("nhs_number", identifiers.nhs_number(rng), ""))
        if child.school and rng.random() < 0.8:
            child.identifiers.append(("upn", identifiers.upn(rng), ""))
        if child.profile != "none" and rng.random() < 0.15:
            year = self.today.year - rng.randrange(0, 3)
            child.identifiers.append(("pnc_id", identifiers.pnc_id(rng, year), ""))
        if child.profile != "none" or rng.random() < 0.1:
            csc = self.by_kind["childrens_social_care"][0]
            issuer = next(name for a, name, _ in self.area.agencies if a == csc)
            child.identifiers.append(
                ("la_id", f"SYN{self.area.index:03d}{child.local:07d}", issuer)
            )
        preferred = ""
        nick = names.nickname(rng, child.given)
        if nick and rng.random() < 0.25:
            preferred = nick
        legal = self.legal.pick(rng) if child.profile != "none" else "none"
        self._person(
            child.id,
            "child",
            child.given,
            child.family,
            preferred,
            child.dob,
            child.is_female,
            child.school,
            legal,
            has_learning_disability=rng.random() < 0.03,
        )
        if nick and rng.random() < 0.1:
            self.rows.add(
                "people_personalias", (self.ids("people_personalias"), child.id, nick, "nickname")
            )
        for kind, value, issuer in child.identifiers:
            self._identifier(child.id, kind, value, issuer)
        self._address_rows(child.id, child.address, moved=rng.random() < 0.2)
        if network is not None:
            self._phone(network.deal_line, child.id, "Phone found with the child")
        elif age >= 12 and rng.random() < 0.3:
            self._phone(self._landline(), child.id, "Home")
        self._known_to(child.id, child.agencies)
        record = self._external(child.id, child.agencies[0])
        self.rows.truth.append((self._cluster(child), child.id, child.agencies[0], record, ""))
        return child

    def _duplicate(self, local: int, original: Child) -> None:
        """Another agency's record of ``original``, with the errors real records have."""
        rng = self.rng
        person_id = self.area.person_id(local)
        changes = []
        given, family, dob = original.given, original.family, original.dob
        nick = names.nickname(rng, given)
        if nick and rng.random() < 0.4:
            given = nick
            changes.append("nickname")
        if rng.random() < 0.3:
            family = names.typo(rng, family)
            changes.append("typo")
        elif rng.random() < 0.1:
            family = names.surname(rng)
            changes.append("changed surname")
        dob_value: date | None = dob
        if dob.day <= 12 and dob.day != dob.month and rng.random() < 0.3:
            dob_value = date(dob.year, dob.day, dob.month)
            changes.append("day and month swapped")
        elif rng.random() < 0.05:
            dob_value = None
            changes.append("no date of birth")
        kept = [i for i in original.identifiers if i[0] != "la_id" and rng.random() < 0.5]
        if len(kept) < len([i for i in original.identifiers if i[0] != "la_id"]):
            changes.append("missing identifiers")
        others = [a for a, _, _ in self.area.agencies if a not in original.agencies[:1]]
        agency = rng.choice(others)
        self._person(
            person_id,
            "child",
            given,
            family,
            "",
            dob_value,
            original.is_female,
            original.school if rng.random() < 0.5 else None,
            "none",
            has_learning_disability=False,
        )
        for kind, value, issuer in kept:
            self._identifier(person_id, kind, value, issuer)
        if rng.random() < 0.3:
            changes.append("address move")
            self._address_rows(person_id, self._address(), moved=False)
        else:
            self._address_rows(person_id, original.address, moved=False)
        self._known_to(person_id, [agency])
        record = self._external(person_id, agency)
        self.rows.truth.append(
            (self._cluster(original), person_id, agency, record, "; ".join(changes) or "none")
        )

    def _adults(self) -> None:
        rng = self.rng
        first_adult = self.area.children + self.area.duplicates
        exploiters = {n.exploiter: n for n in self.hub_networks}
        cuckooed = {n.cuckooed: n for n in self.hub_networks}
        for n in range(self.area.adults):
            person_id = self.area.person_id(first_adult + n)
            is_female = rng.random() < 0.5
            age = rng.randint(18, 60)
            dob = self.today - timedelta(days=age * 365 + rng.randrange(365))
            first = names.adult_first_name(rng, is_female=is_female)
            self._person(
                person_id,
                "adult",
                first,
                names.surname(rng),
                "",
                dob,
                is_female,
                None,
                "none",
                has_learning_disability=rng.random() < 0.02,
            )
            if n in cuckooed:
                line_1, _, town = cuckooed[n].address.rpartition(", ")
                district = rng.choice(self.area.districts)
                address = (line_1, town, identifiers.postcode(rng, district))
            else:
                address = self._address()
            self._address_rows(person_id, address, moved=False)
            if n in exploiters:
                self._phone(exploiters[n].deal_line, person_id, "Deal line")
                year = self.today.year - rng.randrange(0, 10)
                self._identifier(person_id, "pnc_id", identifiers.pnc_id(rng, year), "")
            elif rng.random() < 0.2:
                self._phone(self._landline(), person_id, "Home")

    def _person(
        self,
        person_id: int,
        kind: str,
        given: str,
        family: str,
        preferred: str,
        dob: date | None,
        is_female: bool,
        school: int | None,
        legal: str,
        *,
        has_learning_disability: bool,
    ) -> None:
        search = " ".join(p for p in (given, family, preferred) if p).lower()
        created = self.anchor - timedelta(days=self.rng.randrange(30, 1500))
        self.rows.add(
            "people_person",
            (
                person_id,
                self.area.id,
                kind,
                given,
                family,
                preferred,
                search,
                dob,
                False,
                "female" if is_female else "male",
                self.ethnicities.pick(self.rng),
                school,
                legal,
                has_learning_disability,
                created,
                created,
            ),
        )

    def _identifier(self, person_id: int, kind: str, value: str, issuer: str) -> None:
        self.rows.add(
            "people_personidentifier",
            (self.ids("people_personidentifier"), person_id, kind, value, issuer, self.anchor),
        )

    def _address(self) -> tuple[str, str, str]:
        rng = self.rng
        street = f"{rng.choice(names.STREET_NAMES)} {rng.choice(names.STREET_KINDS)}"
        district = rng.choice(self.area.districts)
        return (
            f"{rng.randint(1, 180)} {street}",
            self.area.town,
            identifiers.postcode(rng, district),
        )

    def _address_rows(self, person_id: int, address: tuple[str, str, str], *, moved: bool) -> None:
        since = self.today - timedelta(days=self.rng.randrange(30, 2000))
        line_1, town, postcode = address
        self.rows.add(
            "people_address",
            (self.ids("people_address"), person_id, line_1, town, postcode, since, None),
        )
        if moved:
            old_line, old_town, old_postcode = self._address()
            start = since - timedelta(days=self.rng.randrange(200, 1500))
            self.rows.add(
                "people_address",
                (
                    self.ids("people_address"),
                    person_id,
                    old_line,
                    old_town,
                    old_postcode,
                    start,
                    since,
                ),
            )

    def _landline(self) -> str:
        prefix = self.rng.choice(("+44113496", "+44207946", "+44117496", "+44161496"))
        return f"{prefix}{self.rng.randrange(1000):04d}"

    def _phone(self, number: str, person_id: int, label: str) -> None:
        self.rows.add("people_phone", (self.ids("people_phone"), person_id, number, label))

    def _agencies_for(self, child: Child) -> list[int]:
        agencies = [child.school] if child.school else []
        for kind, chance in (("childrens_social_care", 0.25), ("police", 0.1), ("health", 0.2)):
            if self.rng.random() < chance:
                agencies.append(self.by_kind[kind][0])
        return agencies or [self.by_kind["health"][0]]

    def _known_to(self, person_id: int, agencies: list[int]) -> None:
        for agency in agencies[:3]:
            self.rows.add(
                "people_person_known_to", (self.ids("people_person_known_to"), person_id, agency)
            )

    def _external(self, person_id: int, agency: int) -> str:
        record = f"SYN-{self.area.code.upper()}-{person_id - self.area.person_base:07d}"
        created = self.anchor - timedelta(days=self.rng.randrange(1, 1000))
        self.rows.add(
            "people_externalrecord",
            (self.ids("people_externalrecord"), person_id, agency, record, created),
        )
        return record

    def _cluster(self, child: Child) -> str:
        return f"{self.area.code}:{child.local}"

    # --- Missing episodes, interviews, observations ----------------------------------

    def _missing_weight(self, child: Child) -> float:
        age = (self.today - child.dob).days // 365
        if age < 11:
            return 0.0
        base = {"exploited": 6.0, "high": 3.0, "emerging": 0.6, "none": 0.04}[child.profile]
        if (
            self.rng.random()
            > {"exploited": 1.0, "high": 0.7, "emerging": 0.3, "none": 0.1}[child.profile]
        ):
            return 0.0
        # Heavy-tailed: a few children go missing very often.
        return base * min(self.rng.paretovariate(1.3), 40.0)

    def _observation_weight(self, child: Child) -> float:
        return {"exploited": 12.0, "high": 10.0, "emerging": 3.0, "none": 0.05}[child.profile]

    def _allocate(self, children: list[Child], total: int, weight: Any) -> list[int]:
        """Share ``total`` out among the children by weight, so the area's total is
        exact; network members get at least two episodes or observations each."""
        counts = [0] * len(children)
        weights = [weight(c) for c in children]
        for child in children:
            if child.network is not None:
                counts[child.local] = 2
        rest = total - sum(counts)
        if rest > 0 and sum(weights) > 0:
            for index in self.rng.choices(range(len(children)), weights=weights, k=rest):
                counts[index] += 1
        return counts

    def _episodes(self, child: Child, count: int) -> list[tuple[int, date, int]]:
        """The child's episodes, never overlapping, and their return home interviews.
        Returns the disclosures made in completed interviews (code index, day, RHI id)."""
        if count == 0:
            return []
        rng = self.rng
        last_day = self.today - timedelta(days=3)
        if child.escalation is not None:
            end = min(child.escalation + timedelta(days=30), last_day)
            span = max(120, 4 * count)
        else:
            end, span = last_day, max(1000, 2 * count)
        days = sorted(rng.sample(range(span), count))
        starts = [
            datetime(end.year, end.month, end.day, tzinfo=self.anchor.tzinfo)
            - timedelta(
                days=span - d,
                hours=-rng.choice((9, 15, 17, 19, 20, 21, 22, 23)),
                minutes=-rng.randrange(60),
            )
            for d in days
        ]
        is_open = rng.random() < 0.05 and child.profile != "none"
        if is_open:
            starts[-1] = self.anchor - timedelta(hours=rng.randint(2, 60))
        disclosures: list[tuple[int, date, int]] = []
        for n, started in enumerate(starts):
            gap = (starts[n + 1] - started) if n + 1 < len(starts) else self.anchor - started
            hours = min(rng.expovariate(1 / 20) + 1, 240.0, gap.total_seconds() / 3600 * 0.9)
            ended = None if is_open and n == len(starts) - 1 else started + timedelta(hours=hours)
            episode_id = self._episode(child, started, ended)
            if ended is not None:
                disclosures.extend(self._interview(child, episode_id, ended))
        return disclosures

    def _episode(self, child: Child, started: datetime, ended: datetime | None) -> int:
        rng = self.rng
        episode_id = self.ids("missing_missingepisode")
        reporter = rng.choice(self.reporters)
        found_place, found_out, found_area_name, found_area = "", False, "", None
        if ended is not None:
            found_place = rng.choice(texts.FOUND_PLACES)
            network = child.network
            if network is not None and rng.random() < 0.6:
                hub = self.world.areas[network.hub_area]
                found_place, found_out = network.address, hub.index != self.area.index
                found_area_name, found_area = hub.town, hub.id
            elif rng.random() < 0.08:
                other = rng.choice(self.world.areas)
                if other.index != self.area.index:
                    found_out, found_area_name, found_area = True, other.town, other.id
        self.rows.add(
            "missing_missingepisode",
            (
                episode_id,
                child.id,
                "M" if rng.random() < 0.85 else "A",
                started + timedelta(minutes=rng.randint(30, 360)),
                reporter.user_id,
                reporter.membership_id,
                started,
                rng.choice(texts.LAST_SEEN),
                rng.choice(texts.CLOTHING),
                f"{self.area.code.removeprefix('syn-')[:4].upper()}-{started.year}-"
                f"{episode_id - self.area.offsets['missing_missingepisode']:07d}",
                self.gradings.pick(rng),
                ended,
                found_place,
                rng.choice(texts.FOUND_WITH) if ended else "",
                found_out,
                found_area_name,
                found_area,
                rng.choice(texts.HOW_RETURNED) if ended else "",
                started,
            ),
        )
        return episode_id

    def _interview(
        self, child: Child, episode_id: int, ended: datetime
    ) -> list[tuple[int, date, int]]:
        rng = self.rng
        rhi_id = self.ids("missing_returnhomeinterview")
        due = ended + timedelta(hours=72)
        worker = rng.choice(self.rhi_workers)
        if due > self.anchor:
            state = rng.choices(("to_offer", "offered", "accepted"), (50, 35, 15))[0]
        elif due > self.anchor - timedelta(days=RECENT_OVERDUE_DAYS):
            # A few recent interviews are still overdue, as in real areas...
            state = rng.choices(
                ("completed", "declined", "not_completed", "offered", "to_offer"),
                (60, 15, 10, 5, 10),
            )[0]
        else:
            # ...but older ones have long been finished one way or another.
            state = rng.choices(("completed", "declined", "not_completed"), (70, 18, 12))[0]
        offered = min(ended + timedelta(hours=rng.randint(2, 48)), self.anchor)
        responded = min(offered + timedelta(hours=rng.randint(1, 24)), self.anchor)
        finished = min(responded + timedelta(hours=rng.randint(1, 24)), self.anchor)
        is_completed = state == "completed"
        codes: list[str] = []
        if is_completed and child.profile != "none" and rng.random() < 0.4:
            codes = [i.code for i in rng.sample(self._risky_indicators(), rng.randint(1, 2))]
        held = finished.date() if is_completed else None
        self.rows.add(
            "missing_returnhomeinterview",
            (
                rhi_id,
                episode_id,
                due,
                state,
                None if state == "to_offer" else worker.membership_id,
                None if state == "to_offer" else offered,
                responded
                if state in ("accepted", "declined", "completed", "not_completed")
                else None,
                finished if state in ("declined", "completed", "not_completed") else None,
                "Child did not want to talk" if state in ("declined", "not_completed") else "",
                held,
                rng.choice(texts.FOUND_PLACES) if is_completed else "",
                rng.choice(texts.FOUND_WITH) if is_completed else "",
                rng.choice(texts.WHAT_HAPPENED) if is_completed else "",
                rng.choice(texts.PUSH) if is_completed else "",
                rng.choice(texts.PULL) if is_completed else "",
                rng.choice(texts.CHILDS_WORDS) if is_completed else "",
                codes,
                ended,
            ),
        )
        indicator_index = {i.code: n for n, i in enumerate(self.world.indicators)}
        return [(indicator_index[c], held, rhi_id) for c in codes if held]

    def _risky_indicators(self) -> list[Indicator]:
        risky = [i for i in self.world.indicators if i.category in RISKY_CATEGORIES]
        return risky or list(self.world.indicators)

    def _observations(
        self, child: Child, count: int, disclosures: list[tuple[int, date, int]]
    ) -> None:
        rng = self.rng
        indicators = self.world.indicators
        disclosures = disclosures[:count]
        worker_by_rhi = {}
        for index, day, rhi_id in disclosures:
            worker = rng.choice(self.rhi_workers)
            worker_by_rhi[rhi_id] = worker
            self._observation(
                child, indicators[index], day, worker, "return_home_interview", str(rhi_id)
            )
        risky = self._risky_indicators()
        for _ in range(count - len(disclosures)):
            day = self._observation_day(child)
            indicator = (
                rng.choice(risky)
                if child.profile == "exploited" and rng.random() < 0.5
                else rng.choice(indicators)
            )
            agency = (
                rng.choice(child.agencies)
                if rng.random() < 0.7
                else rng.choice(self.area.agencies)[0]
            )
            author = rng.choice(self.staff_by_agency[agency])
            self._observation(child, indicator, day, author, "professional", "")

    def _observation_day(self, child: Child) -> date:
        rng = self.rng
        earliest = child.dob + timedelta(days=8 * 365)
        if child.escalation is not None and rng.random() < 0.8:
            day = child.escalation - timedelta(days=int(rng.expovariate(1 / 25)))
        else:
            day = self.today - timedelta(days=rng.randrange(730))
        return min(max(day, earliest), self.today)

    def _observation(
        self, child: Child, indicator: Indicator, day: date, author: Staff, source: str, ref: str
    ) -> None:
        rng = self.rng
        created = datetime(day.year, day.month, day.day, tzinfo=self.anchor.tzinfo) + timedelta(
            hours=rng.randint(9, 18)
        )
        self.rows.add(
            "risk_observation",
            (
                self.ids("risk_observation"),
                child.id,
                indicator.code,
                indicator.title,
                day,
                rng.choices((1, 2, 3, 4, 5), (5, 15, 35, 30, 15))[0],
                rng.choice(texts.OBSERVATION_NOTES),
                source,
                ref,
                author.agency_id,
                author.user_id,
                author.membership_id,
                min(created, self.anchor),
            ),
        )

    def _team(self, child: Child, activity: int) -> None:
        """The professionals around a child with something recorded about them. In the
        demo area a demo user is on most such teams, so every demo role sees children."""
        if activity == 0 and child.profile == "none":
            return
        rng = self.rng
        members: list[Staff] = []
        if self.demo_frontline and rng.random() < 0.8:
            members.append(self.demo_frontline[child.local % len(self.demo_frontline)])
        for _ in range(rng.randint(1, 2)):
            member = rng.choice(self.frontline)
            if member not in members:
                members.append(member)
        if activity and self.rhi_workers and rng.random() < 0.3:
            members.append(self.rhi_workers[child.local % len(self.rhi_workers)])
        for member in members[:4]:
            self.rows.add(
                "people_teammember",
                (
                    self.ids("people_teammember"),
                    child.id,
                    member.membership_id,
                    rng.choice(texts.TEAM_REASONS),
                    self.anchor - timedelta(days=rng.randrange(1, 400)),
                ),
            )
