"""An area's intelligence register and the links in it (intel app), made a column at a
time with numpy (docs/decisions/0006-synthetic-data-copy-with-reserved-ids.md).

What makes them look like exploitation networks:
- each network's deal line is a phone number in its hub area's register, marked as a
  deal line of a named line, and also in the register of every area whose children were
  found with it;
- the hub area links the line to the adult who controls it, to the cuckooed address (a
  vulnerable adult's home, the adult recorded as a person to protect) and to each child
  sent to it from other areas: the child uses the line, was found at the address while
  missing (proposed from the missing episode), and the adult is suspected of exploiting
  them;
- the bulk are links from phone data (calls between numbers, with counts) and officers'
  records, concentrated on a minority: children at higher risk, adults of concern, and
  busy numbers;
- most links are accepted; some wait for an analyst's review, a few were rejected; each
  carries a 3x5x2 grading.
Plain module with no Django import."""

from __future__ import annotations

import random
from dataclasses import astuple, dataclass

import numpy as np

from clearsight.synth import copytext as ct
from clearsight.synth import identifiers, names, texts
from clearsight.synth.context import AreaContext, StaffSet, weighted
from clearsight.synth.people import AreaRows
from clearsight.synth.world import PHONE_IMPORTS_PER_AREA, Network

KINDS = ("person", "phone", "address", "vehicle", "group")
PERSON, PHONE, ADDRESS, VEHICLE, GROUP = range(5)
TYPES = (
    "uses_phone", "lives_at", "seen_at", "associates_with", "suspected_of_exploiting",
    "controls_line", "travelled_with", "found_with_while_missing", "found_at_while_missing",
    "contacted", "member_of", "uses_vehicle",
)  # fmt: skip
T = {name: n for n, name in enumerate(TYPES)}
FROM_SOURCES = ("recorded", "missing_episode", "return_interview", "phone_data")
RECORDED, MISSING_EPISODE, _, PHONE_DATA = range(4)
REVIEW = ("accepted", "proposed", "rejected")
# The bulk of the links: (type, from kind, to kind, share, proposed from).
BULK = (
    ("contacted", PHONE, PHONE, 45, PHONE_DATA),
    ("uses_phone", PERSON, PHONE, 15, RECORDED),
    ("associates_with", PERSON, PERSON, 15, RECORDED),
    ("seen_at", PERSON, ADDRESS, 10, RECORDED),
    ("lives_at", PERSON, ADDRESS, 5, RECORDED),
    ("found_with_while_missing", PERSON, PERSON, 3, MISSING_EPISODE),
    ("travelled_with", PERSON, PERSON, 3, RECORDED),
    ("uses_vehicle", PERSON, VEHICLE, 3, RECORDED),
    ("suspected_of_exploiting", PERSON, PERSON, 1, RECORDED),
)
CLOSURES = ("closure_order", "handset_seized", "disconnected", "dormant")
ADULTS_OF_CONCERN = 0.1


@dataclass
class _Links:
    """Links as parallel lists before they become arrays."""

    kind: list[int]
    from_kind: list[int]
    from_id: list[int]
    to_kind: list[int]
    to_id: list[int]
    source: list[int]

    def add(self, link_type: str, node: tuple[int, int], other: tuple[int, int], src: int) -> None:
        self.kind.append(T[link_type])
        self.from_kind.append(node[0])
        self.from_id.append(node[1])
        self.to_kind.append(other[0])
        self.to_id.append(other[1])
        self.source.append(src)


def line_name(world_index: int) -> str:
    street = names.STREET_NAMES[world_index % len(names.STREET_NAMES)]
    round_ = world_index // len(names.STREET_NAMES)
    return f"{street} line" + (f" {round_ + 1}" if round_ else "")


