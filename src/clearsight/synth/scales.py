"""How much data each scale makes. ``national`` is the size the product must stay fast
at (issue 7); ``tiny`` exists for the tests only."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    areas: int
    agencies_per_area: int
    persons: int
    observations: int
    missing_episodes: int
    # Exploitation networks: a deal line linked to children in other areas and a
    # cuckooed address in the hub area. Each takes one number of Ofcom's 1,000-number
    # drama mobile range, so there are at most 1,000.
    networks: int
    concerns: int
    # Links between people, phones, addresses, vehicles and lines (intel.Link); the
    # phone numbers, addresses, vehicles and lines they join are sized from the persons
    # (synth/world.py).
    intelligence_links: int


SCALES: dict[str, Scale] = {
    scale.name: scale
    for scale in (
        Scale("tiny", 3, 9, 600, 3_000, 1_200, 2, 300, 6_000),
        Scale("demo", 3, 10, 3_000, 15_000, 6_000, 6, 1_500, 30_000),
        Scale("area", 6, 20, 60_000, 300_000, 120_000, 60, 30_000, 600_000),
        Scale(
            "national",
            150,
            20,
            1_000_000,
            5_000_000,
            2_000_000,
            1_000,
            concerns=500_000,
            intelligence_links=10_000_000,
        ),
    )
}
PUBLIC_SCALES = ("demo", "area", "national")


class UnknownScale(ValueError):
    pass


def scale_named(name: str) -> Scale:
    try:
        return SCALES[name]
    except KeyError:
        raise UnknownScale(
            f"Unknown scale {name!r}: choose one of {', '.join(PUBLIC_SCALES)}"
        ) from None
