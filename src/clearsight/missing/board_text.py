"""The live board's texts, each made once per row in Python instead of by template
filters: at national scale the board has a few hundred rows, and the timesince and date
filters and the url tag asked for the active language and its catalogue several times a
row (about half the board's CPU). The texts are the filters' own, character for
character (tests/missing/test_board_text.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING, cast

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import TIME_STRINGS, timesince
from django.utils.timezone import get_current_timezone, localtime

if TYPE_CHECKING:
    from clearsight.missing.selectors import BoardRow


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
        self._zone = get_current_timezone()
        # Times are recorded to the minute, so children reported missing at the same
        # moment share them: each is worded once.
        self._missing_for: dict[datetime, str] = {}
        self._last_seen: dict[datetime, str] = {}

    def missing_for(self, started_at: datetime) -> str:
        """As {{ started_at|timesince:now }}: "2 days, 3 hours"."""
        text = self._missing_for.get(started_at)
        if text is None:
            text = timesince(started_at, self._now, time_strings=self._units)
            self._missing_for[started_at] = text
        return text

    def last_seen(self, at: datetime) -> str:
        """As {{ at|date:"j M Y H:i" }}, in local time: "4 Dec 2026 09:05"."""
        text = self._last_seen.get(at)
        if text is None:
            text = self._last_seen[at] = f"{localtime(at, self._zone):%-d %b %Y %H:%M}"
        return text


def episode_url() -> Callable[[int], str]:
    """The episode page's address for any episode, from one reverse(): the same as
    {% url 'missing:episode' pk %}."""
    head, _, tail = reverse("missing:episode", kwargs={"pk": 0}).rpartition("/0/")
    return lambda pk: f"{head}/{pk}/{tail}"


# One row of the board (missing/_board_rows.html showed each through a template loop, a
# third of the page's CPU at national scale). Every text is escaped as the template's
# autoescaping did (django.utils.html.escape is html.escape), so the page is the same
# byte for byte.
_ROW = """
  <tr class="govuk-table__row">
    <td class="govuk-table__cell"><a class="govuk-link" href="{url}">{child_name}</a>{away}</td>
    <td class="govuk-table__cell">{missing_for}</td>
    <td class="govuk-table__cell">{last_seen_at}{last_seen_place}</td>
    <td class="govuk-table__cell">{risk_grading}</td>
    <td class="govuk-table__cell">{reported_by}</td>
  </tr>
"""
_AWAY = ' <strong class="govuk-tag govuk-tag--grey">Away</strong>'
_GRADED = '<strong class="govuk-tag govuk-tag--{colour}">{grading}</strong>'


def rows_html(rows: Iterable[BoardRow]) -> SafeString:
    """The board's rows as HTML, each text escaped."""
    return mark_safe(  # noqa: S308 - every text in it is escaped here
        "".join(
            _ROW.format(
                url=escape(row.url),
                child_name=escape(row.child_name),
                away=_AWAY if row.is_away else "",
                missing_for=escape(row.missing_for),
                last_seen_at=escape(row.last_seen_at),
                last_seen_place=f"<br>{escape(row.last_seen_place)}" if row.last_seen_place else "",
                risk_grading=_GRADED.format(
                    colour=escape(row.risk_tag_colour), grading=escape(row.risk_grading)
                )
                if row.risk_grading
                else "Not yet graded",
                reported_by=escape(row.reported_by),
            )
            for row in rows
        )
    )