def generate_intel(ctx: AreaContext, rows: AreaRows) -> None:
    rng = ctx.rng("intel")
    pools = random.Random(f"{ctx.world.seed}:intel:{ctx.area.index}")
    area, world = ctx.area, ctx.world
    touching = [
        (n, net)
        for n, net in enumerate(world.networks)
        if net.hub_area == area.index or any(a == area.index for a, _ in net.members)
    ][: area.phones]
    hubbed = [(n, net) for n, net in touching if net.hub_area == area.index]
    recorders = ctx.role("police_officer", "intelligence_analyst")
    analysts = ctx.role("intelligence_analyst")
    creator = recorders.user[0]
    groups = _groups(ctx, rows, hubbed, creator)
    phones = _phones(ctx, rows, rng, touching, creator)
    addresses = _addresses(ctx, rows, pools, hubbed, creator)
    vehicles = _vehicles(ctx, rows, rng, creator)
    imports = ctx.offset("intel_phonedataimport") + np.arange(PHONE_IMPORTS_PER_AREA)
    links = _Links([], [], [], [], [], [])
    deal_phone = {n: phones[k] for k, (n, _) in enumerate(touching)}
    for k, (n, net) in enumerate(hubbed):
        _network_links(ctx, links, net, deal_phone[n], groups[k], addresses[k])
    for n, net in touching:
        for member_area, local in net.members:
            if member_area == area.index and net.hub_area != area.index:
                child = (PERSON, area.person_id(local))
                links.add("uses_phone", child, (PHONE, deal_phone[n]), RECORDED)
    structural = min(len(links.kind), area.links)
    bulk = _bulk(ctx, rng, area.links - structural, phones, addresses, vehicles)
    columns = [np.array(values[:structural], dtype=np.int64) for values in astuple(links)]
    merged = [np.concatenate([a, b]) for a, b in zip(columns, bulk, strict=True)]
    _write_links(ctx, rows, rng, merged, recorders, analysts, imports)


def _groups(
    ctx: AreaContext, rows: AreaRows, hubbed: list[tuple[int, Network]], creator: int
) -> np.ndarray:
    ids = ctx.offset("intel_intelgroup") + np.arange(len(hubbed))
    rows.add_text(
        "intel_intelgroup",
        ct.columns_text(
            [
                ct.ints(ids),
                [str(ctx.area.id)] * len(hubbed),
                [ct.text(line_name(n)) for n, _ in hubbed],
                ["line"] * len(hubbed),
                ["County line run from a deal line; synthetic."] * len(hubbed),
                [str(creator)] * len(hubbed),
                ctx.calendar.stamps(np.full(len(hubbed), ctx.anchor - 400 * 1440)),
            ],
            ctx.tails["intel_intelgroup"],
        ),
        len(hubbed),
    )
    return ids


def _phones(
    ctx: AreaContext,
    rows: AreaRows,
    rng: np.random.Generator,
    touching: list[tuple[int, Network]],
    creator: int,
) -> np.ndarray:
    total = ctx.area.phones
    deal = [int(net.deal_line[-3:]) for _, net in touching]
    rest = np.setdiff1d(np.arange(1000), deal)
    numbers = np.concatenate([np.array(deal, dtype=np.int64), rng.permutation(rest)])[:total]
    is_deal = np.arange(total) < len(deal)
    names_ = [ct.text(line_name(n)) for n, _ in touching] + [""] * (total - len(deal))
    closed = rng.random(total) < np.where(is_deal, 0.15, 0.05)
    closure = np.where(is_deal, rng.integers(0, 3, total), 3)
    closed_on = ctx.today - rng.integers(1, 300, total)
    ids = ctx.offset("intel_phonenumber") + np.arange(total)
    columns = [
        ct.ints(ids),
        [str(ctx.area.id)] * total,
        ["+447700900" + f"{n:03d}" for n in numbers.tolist()],
        ct.bools(is_deal),
        names_,
        np.where(closed, "closed", "active").tolist(),
        np.where(closed, np.array(CLOSURES, dtype=object)[closure], "").tolist(),
        ctx.calendar.nullable_dates(np.where(closed, closed_on, -1)),
        [""] * total,
        [str(creator)] * total,
        ctx.calendar.stamps(ctx.anchor - rng.integers(30, 700, total) * 1440),
    ]
    rows.add_text(
        "intel_phonenumber", ct.columns_text(columns, ctx.tails["intel_phonenumber"]), total
    )
    return ids


