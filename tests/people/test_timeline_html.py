"""The timeline's entries made in Python (people/timeline_html.py) are the template loop's
own HTML, byte for byte, so the child's page reads as it did."""

from __future__ import annotations

from datetime import UTC, datetime

from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from clearsight.areas.models import Agency
from clearsight.people.timeline_html import entries_html
from clearsight.people.timeline_selectors import TimelineEntry

# The loop of people/detail.html before the entries were made in Python.
_TEMPLATE_LOOP = Template(
    "    {% for entry in entries %}\n"
    '      <div class="moj-timeline__item">\n'
    '        <div class="moj-timeline__header">\n'
    '          <h3 class="moj-timeline__title">{% if entry.kind == "flag" %}'
    '<strong class="govuk-tag govuk-tag--red" data-testid="timeline-flag">Flag</strong> '
    "{% endif %}{{ entry.title }}</h3>\n"
    '          {% if entry.agency %}<p class="moj-timeline__byline">by {{ entry.agency.name }}'
    "{% if entry.who %}, {{ entry.who }}{% endif %}</p>{% endif %}\n"
    "        </div>\n"
    '        <p class="moj-timeline__date"><time datetime="{{ entry.at|date:\'c\' }}">'
    '{{ entry.at|date:"j F Y \\a\\t H:i" }}</time></p>\n'
    '        {% if entry.detail %}<div class="moj-timeline__description">{{ entry.detail }}'
    "</div>{% endif %}\n"
    "      </div>\n"
    "    {% empty %}\n"
    '      <p class="govuk-body">No events match these filters.</p>\n'
    "    {% endfor %}\n"
)
texts = st.text(alphabet=st.sampled_from("aZ <>&\"'\u201c\xa0é\n"), max_size=12)
# Summer and winter, midnight and the hour the clocks change: the times are shown in UK
# time, as the date filter shows them.
moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2040, 12, 31), timezones=st.just(UTC)
)
entries = st.builds(
    TimelineEntry,
    at=moments,
    kind=st.sampled_from(["record", "missing", "flag", "observation", "concern", "team"]),
    title=texts,
    agency=st.none() | st.builds(Agency, name=texts),
    detail=texts,
    who=texts,
)


@given(entries=st.lists(entries, max_size=6))
def test_entries_are_the_template_loops_html(entries: list[TimelineEntry]) -> None:
    expected = _TEMPLATE_LOOP.render(Context({"entries": entries}))
    assert "    " + entries_html(entries) + "\n" == expected


def test_no_entries_say_none_match() -> None:
    assert "No events match these filters." in entries_html([])


def test_an_entry_reads_in_uk_time() -> None:
    entry = TimelineEntry(
        at=datetime(2026, 7, 4, 23, 5, tzinfo=UTC), kind="missing", title="Missing", agency=None
    )
    html = entries_html([entry])
    assert '<time datetime="2026-07-05T00:05:00+01:00">5 July 2026 at 00:05</time>' in html
