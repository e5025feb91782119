from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from clearsight.missing.models import EpisodeKind, RiskGrading
from clearsight.people.forms import DateParts

_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")


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
        raw = (self.data.get(self.time_field) or "").strip()
        match = _TIME.match(raw)
        if day is None:
            data[f"{self.date_prefix}_at"] = None
            return data
        if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            self.add_error(self.time_field, "Enter the time in 24-hour form, like 21:30")
            data[f"{self.date_prefix}_at"] = None
            return data
        moment = datetime.combine(day, time(int(match.group(1)), int(match.group(2))))
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
    found_area_name = forms.CharField(
        label="Which area? (if found outside this area)", required=False, max_length=1000
    )
    how_returned = forms.CharField(
        label="How did they return? (optional)", required=False, max_length=1000
    )
    harm_noticed = forms.CharField(
        label="Injuries or harm noticed (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
