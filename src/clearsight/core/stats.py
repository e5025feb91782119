"""Small statistics for figures pages. Plain Python."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """Linear-interpolated percentile: the same as PostgreSQL's percentile_cont and a
    spreadsheet's PERCENTILE.INC. None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
