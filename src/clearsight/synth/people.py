"""One area's people: its children and adults, their identifiers, addresses, phones and
agencies. Everything comes from ``random.Random(f"{seed}:area:{index}")``, so an area is
the same whichever order (or process) generates it. Plain module with no Django import.
The high-volume rows about these children (episodes, interviews, observations, teams,
concerns, intelligence) are made by column with numpy in synth/events.py,
synth/concerns.py and synth/intel.py.

The realism that matters for the product:
- ages skewed to 12-17, the ages at which children are most often exploited;
- a profile per child (none, emerging, high, exploited) and the day their risk
  escalated, which the event generators use to cluster observations before it;
- children in exploitation networks with the network's deal line among their phones;
- duplicate records of the same child held by different agencies, with the errors
  real records have (typos, nicknames, day and month swapped, missing identifiers, a
  changed surname, an address move). The truth about which records are one child is
  returned separately, never stored in the database."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from clearsight.synth import identifiers, names
from clearsight.synth.world import AreaPlan, Network, World

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
    # Rows made one at a time (the people), as Python tuples.
    tables: dict[str, list[Row]] = field(default_factory=dict)
    # Rows made by column (everything high-volume), already in COPY text format.
    texts: dict[str, list[str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    # (cluster key, person id, agency id, source record id, how this record differs)
    truth: list[tuple[str, int, int, str, str]] = field(default_factory=list)

    def add(self, table: str, row: Row) -> None:
        self.tables.setdefault(table, []).append(row)
        self.counts[table] = self.counts.get(table, 0) + 1

    def add_text(self, table: str, text: str, rows: int) -> None:
        if rows:
            self.texts.setdefault(table, []).append(text)
            self.counts[table] = self.counts.get(table, 0) + rows


class _Ids:
    """Hands out the area's ids in each table, from its reserved slice."""

    def __init__(self, area: AreaPlan) -> None:
        self._next = dict(area.offsets)

    def __call__(self, table: str) -> int:
        value = self._next[table]
        self._next[table] = value + 1
        return value


def generate_people(world: World, area: AreaPlan) -> tuple[AreaRows, list[Child]]:
    """The area's person records and the children among them (for synth/events.py)."""
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
        self.networks = {
            local: net for (a, local), net in world.networks_by_member().items() if a == area.index
        }
        self.hub_networks = [n for n in world.networks if n.hub_area == area.index]
        self.ethnicities = names.Weighted.of(ETHNICITIES)
        self.legal = names.Weighted.of(LEGAL)

    # --- People ---------------------------------------------------------------------

    def run(self) -> tuple[AreaRows, list[Child]]:
        children = [self._child(local) for local in range(self.area.children)]
        for local in range(self.area.children, self.area.children + self.area.duplicates):
            self._duplicate(local, self.rng.choice(children))
        self._adults()
        return self.rows, children

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