def _addresses(
    ctx: AreaContext,
    rows: AreaRows,
    pools: random.Random,
    hubbed: list[tuple[int, Network]],
    creator: int,
) -> np.ndarray:
    area = ctx.area
    first_adult = area.children + area.duplicates
    anchor, creator_id = ctx.world.anchor, int(creator)
    records: list[tuple[object, ...]] = []
    for _, net in hubbed:
        line_1, _, town = net.address.rpartition(", ")
        resident = area.person_id(first_adult + net.cuckooed)
        postcode = identifiers.postcode(pools, pools.choice(area.districts))
        records.append((line_1, town, postcode, True, resident))
    for _ in range(area.addresses):
        street = f"{pools.choice(names.STREET_NAMES)} {pools.choice(names.STREET_KINDS)}"
        postcode = identifiers.postcode(pools, pools.choice(area.districts))
        # A few more homes are a cuckooing concern before anyone knows whose.
        concern = pools.random() < 0.03
        records.append((f"{pools.randint(1, 180)} {street}", area.town, postcode, concern, None))
    ids = ctx.offset("intel_inteladdress") + np.arange(len(records))
    text = ct.rows_text(
        (
            (i, area.id, *record, "", creator_id, anchor)
            for i, record in zip(ids.tolist(), records, strict=True)
        ),
        ctx.tails["intel_inteladdress"],
    )
    rows.add_text("intel_inteladdress", text, len(records))
    return ids


def _vehicles(
    ctx: AreaContext, rows: AreaRows, rng: np.random.Generator, creator: int
) -> np.ndarray:
    total = ctx.area.vehicles
    ids = ctx.offset("intel_vehicle") + np.arange(total)
    make = rng.integers(0, len(texts.VEHICLE_MAKES), total)
    columns = [
        ct.ints(ids),
        [str(ctx.area.id)] * total,
        # Plainly invented: no real registration starts SYN.
        [f"SYN{n:05d}" for n in range(total)],
        ct.pick([m for m, _ in texts.VEHICLE_MAKES], make),
        ct.pick([m for _, m in texts.VEHICLE_MAKES], make),
        ct.pick(texts.COLOURS, rng.integers(0, len(texts.COLOURS), total)),
        [str(creator)] * total,
        ctx.calendar.stamps(ctx.anchor - rng.integers(30, 700, total) * 1440),
    ]
    rows.add_text("intel_vehicle", ct.columns_text(columns, ctx.tails["intel_vehicle"]), total)
    return ids


def _network_links(
    ctx: AreaContext, links: _Links, net: Network, phone: int, group: int, address: int
) -> None:
    world, area = ctx.world, ctx.area
    first_adult = area.children + area.duplicates
    exploiter = (PERSON, area.person_id(first_adult + net.exploiter))
    resident = (PERSON, area.person_id(first_adult + net.cuckooed))
    line, home = (PHONE, phone), (ADDRESS, address)
    links.add("controls_line", exploiter, (GROUP, group), RECORDED)
    links.add("uses_phone", exploiter, line, RECORDED)
    links.add("member_of", line, (GROUP, group), RECORDED)
    links.add("lives_at", resident, home, RECORDED)
    links.add("seen_at", exploiter, home, RECORDED)
    children = [(PERSON, world.areas[a].person_id(local)) for a, local in net.members]
    for n, child in enumerate(children):
        links.add("contacted", line, child, RECORDED)
        links.add("suspected_of_exploiting", exploiter, child, RECORDED)
        links.add("found_at_while_missing", child, home, MISSING_EPISODE)
        if n:
            links.add("associates_with", children[n - 1], child, RECORDED)


