"""The live board's texts made in Python (missing/board_text.py) are the template
filters' own, character for character, so the board reads as it did."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.template import Context, Template
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import timesince_filter
from django.urls import reverse
from django.utils.timezone import template_localtime
from hypothesis import given
from hypothesis import strategies as st

from clearsight.missing.board_text import BoardText, episode_url, rows_html
from clearsight.missing.selectors import BoardRow

moments = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)


@given(
    now=moments,
    ages=st.lists(
        st.timedeltas(min_value=timedelta(days=-3), max_value=timedelta(days=800)), max_size=20
    ),
)
def test_missing_for_reads_as_the_timesince_filter(now: datetime, ages: list[timedelta]) -> None:
    text = BoardText(now)
    for age in ages:
        assert text.missing_for(now - age) == timesince_filter(now - age, now)


@given(moments=st.lists(moments, max_size=20))
def test_last_seen_reads_as_the_date_filter_in_uk_time(moments: list[datetime]) -> None:
    text = BoardText(datetime(2030, 1, 1, tzinfo=UTC))
    for moment in moments:
        assert text.last_seen(moment) == date_filter(template_localtime(moment), "j M Y H:i")


def test_last_seen_is_in_uk_summer_time() -> None:
    text = BoardText(datetime(2030, 1, 1, tzinfo=UTC))
    assert text.last_seen(datetime(2026, 7, 4, 23, 5, tzinfo=UTC)) == "5 Jul 2026 00:05"


@given(pk=st.integers(min_value=0, max_value=10**12))
def test_episode_urls_are_the_url_tags(pk: int) -> None:
    assert episode_url()(pk) == reverse("missing:episode", kwargs={"pk": pk})


# The loop of missing/_board_rows.html before the rows were made in Python.
_TEMPLATE_LOOP = Template(
    "{% for e in episodes %}\n"
    '  <tr class="govuk-table__row">\n'
    '    <td class="govuk-table__cell"><a class="govuk-link" href="{{ e.url }}">'
    "{{ e.child_name }}</a>{% if e.is_away %} "
    '<strong class="govuk-tag govuk-tag--grey">Away</strong>{% endif %}</td>\n'
    '    <td class="govuk-table__cell">{{ e.missing_for }}</td>\n'
    '    <td class="govuk-table__cell">{{ e.last_seen_at }}'
    "{% if e.last_seen_place %}<br>{{ e.last_seen_place }}{% endif %}</td>\n"
    '    <td class="govuk-table__cell">{% if e.risk_grading %}'
    '<strong class="govuk-tag govuk-tag--{{ e.risk_tag_colour }}">{{ e.risk_grading }}</strong>'
    "{% else %}Not yet graded{% endif %}</td>\n"
    '    <td class="govuk-table__cell">{{ e.reported_by }}</td>\n'
    "  </tr>\n"
    "{% endfor %}"
)
texts = st.text(alphabet=st.sampled_from("aZ <>&\"'\u201c\xa0é"), max_size=12)
board_rows = st.builds(
    BoardRow,
    person_id=st.integers(min_value=1),
    url=texts,
    child_name=texts,
    is_away=st.booleans(),
    missing_for=texts,
    last_seen_at=texts,
    last_seen_place=texts,
    risk_grading=texts,
    risk_tag_colour=texts,
    reported_by=texts,
)


@given(rows=st.lists(board_rows, max_size=5))
def test_board_rows_html_is_the_template_loop_byte_for_byte(rows: list[BoardRow]) -> None:
    assert rows_html(rows) == _TEMPLATE_LOOP.render(Context({"episodes": rows}))
