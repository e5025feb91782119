"""Rows in PostgreSQL's COPY text format, built with ``str.join`` rather than a call per
value (docs/decisions/0006-synthetic-data-copy-with-reserved-ids.md): a load sends one large string
per table and chunk instead of a million ``write_row`` calls.

Two ways in: ``rows_text`` for rows made one at a time in Python (the people), and
``columns_text`` for whole columns made at once with numpy (everything high-volume),
where every column is already a list of COPY-ready strings. Plain module with no Django
import."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np

NULL = "\\N"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
EPOCH = date(1970, 1, 1)


def text(value: str) -> str:
    return value.translate(_ESCAPES)


def _array(values: Iterable[Any]) -> str:
    return "{" + ",".join(json.dumps(str(v)) for v in values) + "}"


_FORMAT: dict[type, Callable[[Any], str]] = {
    str: text,
    int: str,
    bool: lambda v: "t" if v else "f",
    date: date.isoformat,
    datetime: datetime.isoformat,
    list: _array,
    tuple: _array,
    type(None): lambda v: NULL,
    float: repr,
}


def value(item: Any) -> str:
    formatter = _FORMAT.get(type(item))
    if formatter is not None:
        return formatter(item)
    # psycopg's Jsonb wrapper (a model default), or anything else printable.
    obj = getattr(item, "obj", None)
    if obj is not None:
        return text(json.dumps(obj))
    return text(str(item))


def suffix(values: Sequence[Any]) -> str:
    """The columns every row of a table shares (model defaults), formatted once."""
    return "".join("\t" + value(v) for v in values)


def rows_text(rows: Iterable[tuple[Any, ...]], tail: str = "") -> str:
    formats = _FORMAT
    lines = ["\t".join([formats.get(type(v), value)(v) for v in row]) for row in rows]
    end = tail + "\n"
    return end.join(lines) + end if lines else ""


def columns_text(columns: Sequence[Sequence[str]], tail: str = "") -> str:
    if not columns or not len(columns[0]):
        return ""
    end = tail + "\n"
    return end.join(map("\t".join, zip(*columns, strict=True))) + end


# --- Whole columns ------------------------------------------------------------------


def ints(values: np.ndarray) -> list[str]:
    return list(map(str, values.tolist()))


def nullable_ints(values: np.ndarray) -> list[str]:
    """Integers, with every negative one written as NULL."""
    return [str(v) if v >= 0 else NULL for v in values.tolist()]


def bools(values: np.ndarray) -> list[str]:
    return np.where(values, "t", "f").tolist()


def pick(pool: Sequence[str], indexes: np.ndarray) -> list[str]:
    """``pool[i]`` for each index, the pool escaped once."""
    escaped = np.array([text(p) for p in pool], dtype=object)
    return escaped[indexes].tolist()


class Calendar:
    """Day and minute numbers (days since 1970, minutes since 1970-01-01 00:00 UTC)
    turned into COPY strings through a lookup table of the days in play; a negative
    number is NULL. The first day must be in 1970 or later."""

    def __init__(self, first: date, last: date) -> None:
        self.first = (first - EPOCH).days
        count = (last - first).days + 1
        days = [first + timedelta(days=n) for n in range(count)]
        self._days = np.array([d.isoformat() for d in days], dtype=object)
        self._stamps = np.array([d.isoformat() + " " for d in days], dtype=object)
        self._clock = np.array(
            [f"{h:02d}:{m:02d}:00+00" for h in range(24) for m in range(60)], dtype=object
        )

    def day_number(self, day: date) -> int:
        return (day - EPOCH).days

    def dates(self, days: np.ndarray) -> list[str]:
        return self._days[days - self.first].tolist()

    def nullable_dates(self, days: np.ndarray) -> list[str]:
        valid = days >= 0
        out = np.full(len(days), NULL, dtype=object)
        out[valid] = self._days[days[valid] - self.first]
        return out.tolist()

    def stamps(self, minutes: np.ndarray) -> list[str]:
        """Minutes since 1970-01-01 00:00 UTC as timestamps; negative ones as NULL."""
        valid = minutes >= 0
        safe = np.where(valid, minutes, self.first * 1440)
        days, clock = np.divmod(safe, 1440)
        out = self._stamps[days - self.first] + self._clock[clock]
        out[~valid] = NULL
        return out.tolist()


def minute_of(moment: datetime) -> int:
    return int((moment - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds() // 60)
