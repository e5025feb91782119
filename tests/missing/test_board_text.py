"""The live board's texts made in Python (missing/board_text.py) are the template
filters' own, character for character, so the board reads as it did."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import timesince_filter
from django.urls import reverse
from django.utils.timezone import template_localtime
from hypothesis import given
from hypothesis import strategies as st

from clearsight.missing.board_text import BoardText, episode_url

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
