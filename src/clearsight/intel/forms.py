"""Forms for the intelligence register. Validation of values (numbers, registrations,
grading, self-links) lives in the services; these only collect input."""

from __future__ import annotations

from django import forms

from clearsight.core.forms import GovukDateField, GovukForm
from clearsight.intel.models import (
    ClosureType,
    GroupKind,
    HandlingCode,
    IntelligenceAssessment,
    LinkType,
    PhoneStatus,
    SourceEvaluation,
)


class PhoneForm(GovukForm):
    number = forms.CharField(label="Phone number", max_length=40, help_text="Like 07700 900982")
    is_deal_line = forms.BooleanField(label="This is a deal line", required=False)
    line_name = forms.CharField(label="Line name (if known)", max_length=100, required=False)
    status = forms.ChoiceField(label="Status", choices=PhoneStatus.choices)
    closure_type = forms.ChoiceField(
        label="How it was closed (if closed)",
        choices=[("", "Not closed"), *ClosureType.choices],
        required=False,
    )
    closed_on = GovukDateField(label="Closed on", required=False, error_name="The date it closed")
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class AddressForm(GovukForm):
    line_1 = forms.CharField(label="Address line 1", max_length=200)
    line_2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    town = forms.CharField(label="Town", max_length=100, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10)
    uprn = forms.CharField(label="UPRN (optional)", max_length=20, required=False)
    is_cuckooing_concern = forms.BooleanField(
        label="There is a cuckooing concern (a vulnerable adult's home taken over)",
        required=False,
    )
    vulnerable_resident = forms.IntegerField(
        label="Record number of the vulnerable resident (a person to protect)", required=False
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class VehicleForm(GovukForm):
    registration = forms.CharField(label="Registration", max_length=12, help_text="Like AB12 CDE")
    make = forms.CharField(label="Make", max_length=60, required=False)
    model = forms.CharField(label="Model", max_length=60, required=False)
    colour = forms.CharField(label="Colour", max_length=40, required=False)


class GroupForm(GovukForm):
    name = forms.CharField(label="Name of the line or network", max_length=200)
    kind = forms.ChoiceField(label="Kind", choices=GroupKind.choices)
    description = forms.CharField(
        label="Description", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class LinkForm(GovukForm):
    from_node = forms.CharField(widget=forms.HiddenInput)
    to_node = forms.CharField(
        label="Link to (kind and record number)",
        max_length=40,
        help_text="Like person:12, phone:3, address:7, vehicle:2, group:1 or location:5",
    )
    link_type = forms.ChoiceField(label="Type of link", choices=LinkType.choices)
    valid_from = GovukDateField(label="From", required=False, error_name="The date the link began")
    valid_to = GovukDateField(label="Until", required=False, error_name="The date the link ended")
    source = forms.CharField(label="Source", max_length=300)
    source_evaluation = forms.ChoiceField(
        label="Source evaluation", choices=SourceEvaluation.choices
    )
    intelligence_assessment = forms.ChoiceField(
        label="Intelligence assessment", choices=IntelligenceAssessment.choices
    )
    handling_code = forms.ChoiceField(label="Handling code", choices=HandlingCode.choices)
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class DealLineForm(GovukForm):
    line_name = forms.CharField(
        label="Line name (if known)",
        help_text="The name the line is advertised under, like “Blade line”",
        max_length=100,
        required=False,
    )
    status = forms.ChoiceField(label="Status", choices=PhoneStatus.choices)
    closure_type = forms.ChoiceField(
        label="How it was closed (if closed)",
        choices=[("", "Not closed"), *ClosureType.choices],
        required=False,
    )
    closed_on = GovukDateField(label="Closed on", required=False, error_name="The date it closed")
    reason = forms.CharField(
        label="Why you are recording it as a deal line",
        help_text="What you checked beyond the pattern in the phone data; kept on the record "
        "and in the audit log",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )


class LinkIdsField(forms.Field):
    """The ticked links' ids (``name="links"``, one a checkbox); which of them may be
    reviewed is the service's to say."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: object) -> list[int]:
        try:
            return [int(str(v)) for v in value or []]  # type: ignore[attr-defined]
        except ValueError:
            raise forms.ValidationError("Select proposed links from the list") from None


class ReviewForm(GovukForm):
    links = LinkIdsField(required=False)
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("reject", "Reject")])
    reason = forms.CharField(
        label="Reason for your decision",
        help_text="Recorded on each link you selected and in the audit log",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )


class SearchForm(GovukForm):
    text = forms.CharField(label="Search the register", max_length=100, required=False)


class PhoneDataForm(GovukForm):
    file = forms.FileField(
        label="Call and message records (CSV)",
        help_text="A header row naming the columns from, to, time, type and duration, then "
        "one call or message a row.",
        error_messages={"required": "Choose a CSV file of call and message records"},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    source = forms.CharField(
        label="Where the records came from",
        help_text="The provider and your reference, like “Network provider, request 2026/114”",
        max_length=300,
        error_messages={"required": "Enter where the records came from"},
    )


class NetworkDatesForm(GovukForm):
    """The network explorer's period: links current at some time within it."""

    since = GovukDateField(label="Links current from", required=False, error_name="The start date")
    until = GovukDateField(label="Until", required=False, error_name="The end date")
