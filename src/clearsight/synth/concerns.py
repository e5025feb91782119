"""An area's concerns (from the public, professionals and the helpline), made a column
at a time with numpy. Most are about a child already on record (weighted towards the
children at risk); recent ones are still new or in triage, older ones closed with an
outcome. Reporters' contact details are invented (``.invalid`` addresses, Ofcom drama
numbers). Plain module with no Django import."""

from __future__ import annotations

import random

import numpy as np

from clearsight.synth import copytext as ct
from clearsight.synth import identifiers, names, texts
from clearsight.synth.context import FRONTLINE, AreaContext, weighted
from clearsight.synth.people import AreaRows

SOURCES = ("public", "professional", "helpline")
SECTORS = ("transport", "retail", "hotels", "banking", "taxi_delivery", "other_work")
STATES = ("new", "in_triage", "awaiting_information", "closed")
OUTCOMES = (
    "no_further_action",
    "observation_recorded",
    "referral",
    "passed_to_police",
)
REFERENCE_ALPHABET = "ACDEFGHJKMNPQRTUVWXYZ234679"
# A synthetic reference starts with this letter after "CS-": easy to tell apart.
REFERENCE_MARK = "Z"
RECENT_DAYS = 14


def reference(index: int) -> str:
    """``CS-ZXXX-XXXX`` from the concern's place in the run: unique, and the same for
    the same seed."""
    digits = []
    for _ in range(7):
        index, rest = divmod(index, len(REFERENCE_ALPHABET))
        digits.append(REFERENCE_ALPHABET[rest])
    chars = REFERENCE_MARK + "".join(reversed(digits))
    return f"CS-{chars[:4]}-{chars[4:]}"


