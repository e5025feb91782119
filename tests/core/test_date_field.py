"""The GOV.UK date input (core.forms.GovukDateField): three boxes in a fieldset, errors in
the GOV.UK pattern's words, and the whole date still accepted from a link."""

from __future__ import annotations

from datetime import date

from django import forms
from django.template.loader import render_to_string
from hypothesis import given
from hypothesis import strategies as st

from clearsight.core.forms import GovukDateField, GovukForm


class DueForm(GovukForm):
    due_on = GovukDateField(label="Due date")
    review_on = GovukDateField(label="Review by", required=False, error_name="The review date")
    note = forms.CharField(label="Note", required=False)


def _form(**data: str) -> DueForm:
    return DueForm(data=data)


def test_the_three_boxes_make_a_date() -> None:
    form = _form(due_on_day="7", due_on_month="12", due_on_year="2026")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due_on"] == date(2026, 12, 7)
    assert form.cleaned_data["review_on"] is None


def test_a_whole_date_from_a_link_is_still_read() -> None:
    for value in ("2026-12-07", "07/12/2026"):
        form = _form(due_on=value)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["due_on"] == date(2026, 12, 7)


def test_each_mistake_gets_the_gov_uk_message() -> None:
    cases = [
        ({}, "Enter the due date"),
        ({"due_on_day": "7", "due_on_year": "2026"}, "Due date must include a month"),
        ({"due_on_month": "12"}, "Due date must include a day and year"),
        ({"due_on_day": "31", "due_on_month": "2", "due_on_year": "2026"}, "real date"),
        ({"due_on_day": "7", "due_on_month": "Dec", "due_on_year": "2026"}, "real date"),
        ({"due_on_day": "7", "due_on_month": "12", "due_on_year": "26"}, "real date"),
        ({"due_on_day": "1", "due_on_month": "1", "due_on_year": "9" * 30}, "real date"),
        ({"due_on": "yesterday"}, "Due date must be a real date, like 27 3 2026"),
    ]
    for data, message in cases:
        form = _form(**data)
        assert not form.is_valid()
        assert message in form.errors["due_on"][0], (data, form.errors)
    form = _form(due_on="2026-12-07", review_on_year="2027")
    assert not form.is_valid()
    assert form.errors["review_on"] == ["The review date must include a day and month"]


def test_it_renders_as_the_gov_uk_date_input_with_what_was_typed_kept() -> None:
    form = _form(due_on_day="31", due_on_month="2", due_on_year="2026")
    assert not form.is_valid()
    html = render_to_string("includes/field.html", {"field": form["due_on"]})
    assert '<fieldset class="govuk-fieldset" role="group"' in html
    assert (
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Due date</legend>' in html
    )
    assert 'aria-describedby="id_due_on-hint id_due_on-error"' in html
    assert 'class="govuk-date-input" id="id_due_on"' in html
    for part, value, width in (("day", "31", 2), ("month", "2", 2), ("year", "2026", 4)):
        assert f'<label class="govuk-label govuk-date-input__label" for="id_due_on_{part}">' in html
        assert (
            f'<input type="text" name="due_on_{part}" value="{value}" inputmode="numeric" '
            f'class="govuk-input govuk-date-input__input govuk-input--width-{width} '
            f'govuk-input--error" aria-invalid="true" id="id_due_on_{part}">'
        ) in html
    assert form["due_on"].id_for_label == "id_due_on_day"  # where the error summary links
    assert 'type="date"' not in html


def test_a_saved_date_fills_the_boxes() -> None:
    form = DueForm(initial={"due_on": date(2027, 3, 31)})
    html = render_to_string("includes/field.html", {"field": form["due_on"]})
    assert 'name="due_on_day" value="31"' in html
    assert 'name="due_on_month" value="3"' in html
    assert 'name="due_on_year" value="2027"' in html


@given(st.dates(min_value=date(1000, 1, 1)))
def test_any_real_date_typed_in_the_boxes_is_read_back(day: date) -> None:
    form = _form(
        due_on_day=f" {day.day} ", due_on_month=f"{day.month:02d}", due_on_year=str(day.year)
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due_on"] == day
