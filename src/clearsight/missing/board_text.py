"""The live board's texts, each made once per row in Python instead of by template
filters: at national scale the board has a few hundred rows, and the timesince and date
filters and the url tag asked for the active language and its catalogue several times a
row (about half the board's CPU). The texts are the filters' own, character for
character (tests/missing/test_board_text.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import cast

from django.urls import reverse
from django.utils.dates import MONTHS_3
from django.utils.functional import Promise
from django.utils.timesince import TIME_STRINGS, timesince
from django.utils.timezone import localtime


class _UnitText:
    """One unit of timesince's TIME_STRINGS ("%(num)d days"), translated once for each
    number on the board rather than once for each row."""

    def __init__(self, text: Promise) -> None:
        self._text = text
        self._by_number: dict[int, str] = {}

    def __mod__(self, values: dict[str, int]) -> str:
        number = values["num"]
        text = self._by_number.get(number)
        if text is None:
            text = self._by_number[number] = str(self._text % values)
        return text


class BoardText:
    """The texts of one view of the board, in the request's language and time zone."""

    def __init__(self, now: datetime) -> None:
        self._now = now
        units = {name: _UnitText(cast(Promise, text)) for name, text in TIME_STRINGS.items()}
        # timesince takes other strings for its units; these format as its own do.
        self._units = cast(dict[str, str], units)
        self._months: dict[int, str] = {}

    def missing_for(self, started_at: datetime) -> str:
        """As {{ started_at|timesince:now }}: "2 days, 3 hours"."""
        return timesince(started_at, self._now, time_strings=self._units)

    def last_seen(self, at: datetime) -> str:
        """As {{ at|date:"j M Y H:i" }}, in local time: "4 Dec 2026 09:05"."""
        local = localtime(at)
        month = self._months.get(local.month)
        if month is None:
            month = self._months[local.month] = str(MONTHS_3[local.month]).title()
        return f"{local.day} {month} {local.year:04d} {local.hour:02d}:{local.minute:02d}"


def episode_url() -> Callable[[int], str]:
    """The episode page's address for any episode, from one reverse(): the same as
    {% url 'missing:episode' pk %}."""
    head, _, tail = reverse("missing:episode", kwargs={"pk": 0}).rpartition("/0/")
    return lambda pk: f"{head}/{pk}/{tail}"