def _people(
    ctx: AreaContext, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The area's people who may be linked, the weight of each, and which are adults
    of concern (a tenth of the adults, and every line's controller)."""
    area, kids = ctx.area, ctx.children
    first_adult = area.children + area.duplicates
    adults = area.person_id(first_adult) + np.arange(area.adults)
    of_concern = rng.random(area.adults) < ADULTS_OF_CONCERN
    for net in ctx.world.networks:
        if net.hub_area == area.index:
            of_concern[net.exploiter] = True
    of_concern[: 1 if area.adults and not of_concern.any() else 0] = True
    people = np.concatenate([kids.person, adults])
    weight = np.concatenate(
        [np.array((0.2, 2.0, 6.0, 12.0))[kids.profile], np.where(of_concern, 15.0, 0.3)]
    )
    return people, weight / weight.sum(), np.concatenate([np.zeros(len(kids), bool), of_concern])


def _bulk(
    ctx: AreaContext,
    rng: np.random.Generator,
    wanted: int,
    phones: np.ndarray,
    addresses: np.ndarray,
    vehicles: np.ndarray,
) -> list[np.ndarray]:
    people, weight, of_concern = _people(ctx, rng)
    children = ctx.children.person[~of_concern[: len(ctx.children)]]
    concern = people[of_concern]
    phone_weight = rng.pareto(1.2, len(phones)) + 1
    phone_weight[: sum(1 for n in ctx.world.networks if n.hub_area == ctx.area.index)] *= 20
    phone_p = phone_weight / phone_weight.sum()
    nodes = {
        PHONE: lambda k: phones[rng.choice(len(phones), k, p=phone_p)],
        ADDRESS: lambda k: addresses[rng.integers(0, len(addresses), k)],
        VEHICLE: lambda k: vehicles[rng.integers(0, len(vehicles), k)],
        PERSON: lambda k: people[rng.choice(len(people), k, p=weight)],
    }

    def draw(counts: np.ndarray) -> np.ndarray:
        parts = []
        for (name, from_kind, to_kind, _, source), count in zip(BULK, counts, strict=True):
            if name == "suspected_of_exploiting":
                start = concern[rng.integers(0, len(concern), count)]
                end = children[rng.integers(0, len(children), count)]
            elif name == "found_with_while_missing":
                start = children[rng.integers(0, len(children), count)]
                end = concern[rng.integers(0, len(concern), count)]
            else:
                start, end = nodes[from_kind](count), nodes[to_kind](count)
            kinds = [np.full(count, value) for value in (T[name], from_kind, to_kind, source)]
            parts.append(np.stack([kinds[0], kinds[1], start, kinds[2], end, kinds[3]]))
        return np.concatenate(parts, axis=1)

    shares = np.array([share for *_, share, _ in BULK], dtype=float)
    table = np.zeros((6, 0), dtype=np.int64)
    # Repeated pairs and self-links are dropped, so draw again until there are enough
    # (a few rounds: the busiest numbers and people repeat most).
    for _ in range(12):
        short = wanted - table.shape[1]
        if short <= 0:
            break
        drawn = draw(rng.multinomial(int(short * 1.3) + 10, shares / shares.sum()))
        table = np.concatenate([table, drawn[:, rng.permutation(drawn.shape[1])]], axis=1)
        table = table[:, (table[1] != table[3]) | (table[2] != table[4])]
        _, first = np.unique(table[:5], axis=1, return_index=True)
        table = table[:, np.sort(first)]
    return list(table[:, :wanted].astype(np.int64))


def _write_links(
    ctx: AreaContext,
    rows: AreaRows,
    rng: np.random.Generator,
    columns: list[np.ndarray],
    recorders: StaffSet,
    analysts: StaffSet,
    imports: np.ndarray,
) -> None:
    kind, from_kind, from_id, to_kind, to_id, source = columns
    total = len(kind)
    from_data = source == PHONE_DATA
    from_episode = source == MISSING_EPISODE
    review = np.select(
        [from_data, from_episode],
        [weighted(rng, (75, 22, 3), total), weighted(rng, (50, 45, 5), total)],
        weighted(rng, (94, 5, 1), total),
    )
    reviewed = (review != 1) & (source != RECORDED)
    recorder = rng.integers(0, len(recorders), total)
    analyst = rng.integers(0, len(analysts), total)
    valid_from = ctx.today - rng.integers(1, 900, total)
    has_end = rng.random(total) < 0.1
    valid_to = np.minimum(valid_from + rng.integers(1, 300, total), ctx.today)
    recorded = np.minimum(
        valid_from * 1440 + rng.integers(1, 20, total) * 1440 + rng.integers(480, 1200, total),
        ctx.anchor,
    )
    reviewed_at = np.minimum(recorded + rng.integers(60, 10 * 1440, total), ctx.anchor)
    batch = rng.integers(0, len(imports), total)
    contacts = np.where(from_data, np.exp(rng.normal(2.5, 1.2, total)).astype(np.int64) + 1, 0)
    recorded_by = np.where(from_data, analysts.user[analyst], recorders.user[recorder])
    ids = ctx.offset("intel_link") + np.arange(total)
    refs = np.array([f"phone_import:{i}" for i in imports.tolist()], dtype=object)
    cal = ctx.calendar
    text = ct.columns_text(
        [
            ct.ints(ids),
            [str(ctx.area.id)] * total,
            ct.pick(KINDS, from_kind),
            ct.ints(from_id),
            ct.pick(KINDS, to_kind),
            ct.ints(to_id),
            ct.pick(TYPES, kind),
            cal.dates(valid_from),
            cal.nullable_dates(np.where(has_end, valid_to, -1)),
            np.where(
                from_data,
                "Phone data import",
                np.array(ct.pick(texts.LINK_SOURCES, rng.integers(0, 7, total)), dtype=object),
            ).tolist(),
            ct.pick("123", weighted(rng, (35, 55, 10), total)),
            ct.pick("ABCDE", weighted(rng, (15, 35, 35, 12, 3), total)),
            ct.pick("PC", weighted(rng, (80, 20), total)),
            ct.ints(contacts),
            ct.pick(REVIEW, review),
            ct.pick(FROM_SOURCES, source),
            np.where(from_data, refs[batch], "").tolist(),
            ct.ints(recorded_by),
            cal.stamps(recorded),
            ct.nullable_ints(np.where(reviewed, analysts.user[analyst], -1)),
            cal.stamps(np.where(reviewed, reviewed_at, -1)),
        ],
        ctx.tails["intel_link"],
    )
    rows.add_text("intel_link", text, total)
    made = np.bincount(batch[from_data], minlength=len(imports))
    _write_imports(ctx, rows, imports, made, analysts)


def _write_imports(
    ctx: AreaContext, rows: AreaRows, ids: np.ndarray, made: np.ndarray, analysts: StaffSet
) -> None:
    total = len(ids)
    size = made * 180
    finished = ctx.anchor - (np.arange(total) + 1) * 20 * 1440
    columns = [
        ct.ints(ids),
        [str(ctx.area.id)] * total,
        [f"synthetic-call-records-{n + 1}.csv" for n in range(total)],
        [""] * total,
        ["Synthetic phone download"] * total,
        ["done"] * total,
        ct.ints(size),
        ct.ints(size),
        ct.ints(made * 3),
        ct.ints(made),
        [f"{m:,} links between numbers." for m in made.tolist()],
        [str(analysts.user[0])] * total,
        [str(analysts.membership[0])] * total,
        ctx.calendar.stamps(finished - 30),
        ctx.calendar.stamps(finished),
    ]
    rows.add_text(
        "intel_phonedataimport",
        ct.columns_text(columns, ctx.tails["intel_phonedataimport"]),
        total,
    )