def generate_concerns(ctx: AreaContext, rows: AreaRows) -> None:
    rng = ctx.rng("concerns")
    pools = random.Random(f"{ctx.world.seed}:concerns:{ctx.area.index}")
    area, kids = ctx.area, ctx.children
    total = area.concerns
    first_id = ctx.offset("concerns_concern")
    ids = first_id + np.arange(total)
    run_index = first_id - ctx.world.bases["concerns_concern"] + np.arange(total)
    source = weighted(rng, (45, 40, 15), total)
    staff_source = source > 0
    frontline = ctx.role(*FRONTLINE)
    helpline = ctx.role("helpline_worker")
    triage = ctx.role("triage_officer")
    # A member of staff raising a concern: their membership and user go together.
    by_staff = rng.integers(0, len(frontline), total)
    by_helpline = rng.integers(0, len(helpline), total)
    raiser = np.where(source == 1, frontline.membership[by_staff], helpline.membership[by_helpline])
    raiser_user = np.where(source == 1, frontline.user[by_staff], helpline.user[by_helpline])

    days_ago = np.minimum(rng.exponential(200, total).astype(np.int64), 729)
    created = ctx.anchor - days_ago * 1440 - rng.integers(1, 1440, total)
    seen_day = created // 1440 - rng.integers(0, 4, total)
    has_time = rng.random(total) < 0.5
    seen_time = rng.integers(0, 24 * 60, total)
    recent = days_ago < RECENT_DAYS
    state = np.where(
        recent, weighted(rng, (40, 30, 10, 20), total), weighted(rng, (0, 0, 3, 97), total)
    )
    closed, awaiting = state == 3, state == 2
    triaged = closed | awaiting
    triaged_at = np.minimum(created + rng.integers(60, 72 * 60, total), ctx.anchor)
    closed_at = np.minimum(triaged_at + rng.integers(0, 240, total) * 60, ctx.anchor)
    outcome = np.where(
        closed,
        np.array(OUTCOMES, dtype=object)[weighted(rng, (35, 30, 20, 15), total)],
        np.where(awaiting, "more_information_requested", ""),
    )
    reason = np.where(
        outcome != "",
        np.array(ct.pick(texts.OUTCOME_REASONS, rng.integers(0, 5, total)), dtype=object),
        "",
    )
    assigned = np.where(state > 0, triage.membership[rng.integers(0, len(triage), total)], -1)

    weights = np.array((0.3, 2.0, 6.0, 10.0))[kids.profile]
    about = rng.choice(len(kids), size=total, p=weights / weights.sum())
    person = np.where(rng.random(total) < 0.55, kids.person[about], -1)

    public = source == 0
    consents = public & (rng.random(total) < 0.4)
    reporter_names = [
        ct.text(f"{names.adult_first_name(pools, is_female=pools.random() < 0.5)} "
                f"{names.surname(pools)}")
        for _ in range(100)
    ]  # fmt: skip
    reporter = rng.integers(0, len(reporter_names), total)
    email = np.array([f"reporter{n}@{area.code}.synthetic.invalid" for n in range(100)])
    phone = np.array([identifiers.mobile(pools) for _ in range(100)], dtype=object)
    with_email = consents & (rng.random(total) < 0.7)
    postcodes = [identifiers.postcode(pools, pools.choice(area.districts)) for _ in range(200)]
    has_postcode = rng.random(total) < 0.4
    pinned = public & (rng.random(total) < 0.2)
    centre = (pools.uniform(51.0, 54.5), pools.uniform(-2.8, 0.3))
    latitude = centre[0] + rng.normal(0, 0.03, total)
    longitude = centre[1] + rng.normal(0, 0.05, total)
    codes = np.array([i.code for i in ctx.world.indicators], dtype=object)
    sign_one = rng.integers(0, len(codes), total)
    sign_two = (sign_one + rng.integers(1, max(2, len(codes)), total)) % len(codes)
    signs = np.select(
        [rng.random(total) < 0.3, rng.random(total) < 0.8],
        ["{}", "{" + codes[sign_one] + "}"],
        "{" + codes[sign_one] + "," + codes[sign_two] + "}",
    )
    cal = ctx.calendar
    blank = np.full(total, "", dtype=object)
    columns = [
        ct.ints(ids),
        [reference(n) for n in run_index.tolist()],
        [str(area.id)] * total,
        ct.pick(SOURCES, source),
        np.where(
            public & (rng.random(total) < 0.4),
            np.array(SECTORS, dtype=object)[rng.integers(0, len(SECTORS), total)],
            "",
        ).tolist(),
        ct.pick(texts.CONCERN_SEEN, rng.integers(0, len(texts.CONCERN_SEEN), total)),
        ct.pick(texts.CONCERN_WHERE, rng.integers(0, len(texts.CONCERN_WHERE), total)),
        np.where(has_postcode, np.array(postcodes)[rng.integers(0, 200, total)], "").tolist(),
        np.where(pinned, np.char.mod("%.5f", latitude), ct.NULL).tolist(),
        np.where(pinned, np.char.mod("%.5f", longitude), ct.NULL).tolist(),
        cal.dates(seen_day),
        np.where(
            has_time,
            np.char.mod("%02d:", seen_time // 60).astype(object)
            + np.char.mod("%02d:00", seen_time % 60).astype(object),
            ct.NULL,
        ).tolist(),
        ct.pick(texts.CONCERN_DESCRIPTION, rng.integers(0, len(texts.CONCERN_DESCRIPTION), total)),
        signs.tolist(),
        ct.bools(rng.random(total) < 0.03),
        np.where(consents, np.array(reporter_names, dtype=object)[reporter], blank).tolist(),
        np.where(with_email, email[reporter].astype(object), blank).tolist(),
        np.where(consents & ~with_email, phone[reporter], blank).tolist(),
        ct.bools(consents),
        ct.nullable_ints(person),
        ct.nullable_ints(np.where(staff_source, raiser_user, -1)),
        ct.nullable_ints(np.where(staff_source, raiser, -1)),
        ct.pick(STATES, state),
        ct.nullable_ints(assigned),
        outcome.tolist(),
        reason.tolist(),
        cal.stamps(np.where(triaged, triaged_at, -1)),
        cal.stamps(np.where(closed, closed_at, -1)),
        cal.stamps(created),
        [f"synthetic:{ctx.world.seed}:{n}" for n in run_index.tolist()],
    ]
    rows.add_text(
        "concerns_concern", ct.columns_text(columns, ctx.tails["concerns_concern"]), total
    )
