from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from clearsight.core.forms import time_of_day
from clearsight.missing.models import EpisodeKind, RiskGrading
from clearsight.people.forms import DateParts


class DateTimeParts(DateParts):
    """A GOV.UK date input plus a 24-hour time, read as UK local time."""

    date_required = True
    time_field = "time"
    # The name the service uses for the combined moment; its errors belong to the time.
    service_field = ""

    def add_invalid_input(self, errors: dict[str, str]) -> None:
        super().add_invalid_input(
            {
                (self.time_field if name == self.service_field else name): m
                for name, m in errors.items()
            }
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day = data.get(self.date_prefix)
        at = time_of_day(self.data.get(self.time_field) or "")
        if day is None:
            data[f"{self.date_prefix}_at"] = None
            return data
        if at is None:
            self.add_error(self.time_field, "Enter the time in 24-hour form, like 21:30")
            data[f"{self.date_prefix}_at"] = None
            return data
        moment = datetime.combine(day, at)
        data[f"{self.date_prefix}_at"] = timezone.make_aware(moment)
        return data


class ReportMissingForm(DateTimeParts):
    date_prefix = "last_seen"
    date_label = "Date last seen"
    service_field = "started_at"
    error_anchor = "id_last_seen_day"

    time = forms.CharField(
        label="Time last seen",
        help_text="24-hour time, for example 21:30",
        required=False,
        max_length=5,
        widget=forms.TextInput(attrs={"data-width-class": "govuk-input--width-5"}),
    )
    kind = forms.ChoiceField(
        label="Is the child missing, or away from their placement without permission?",
        choices=EpisodeKind.choices,
        initial=EpisodeKind.MISSING,
        widget=forms.RadioSelect,
    )
    last_seen_place = forms.CharField(
        label="Where were they last seen?", required=False, max_length=1000
    )
    last_seen_with = forms.CharField(
        label="Who were they with? (optional)", required=False, max_length=1000
    )
    clothing = forms.CharField(
        label="What were they wearing? (optional)", required=False, max_length=1000
    )
    police_reference = forms.CharField(
        label="Police reference (optional)", required=False, max_length=100
    )
    risk_grading = forms.ChoiceField(
        label="Police risk grading (optional)",
        required=False,
        choices=[("", "Not yet graded"), *RiskGrading.choices],
    )


class RecordReturnForm(DateTimeParts):
    date_prefix = "returned"
    date_label = "Date of return"
    service_field = "returned_at"
    error_anchor = "id_returned_day"

    version = forms.IntegerField(widget=forms.HiddenInput)
    time = forms.CharField(
        label="Time of return",
        help_text="24-hour time, for example 07:15",
        required=False,
        max_length=5,
        widget=forms.TextInput(attrs={"data-width-class": "govuk-input--width-5"}),
    )
    found_place = forms.CharField(
        label="Where were they found or where did they return to?", required=False, max_length=1000
    )
    found_with = forms.CharField(
        label="Who were they with? (optional)", required=False, max_length=1000
    )
    found_out_of_area = forms.BooleanField(
        label="They were found outside this area", required=False
    )
    found_area = forms.TypedChoiceField(
        label="Which area were they found in? (if found outside this area)",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[],
        error_messages={"invalid_choice": "Choose another area from the list"},
    )
    found_area_name = forms.CharField(
        label="Or, if the area is not in the list, which area?", required=False, max_length=1000
    )

    def __init__(self, *args: Any, areas: list[tuple[int, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["found_area"].choices = [("", "Choose an area"), *(areas or [])]  # type: ignore[attr-defined]

    how_returned = forms.CharField(
        label="How did they return? (optional)", required=False, max_length=1000
    )
    harm_noticed = forms.CharField(
        label="Injuries or harm noticed (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _long_text(label: str, hint: str = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class InterviewForm(DateParts):
    """The Return Home Interview: what happened, in the child's own words, and what they
    disclosed (a checklist drawn from the area's published indicator library)."""

    date_prefix = "held"
    date_label = "Date of the interview"
    date_required = True

    version = forms.IntegerField(widget=forms.HiddenInput)
    where_child_was = _long_text("Where was the child while they were away?")
    who_with = _long_text("Who were they with?")
    what_happened = _long_text("What happened while they were away?", rows=5)
    push_factors = _long_text(
        "What made them leave? (push factors)",
        "For example, arguments at home or in the placement, bullying, feeling unsafe",
    )
    pull_factors = _long_text(
        "What drew them away? (pull factors)",
        "For example, friends, a boyfriend or girlfriend, money, gifts, being asked to go",
    )
    harm = _long_text("Were they hurt or harmed, or at risk of harm?")
    childs_words = _long_text(
        "The child's own words and wishes",
        "Write what they said in their own words where you can, and what they want to happen",
        rows=5,
    )
    disclosure_codes = forms.MultipleChoiceField(
        label="What did the child disclose?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose disclosures from the list"},
    )
    disclosure_notes = _long_text(
        "Anything else they disclosed",
        "Each sign you tick is added to the child's record as an observation from this "
        "return home interview",
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["disclosure_codes"].choices = choices  # type: ignore[attr-defined]


class FindFromOtherAreaForm(DateParts):
    """Find a child reported missing in another area: their name and exact date of birth."""

    date_prefix = "date_of_birth"
    date_label = "Date of birth"
    date_required = True

    given_names = forms.CharField(label="First name", max_length=200, required=False)
    family_name = forms.CharField(label="Last name", max_length=200, required=False)


class FoundInMyAreaForm(DateTimeParts):
    date_prefix = "found"
    date_label = "Date found"
    service_field = "found_at"
    error_anchor = "id_found_day"

    ticket = forms.CharField(widget=forms.HiddenInput)
    time = forms.CharField(
        label="Time found",
        help_text="24-hour time, for example 07:15",
        required=False,
        max_length=5,
        widget=forms.TextInput(attrs={"data-width-class": "govuk-input--width-5"}),
    )
    found_place = forms.CharField(label="Where were they found?", required=False, max_length=1000)
    found_with = forms.CharField(
        label="Who were they with? (optional)", required=False, max_length=1000
    )
    how_returned = forms.CharField(
        label="Where are they now, and how are they getting home? (optional)",
        required=False,
        max_length=1000,
    )
    harm_noticed = forms.CharField(
        label="Injuries or harm noticed (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
