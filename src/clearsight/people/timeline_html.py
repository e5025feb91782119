"""The child page's timeline entries as HTML, made in Python instead of by a template
loop: the loop's variable look-ups and two date filters an entry were a fifth of the
page's template time, and the child page is the most viewed page of the service. The
HTML is the loop's own, byte for byte (tests/people/test_timeline_html.py), with every
text escaped as the template's autoescaping did (django.utils.html.escape is
html.escape)."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING

from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone, localtime

if TYPE_CHECKING:
    from clearsight.people.timeline_selectors import TimelineEntry

_ENTRY = """
      <div class="moj-timeline__item">
        <div class="moj-timeline__header">
          <h3 class="moj-timeline__title">{flag}{title}</h3>
          {byline}
        </div>
        <p class="moj-timeline__date"><time datetime="{iso}">{when}</time></p>
        {detail}
      </div>
    """
_FLAG = '<strong class="govuk-tag govuk-tag--red" data-testid="timeline-flag">Flag</strong> '
_EMPTY = """
      <p class="govuk-body">No events match these filters.</p>
    """


def entries_html(entries: Iterable[TimelineEntry]) -> SafeString:
    """The entries, newest first as given, or the sentence saying none match."""
    zone = get_current_timezone()
    parts = []
    for entry in entries:
        # As the date filter shows an aware time: in the service's time zone, "c" being
        # ISO 8601 and "j F Y \a\t H:i" reading "4 December 2026 at 09:05".
        at = localtime(entry.at, zone)
        byline = ""
        if entry.agency is not None:
            who = f", {escape(entry.who)}" if entry.who else ""
            byline = f'<p class="moj-timeline__byline">by {escape(entry.agency.name)}{who}</p>'
        parts.append(
            _ENTRY.format(
                flag=_FLAG if entry.kind == "flag" else "",
                title=escape(entry.title),
                byline=byline,
                iso=at.isoformat(),
                when=f"{at:%-d %B %Y at %H:%M}",
                detail=(
                    f'<div class="moj-timeline__description">{escape(entry.detail)}</div>'
                    if entry.detail
                    else ""
                ),
            )
        )
    return mark_safe("".join(parts) or _EMPTY)  # noqa: S308 - every text in it is escaped here
