"""Identifiers that look right and can never belong to a real person.

- NHS numbers come from the 999 range, which NHS England keeps for testing and never
  issues, with a valid modulus-11 check digit so that validation code is exercised.
- UPNs use the temporary form (a check letter, the synthetic LA code 999, digits and a
  final letter); no local authority has the number 999.
- PNC ids carry a correct check letter and a serial starting 99, out of the live range.
- Phone numbers are in Ofcom's drama ranges (07700 900000-900999 and landline ones).
- Postcodes are real in format only: districts are chosen from real postcode areas but
  the inward codes are invented.
Plain functions with no Django import."""

from __future__ import annotations

import random

from clearsight.people.identifiers import (
    PNC_LETTERS,
    UPN_LETTERS,
    nhs_check_digit,
    pnc_check_letter,
    upn_check_letter,
)

NHS_TEST_PREFIX = "999"
UPN_TEST_LA = "999"
POSTCODE_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def nhs_number(rng: random.Random) -> str:
    """A 999-range NHS number with a valid check digit (about 1 in 11 draws has none)."""
    while True:
        first_nine = NHS_TEST_PREFIX + f"{rng.randrange(1_000_000):06d}"
        check = nhs_check_digit(first_nine)
        if check is not None:
            return first_nine + str(check)


def upn(rng: random.Random) -> str:
    rest = UPN_TEST_LA + f"{rng.randrange(10**8):08d}" + rng.choice(UPN_LETTERS)
    return upn_check_letter(rest) + rest


def pnc_id(rng: random.Random, year: int) -> str:
    serial = f"99{rng.randrange(100_000):05d}"
    yy = f"{year % 100:02d}"
    letter = pnc_check_letter(yy, serial)
    assert letter in PNC_LETTERS
    return f"{year}/{serial}{letter}"


def mobile(rng: random.Random) -> str:
    return f"+447700900{rng.randrange(1000):03d}"


def postcode(rng: random.Random, district: str) -> str:
    inward = (
        str(rng.randrange(1, 10))
        + rng.choice(POSTCODE_INWARD_LETTERS)
        + rng.choice(POSTCODE_INWARD_LETTERS)
    )
    return f"{district} {inward}"


def postcode_districts(rng: random.Random, count: int) -> list[str]:
    """Outward codes of one invented area: a real postcode area and district numbers."""
    letters = rng.choice(_POSTCODE_AREAS)
    first = rng.randrange(1, 20)
    return [f"{letters}{first + n}" for n in range(count)]


_POSTCODE_AREAS = [
    "AL",
    "BA",
    "BB",
    "BD",
    "BH",
    "BL",
    "BN",
    "BR",
    "BS",
    "CA",
    "CB",
    "CF",
    "CH",
    "CM",
    "CO",
    "CR",
    "CT",
    "CV",
    "CW",
    "DA",
    "DE",
    "DH",
    "DL",
    "DN",
    "DT",
    "DY",
    "EN",
    "EX",
    "FY",
    "GL",
    "GU",
    "HA",
    "HD",
    "HG",
    "HP",
    "HR",
    "HU",
    "HX",
    "IP",
    "KT",
    "LA",
    "LD",
    "LE",
    "LL",
    "LN",
    "LS",
    "LU",
    "ME",
    "MK",
    "NE",
    "NG",
    "NN",
    "NP",
    "NR",
    "OL",
    "OX",
    "PE",
    "PL",
    "PO",
    "PR",
    "RG",
    "RH",
    "RM",
    "SA",
    "SG",
    "SK",
    "SL",
    "SM",
    "SN",
    "SO",
    "SP",
    "SR",
    "SS",
    "ST",
    "SY",
    "TA",
    "TF",
    "TN",
    "TQ",
    "TR",
    "TS",
    "TW",
    "UB",
    "WA",
    "WD",
    "WF",
    "WN",
    "WR",
    "WS",
    "WV",
    "YO",
]


# Ofcom's drama ranges for geographic numbers: 14,000 landlines no one holds.
DRAMA_LANDLINE_PREFIXES = (
    "+44113496",
    "+44114496",
    "+44116496",
    "+44117496",
    "+44118496",
    "+44121496",
    "+44131496",
    "+44141496",
    "+44151496",
    "+44161496",
    "+44191498",
    "+44207946",
    "+44289649",
    "+44292018",
)


def drama_landline(n: int) -> str:
    """The n-th of the 14,000 drama-range landlines (cycling), in E.164."""
    prefix = DRAMA_LANDLINE_PREFIXES[n // 1000 % len(DRAMA_LANDLINE_PREFIXES)]
    return f"{prefix}{'6' if prefix == '+44289649' else '0'}{n % 1000:03d}"
