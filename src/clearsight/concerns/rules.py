"""Pure rules for concerns, with no Django import: references, reading a time as people
type it, routing a postcode to an area, and the triage clock figures."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from datetime import time, timedelta

from clearsight.core.stats import percentile as percentile

# No 0/O, 1/I/L, 5/S or 8/B: a reference is read out over the phone and copied by hand.
REFERENCE_ALPHABET = "ACDEFGHJKMNPQRTUVWXYZ234679"
REFERENCE_PATTERN = re.compile(rf"^CS-[{REFERENCE_ALPHABET}]{{4}}-[{REFERENCE_ALPHABET}]{{4}}$")


def new_reference() -> str:
    """``CS-XXXX-XXXX`` from a cryptographic source: 27^8 (about 2.8 x 10^11) values, so a
    reference cannot be guessed to find someone else's concern."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"CS-{chars[:4]}-{chars[4:]}"


_TWENTY_FOUR = re.compile(r"^(\d{1,2})[:.](\d{2})$")
_TWELVE = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)$")


def parse_time(text: str) -> time | None:
    """A time as people write it: "21:30", "9.30pm", "9pm", "noon", "midnight".
    Raises ValueError when it cannot be read; returns None for an empty answer."""
    value = " ".join(text.lower().split()).replace(" ", "")
    if not value:
        return None
    if value in {"noon", "midday", "12noon"}:
        return time(12, 0)
    if value == "midnight":
        return time(0, 0)
    match = _TWENTY_FOUR.match(value)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 23 or minute > 59:
            raise ValueError(text)
        return time(hour, minute)
    match = _TWELVE.match(value)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if not 1 <= hour <= 12 or minute > 59:
            raise ValueError(text)
        hour = hour % 12 + (12 if match.group(3) == "pm" else 0)
        return time(hour, minute)
    raise ValueError(text)


def parse_postcode_areas(entries: Iterable[str]) -> dict[str, str]:
    """``["NB=northbridge", "LS1=leeds"]`` -> ``{"NB": "northbridge", "LS1": "leeds"}``;
    entries without "=" are ignored."""
    mapping: dict[str, str] = {}
    for entry in entries:
        prefix, sep, code = entry.partition("=")
        if sep and prefix.strip() and code.strip():
            mapping[prefix.strip().upper().replace(" ", "")] = code.strip()
    return mapping


def area_code_for_postcode(postcode: str, mapping: dict[str, str]) -> str | None:
    """The area code whose prefix matches the postcode's outward code most closely: a
    district ("LS1") beats its postcode area ("LS"). Prefixes match whole outward-code
    letters, so "L" does not take "LS1"."""
    outward = postcode.upper().split(" ")[0] if " " in postcode else postcode.upper()[:-3]
    best: tuple[int, str] | None = None
    for prefix, code in mapping.items():
        if not outward.startswith(prefix):
            continue
        rest = outward[len(prefix) :]
        # "L" must not match "LS1": after a letters-only prefix the next char is a digit.
        if prefix.isalpha() and rest and rest[0].isalpha():
            continue
        if best is None or len(prefix) > best[0]:
            best = (len(prefix), code)
    return best[1] if best else None


def describe_duration(delta: timedelta) -> str:
    """ "45 minutes", "5 hours", "3 days" — the age of a concern in a queue."""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    days = hours // 24
    return f"{days} days"
