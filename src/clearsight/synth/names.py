"""Names drawn with realistic frequencies.

Children (born about 2008-2014) get first names weighted like the most common names
registered in England and Wales in those years; adults get Faker's en_GB first names.
Surnames mix the most common UK surnames (weighted as they are in the population) with
Faker's en_GB list for the long tail. Nicknames are the short forms professionals
actually write (Mo for Mohammed, Lexi for Alexis), which matter for matching records.
Plain module with no Django import."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass

from faker.providers.person.en_GB import Provider as EnGbNames

# (name, relative frequency) for children of 10-17; invented weights in the shape of
# the published rankings: a few very common names and a long tail.
BOYS: Sequence[tuple[str, int]] = (
    ("Oliver", 70),
    ("Jack", 68),
    ("Harry", 62),
    ("Mohammed", 55),
    ("Charlie", 50),
    ("Thomas", 48),
    ("Jacob", 46),
    ("Alfie", 44),
    ("Riley", 40),
    ("William", 40),
    ("James", 38),
    ("Joshua", 36),
    ("George", 34),
    ("Ethan", 32),
    ("Noah", 30),
    ("Samuel", 30),
    ("Daniel", 28),
    ("Oscar", 26),
    ("Max", 26),
    ("Muhammad", 25),
    ("Leo", 24),
    ("Tyler", 24),
    ("Joseph", 22),
    ("Archie", 22),
    ("Henry", 20),
    ("Lucas", 20),
    ("Dylan", 20),
    ("Mason", 19),
    ("Isaac", 18),
    ("Logan", 18),
    ("Alexander", 18),
    ("Jayden", 17),
    ("Kai", 16),
    ("Harrison", 16),
    ("Benjamin", 16),
    ("Adam", 15),
    ("Jake", 15),
    ("Callum", 14),
    ("Reuben", 12),
    ("Kian", 12),
    ("Tyrese", 10),
    ("Ibrahim", 10),
    ("Yusuf", 10),
    ("Kacper", 8),
    ("Jaden", 8),
    ("Rhys", 8),
    ("Connor", 8),
    ("Ahmed", 8),
    ("Bailey", 8),
    ("Louis", 8),
)
GIRLS: Sequence[tuple[str, int]] = (
    ("Olivia", 66),
    ("Amelia", 64),
    ("Ruby", 56),
    ("Emily", 54),
    ("Grace", 50),
    ("Jessica", 48),
    ("Sophie", 46),
    ("Lily", 44),
    ("Chloe", 42),
    ("Mia", 40),
    ("Ella", 38),
    ("Isla", 36),
    ("Ava", 36),
    ("Evie", 34),
    ("Isabella", 32),
    ("Poppy", 30),
    ("Isabelle", 28),
    ("Charlotte", 28),
    ("Daisy", 26),
    ("Freya", 26),
    ("Phoebe", 24),
    ("Holly", 22),
    ("Lucy", 22),
    ("Ellie", 22),
    ("Scarlett", 20),
    ("Erin", 20),
    ("Millie", 20),
    ("Megan", 18),
    ("Madison", 16),
    ("Layla", 16),
    ("Amber", 16),
    ("Maisie", 14),
    ("Lola", 14),
    ("Alexis", 12),
    ("Aisha", 12),
    ("Zara", 12),
    ("Amara", 10),
    ("Maya", 10),
    ("Nevaeh", 8),
    ("Fatima", 8),
    ("Zuzanna", 6),
    ("Precious", 6),
    ("Courtney", 6),
    ("Leah", 10),
    ("Rebecca", 10),
)
# The most common surnames, weighted roughly as in the population; Faker's en_GB list
# fills the tail.
COMMON_SURNAMES: Sequence[tuple[str, int]] = (
    ("Smith", 120),
    ("Jones", 95),
    ("Williams", 70),
    ("Taylor", 60),
    ("Brown", 60),
    ("Davies", 55),
    ("Evans", 45),
    ("Wilson", 42),
    ("Thomas", 40),
    ("Johnson", 38),
    ("Roberts", 36),
    ("Robinson", 30),
    ("Thompson", 30),
    ("Wright", 30),
    ("Walker", 28),
    ("White", 28),
    ("Edwards", 26),
    ("Hughes", 26),
    ("Green", 25),
    ("Hall", 25),
    ("Lewis", 24),
    ("Harris", 24),
    ("Clarke", 22),
    ("Patel", 22),
    ("Jackson", 22),
    ("Wood", 20),
    ("Turner", 20),
    ("Martin", 20),
    ("Cooper", 19),
    ("Hill", 19),
    ("Ward", 18),
    ("Morris", 18),
    ("Moore", 18),
    ("Clark", 18),
    ("Lee", 17),
    ("King", 17),
    ("Baker", 16),
    ("Harrison", 16),
    ("Morgan", 16),
    ("Allen", 15),
    ("Khan", 15),
    ("Ali", 14),
    ("Hussain", 12),
    ("Begum", 10),
    ("Ahmed", 10),
    ("Mensah", 5),
    ("Okafor", 5),
    ("Nowak", 5),
    ("Kowalski", 4),
    ("Campbell", 12),
    ("Reid", 10),
    ("Murphy", 12),
    ("Kelly", 12),
    ("Price", 10),
    ("Bennett", 12),
)
NICKNAMES: dict[str, tuple[str, ...]] = {
    "Mohammed": ("Mo", "Mohammad", "Muhammad"),
    "Muhammad": ("Mo", "Mohammed"),
    "Oliver": ("Ollie", "Olly"),
    "Harry": ("Haz",),
    "Charlie": ("Chaz",),
    "Thomas": ("Tom", "Tommy"),
    "Jacob": ("Jake",),
    "Alfie": ("Alf",),
    "William": ("Will", "Billy", "Liam"),
    "James": ("Jim", "Jamie"),
    "Joshua": ("Josh",),
    "George": ("Georgie",),
    "Samuel": ("Sam", "Sammy"),
    "Daniel": ("Dan", "Danny"),
    "Joseph": ("Joe",),
    "Alexander": ("Alex", "Xander"),
    "Benjamin": ("Ben", "Benji"),
    "Callum": ("Cal",),
    "Ibrahim": ("Ibby",),
    "Yusuf": ("Yus",),
    "Tyrese": ("Ty",),
    "Tyler": ("Ty",),
    "Jayden": ("Jay",),
    "Jaden": ("Jay",),
    "Harrison": ("Harri",),
    "Olivia": ("Liv", "Livvy"),
    "Amelia": ("Millie", "Mia"),
    "Emily": ("Em", "Emmy"),
    "Jessica": ("Jess", "Jessie"),
    "Sophie": ("Soph",),
    "Isabella": ("Bella", "Izzy"),
    "Isabelle": ("Izzy", "Belle"),
    "Charlotte": ("Lottie", "Charlie"),
    "Alexis": ("Lexi",),
    "Rebecca": ("Becky", "Becca"),
    "Madison": ("Maddie",),
    "Megan": ("Meg",),
    "Phoebe": ("Phebs",),
    "Ellie": ("Elle",),
    "Lucy": ("Lu",),
}
STREET_NAMES: Sequence[str] = (
    "Church",
    "Station",
    "Victoria",
    "Park",
    "Queens",
    "Kings",
    "Mill",
    "Manor",
    "Grange",
    "Chapel",
    "Albert",
    "Windsor",
    "Springfield",
    "Highfield",
    "Meadow",
    "Orchard",
    "Cedar",
    "Beech",
    "Willow",
    "Oak",
    "Elm",
    "Rose",
    "Heath",
    "Bridge",
    "Canal",
)
STREET_KINDS: Sequence[str] = (
    "Road",
    "Street",
    "Lane",
    "Avenue",
    "Close",
    "Drive",
    "Way",
    "Crescent",
    "Gardens",
)
TOWN_STARTS: Sequence[str] = (
    "Ash",
    "Brack",
    "Cal",
    "Dun",
    "Elm",
    "Fen",
    "Gar",
    "Hale",
    "Ivy",
    "Kings",
    "Lang",
    "Mar",
    "Nor",
    "Oak",
    "Pen",
    "Red",
    "Stan",
    "Thorn",
    "Up",
    "Wick",
    "Wes",
    "Black",
    "Brook",
    "Clay",
    "Dray",
    "East",
    "Hart",
    "Lin",
    "Mill",
    "Sand",
)
TOWN_ENDS: Sequence[str] = (
    "ford",
    "bridge",
    "moor",
    "ton",
    "ley",
    "field",
    "wick",
    "bury",
    "ham",
    "stow",
    "mouth",
    "combe",
)


@dataclass(frozen=True)
class Weighted:
    """A list of values with cumulative weights, for ``random.choices``."""

    values: tuple[str, ...]
    cum_weights: tuple[float, ...]

    @classmethod
    def of(cls, pairs: Sequence[tuple[str, float]]) -> Weighted:
        values = tuple(name for name, _ in pairs)
        return cls(values, tuple(itertools.accumulate(weight for _, weight in pairs)))

    def pick(self, rng: random.Random) -> str:
        return rng.choices(self.values, cum_weights=self.cum_weights)[0]


def _surnames() -> Weighted:
    common = {name for name, _ in COMMON_SURNAMES}
    # Faker's weights are percentages of its list; the tail shares a fifth of the total.
    tail = [(name, w) for name, w in EnGbNames.last_names.items() if name not in common]
    tail_total = sum(w for _, w in tail)
    common_total = sum(w for _, w in COMMON_SURNAMES)
    scale = common_total / 4 / tail_total
    return Weighted.of([*COMMON_SURNAMES, *((n, w * scale) for n, w in tail)])


BOY_NAMES = Weighted.of(BOYS)
GIRL_NAMES = Weighted.of(GIRLS)
SURNAMES = _surnames()
ADULT_MEN = Weighted.of([(n, 1) for n in EnGbNames.first_names_male])
ADULT_WOMEN = Weighted.of([(n, 1) for n in EnGbNames.first_names_female])


def child_first_name(rng: random.Random, *, is_female: bool) -> str:
    return (GIRL_NAMES if is_female else BOY_NAMES).pick(rng)


def adult_first_name(rng: random.Random, *, is_female: bool) -> str:
    return (ADULT_WOMEN if is_female else ADULT_MEN).pick(rng)


def surname(rng: random.Random) -> str:
    return SURNAMES.pick(rng)


def nickname(rng: random.Random, first_name: str) -> str | None:
    options = NICKNAMES.get(first_name)
    return rng.choice(options) if options else None


def town_names() -> list[str]:
    """Invented town names in a fixed order (Ashford, Ashbridge, ...)."""
    return [start + end for start in TOWN_STARTS for end in TOWN_ENDS]


def typo(rng: random.Random, name: str) -> str:
    """One keying error of the kinds found in real records: a dropped, doubled,
    swapped or wrong letter."""
    if len(name) < 4:
        return name + name[-1]
    i = rng.randrange(1, len(name) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return name[:i] + name[i + 1 :]
    if kind == 1:
        return name[:i] + name[i] + name[i:]
    if kind == 2:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    letter = rng.choice("aeioulnrst")
    changed = name[:i] + letter + name[i + 1 :]
    return changed if changed != name else name[:i] + name[i + 1 :]
